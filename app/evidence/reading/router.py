import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.evidence.reading import messages
from app.evidence.reading.schemas import RefusalMessageCreate, RefusalMessageRead
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page

router = APIRouter(prefix="/refusal-messages", tags=["reference-data"])
Reader = Annotated[Principal, require(Permission.reference_read)]
Editor = Annotated[Principal, require(Permission.reference_edit)]


@router.get(
    "",
    summary="The refusal messages screenshots are read for",
    responses=problem_responses(401, 403),
)
def list_refusal_messages(session: SessionDep, *, actor: Reader) -> Page[RefusalMessageRead]:
    rows = messages.list_active(session)
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
    session: SessionDep, *, actor: Editor, body: RefusalMessageCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    message = messages.create_message(session, actor=actor, data=body)
    return idempotency.respond(
        session, actor=actor, request=idem, status_code=status.HTTP_201_CREATED,
        body=RefusalMessageRead.model_validate(message),
        headers={"Location": f"{API_PREFIX}/refusal-messages"},
    )  # fmt: skip


@router.delete(
    "/{message_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop looking for a refusal message (admin); it stays on record",
    responses=problem_responses(401, 403, 404),
)
def delete_refusal_message(
    session: SessionDep, *, actor: Editor, message_id: uuid.UUID
) -> Response:
    messages.retire_message(session, actor=actor, message_id=message_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
