"""Short-lived signed download links for stored drafts, so a DMS connector can fetch a
document named in a webhook without holding a user's credential (``app.auth.signed_links``): a
link opens that one document until it expires, and nothing else.
"""

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query, Request

from app.auth import signed_links
from app.auth.dependencies import bearer
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep


def _path(document_id: uuid.UUID) -> str:
    return f"/documents/{document_id}/content"


def sign(key: str, document_id: uuid.UUID, lifetime: timedelta) -> tuple[str, datetime]:
    """The query string of a link to the document, and when it stops working."""
    return signed_links.sign(key, _path(document_id), lifetime)


class ReadOrSignedLink(signed_links.PermissionOrSignedLink):
    """The permission to read, or a valid signed link to this one document."""

    async def __call__(  # type: ignore[override]
        self,
        request: Request,
        session: SessionDep,
        document_id: uuid.UUID,
        credential: Annotated[str | None, Depends(bearer)],
        signature: Annotated[
            str | None, Query(max_length=64, description="From POST /documents/{id}/links.")
        ] = None,
        expires: Annotated[
            int | None, Query(description="From POST /documents/{id}/links.")
        ] = None,
    ) -> Principal | None:
        path = _path(document_id)
        return await self.check(request, session, credential, path, expires, signature)


download_reader = ReadOrSignedLink(Permission.cases_read)
