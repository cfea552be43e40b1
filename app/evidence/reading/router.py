import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status
from sqlmodel import col, select

from app.audit import service as audit
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import NotFound, problem_responses
from app.evidence.reading.models import RefusalMessage
from app.evidence.reading.schemas import RefusalMessageCreate, RefusalMessageRead
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page

router = APIRouter(prefix="/refusal-messages", tags=["reference-data"])
Reader = Annotated[Principal, require(Permission.reference_read)]
Editor = Annotated[Principal, require(Permission.reference_edit)]


class RefusalMessageNotFound(NotFound):
    slug = "refusal-message-not-found"
    title = "Refusal message not found"


@router.get(
    "",
    summary="The refusal messages screenshots are read for",
    responses=problem_responses(401, 403),
)
def list_refusal_messages(session: SessionDep, actor: Reader) -> Page[RefusalMessageRead]:
    query = select(RefusalMessage).where(col(RefusalMessage.active))
    rows = session.exec(query.order_by(col(RefusalMessage.created_at)))
    return Page(items=[RefusalMessageRead.model_validate(r) for r in rows], next_cursor=None)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RefusalMessageRead,
    summary="Add a refusal message (admin); run `creneau evidence reread` afterwards",
    description="Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 409, 422),
)
def create_refusal_message(
    session: SessionDep, actor: Editor, body: RefusalMessageCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor, idem)) is not None:
        return replayed
    message = RefusalMessage(text=body.text, site=body.site)
    session.add(message)
    session.flush()
    audit.record(session, actor, action="refusal_message.create",
                 resource_type="refusal_message", resource_id=message.id)  # fmt: skip
    return idempotency.respond(
        session, actor, idem, status_code=status.HTTP_201_CREATED,
        body=RefusalMessageRead.model_validate(message),
        headers={"Location": "/api/v1/refusal-messages"},
    )  # fmt: skip


@router.delete(
    "/{message_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop looking for a refusal message (admin); it stays on record",
    responses=problem_responses(401, 403, 404),
)
def delete_refusal_message(session: SessionDep, actor: Editor, message_id: uuid.UUID) -> Response:
    message = session.get(RefusalMessage, message_id)
    if message is None or not message.active:
        raise RefusalMessageNotFound(f"No refusal message {message_id}.")
    message.active = False
    session.add(message)
    audit.record(session, actor, action="refusal_message.retire",
                 resource_type="refusal_message", resource_id=message.id)  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)
