import uuid
from typing import Annotated

from fastapi import APIRouter, Response, status

from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.dependencies import CaseDep
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import IfMatch, check_if_match, etag_for, set_etag
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page, PageParams
from app.proceedings import service
from app.proceedings.schemas import ProceedingCreate, ProceedingRead, ProceedingUpdate

router = APIRouter(prefix="/cases/{case_id}/proceedings", tags=["proceedings"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProceedingRead,
    summary="Record a référé (filing, hearing, decision… may come later by PATCH)",
    description="The tribunal defaults to the one competent for the case's préfecture. "
    "An appointment recorded here moves an open case to `appointment_obtained`. "
    "Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 422),
)
def create_proceeding(
    session: SessionDep, *, actor: Writer, case: CaseDep, body: ProceedingCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    proceeding = service.create_proceeding(session, actor=actor, case=case, data=body)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=ProceedingRead.model_validate(proceeding),
        headers={
            "ETag": etag_for(proceeding.version),
            "Location": f"{API_PREFIX}/cases/{case.id}/proceedings/{proceeding.id}",
        },
    )


@router.get("", summary="The case's proceedings", responses=problem_responses(401, 403, 404))
def list_proceedings(
    session: SessionDep, *, actor: Reader, case: CaseDep, page: PageParams
) -> Page[ProceedingRead]:
    rows, cursor = service.page_proceedings(session, case_id=case.id, page=page)
    return Page(items=[ProceedingRead.model_validate(p) for p in rows], next_cursor=cursor)


@router.get(
    "/{proceeding_id}", summary="Read a proceeding", responses=problem_responses(401, 403, 404)
)
def read_proceeding(
    session: SessionDep,
    *,
    actor: Reader,
    case: CaseDep,
    proceeding_id: uuid.UUID,
    response: Response,
) -> ProceedingRead:
    proceeding = service.get_proceeding(session, case=case, proceeding_id=proceeding_id)
    set_etag(response, proceeding.version)
    return ProceedingRead.model_validate(proceeding)


@router.patch(
    "/{proceeding_id}",
    summary="Update a proceeding: hearing, decision, notification, appointment",
    responses=problem_responses(401, 403, 404, 412, 422),
)
def update_proceeding(
    session: SessionDep,
    *,
    actor: Writer,
    case: CaseDep,
    proceeding_id: uuid.UUID,
    body: ProceedingUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ProceedingRead:
    proceeding = service.get_proceeding(
        session, case=case, proceeding_id=proceeding_id, for_update=True
    )
    check_if_match(if_match, proceeding.version)
    service.update_proceeding(session, actor=actor, case=case, proceeding=proceeding, data=body)
    set_etag(response, proceeding.version)
    return ProceedingRead.model_validate(proceeding)
