import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from app.api import API_PREFIX
from app.attempts import service
from app.attempts.schemas import AttemptBatch, AttemptBatchResult, AttemptCreate, AttemptRead
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.dependencies import CaseDep
from app.db import SessionDep
from app.errors import problem_responses
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import (
    CursorQuery,
    LimitQuery,
    Page,
    decode_cursor,
    page_of,
    parse_datetime,
)

router = APIRouter(prefix="/cases/{case_id}/attempts", tags=["attempts"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]
ALREADY_RECORDED: dict[int | str, dict[str, Any]] = {
    200: {"model": AttemptRead, "description": "Already recorded: the existing attempt"}
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AttemptRead,
    summary="Record a booking attempt",
    description="201 when recorded; 200 with the existing attempt when the same case, instant "
    "and outcome was already recorded. Accepts `Idempotency-Key`.",
    responses=ALREADY_RECORDED | problem_responses(401, 403, 404, 422),
)
def create_attempt(
    session: SessionDep, *, actor: Writer, case: CaseDep, body: AttemptCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    attempt, created = service.record_attempt(session, actor=actor, case=case, item=body)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        body=AttemptRead.model_validate(attempt),
        headers={"Location": f"{API_PREFIX}/cases/{case.id}/attempts/{attempt.id}"},
    )


@router.post(
    "/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=AttemptBatchResult,
    summary="Record up to 1 000 attempts at once, all or nothing",
    description="One invalid row refuses the whole batch with a 422 whose `errors` name each "
    'row by its index (`["body", "attempts", 17, "attempted_at"]`). Attempts already '
    "recorded are counted as duplicates, not written again. Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 422),
)
def create_attempt_batch(
    session: SessionDep, *, actor: Writer, case: CaseDep, body: AttemptBatch, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    attempts, created = service.record_batch(session, actor=actor, case=case, items=body.attempts)
    result = AttemptBatchResult(
        created=created,
        duplicates=len(attempts) - created,
        attempts=[AttemptRead.model_validate(a) for a in attempts],
    )
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=201,
        body=result,
        headers={"Location": f"{API_PREFIX}/cases/{case.id}/attempts"},
    )


@router.get("/{attempt_id}", summary="Read an attempt", responses=problem_responses(401, 403, 404))
def read_attempt(
    session: SessionDep, *, actor: Reader, case: CaseDep, attempt_id: uuid.UUID
) -> AttemptRead:
    return AttemptRead.model_validate(
        service.get_attempt(session, case=case, attempt_id=attempt_id)
    )


@router.get(
    "",
    summary="The case's attempts, oldest first",
    responses=problem_responses(400, 401, 403, 404, 422),
)
def list_attempts(
    session: SessionDep,
    *,
    actor: Reader,
    case: CaseDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[AttemptRead]:
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, parse_datetime, uuid.UUID)
        after = (at, last_id)
    rows = service.list_attempts(session, case=case, after=after, limit=limit + 1)
    items = [AttemptRead.model_validate(a) for a in rows]
    return page_of(items, limit, lambda a: [a.attempted_at.isoformat(), a.id])
