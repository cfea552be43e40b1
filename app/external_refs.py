"""External references: the firm's own ids (DMS folder, practice-management matter) on
clients and cases, unique when set, so an integration maps records both ways."""

import uuid
from typing import Any

from sqlmodel import Session, col, select

from app.errors import Conflict


class ExternalRefTaken(Conflict):
    slug = "external-ref-taken"
    title = "Another record already has this external reference"


def ensure_free(
    session: Session, *, model: Any, ref: str | None, own_id: uuid.UUID | None = None
) -> None:
    """409 naming the record that holds ``ref`` (the unique index is the last word on a race)."""
    if ref is None:
        return
    holder = session.exec(select(model.id).where(col(model.external_ref) == ref)).first()
    if holder is not None and holder != own_id:
        raise ExternalRefTaken(
            f"external_ref {ref!r} is already used by {model.__tablename__} {holder}.",
            extra={"holder_id": str(holder)},
        )
