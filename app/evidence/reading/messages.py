"""The refusal messages screenshots are read for (reference data the firm edits): a message
is retired, never deleted, so that a past reading still names what it found."""

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.evidence.reading.errors import RefusalMessageNotFound
from app.evidence.reading.models import RefusalMessage
from app.evidence.reading.schemas import RefusalMessageCreate


def list_active(session: Session) -> Sequence[RefusalMessage]:
    query = select(RefusalMessage).where(col(RefusalMessage.active))
    return session.exec(query.order_by(col(RefusalMessage.created_at))).all()


def active_texts(session: Session) -> list[str]:
    """What the reader looks for on a screenshot."""
    query = select(RefusalMessage.text).where(col(RefusalMessage.active))
    return list(session.exec(query))


def create_message(
    session: Session, *, actor: Principal, data: RefusalMessageCreate
) -> RefusalMessage:
    message = RefusalMessage(text=data.text, site=data.site)
    session.add(message)
    session.flush()
    audit.record(session, actor=actor, action="refusal_message.create",
                 resource_type="refusal_message", resource_id=message.id)  # fmt: skip
    return message


def retire_message(session: Session, *, actor: Principal, message_id: uuid.UUID) -> RefusalMessage:
    message = session.get(RefusalMessage, message_id)
    if message is None or not message.active:
        raise RefusalMessageNotFound(f"No refusal message {message_id}.")
    message.active = False
    session.add(message)
    audit.record(session, actor=actor, action="refusal_message.retire",
                 resource_type="refusal_message", resource_id=message.id)  # fmt: skip
    return message
