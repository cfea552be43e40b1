import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases import lists, service
from app.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    StageChangeCreate,
    StageChangeRead,
)
from app.cases.stages import Stage
from app.db import SessionDep, read_in_thread
from app.errors import invalid_fields, problem_responses
from app.etags import IfMatch, check_if_match, etag_for, set_etag
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import (
    CursorQuery,
    ExternalRefQuery,
    LimitQuery,
    Page,
    PageParams,
    UpdatedSinceQuery,
    decode_cursor,
    encode_cursor,
    parse_datetime,
)
from app.prefectures.codes import normalise_department_code

router = APIRouter(prefix="/cases", tags=["cases"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]
Readiness = Literal["prefecture_contact", "interim_relief"]
Sort = Literal["opened_at", "-opened_at", "updated_at", "-updated_at", "reference", "-reference"]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CaseRead,
    summary="Open a case",
    description="Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 409, 422),
)
def create_case(
    request: Request, session: SessionDep, actor: Writer, body: CaseCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    case = service.create_case(
        session, actor=actor, data=body, evidence=request.app.state.case_evidence
    )
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=service.read_case(session, case=case),
        headers={"ETag": etag_for(case.version), "Location": f"{API_PREFIX}/cases/{case.id}"},
    )


@router.get("", summary="List and filter cases", responses=problem_responses(400, 401, 403, 422))
async def list_cases(
    request: Request,
    session: SessionDep,
    actor: Reader,
    stage: Annotated[list[Stage] | None, Query(description="Repeat for several.")] = None,
    department_code: Annotated[str | None, Query(max_length=3)] = None,
    tribunal: Annotated[str | None, Query(max_length=40)] = None,
    procedure: Annotated[str | None, Query(max_length=60)] = None,
    lawyer_id: uuid.UUID | None = None,
    is_renewal: bool | None = None,
    urgency_before: Annotated[
        date | None, Query(description="Cases with an urgency fact dated on or before this day.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Client name or case reference.")
    ] = None,
    ready_for: Annotated[
        Readiness | None,
        Query(description="Only the files that meet the criteria to move to this stage."),
    ] = None,
    not_ready_for: Annotated[
        Readiness | None,
        Query(
            description="Only the files that could move to this stage but do not yet meet "
            "the criteria."
        ),
    ] = None,
    external_ref: ExternalRefQuery = None,
    updated_since: UpdatedSinceQuery = None,
    sort: Sort = "-opened_at",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[CaseRead]:
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    after = None
    if cursor:
        parse = str if key == "reference" else parse_datetime
        value, last_id = decode_cursor(cursor, parse, uuid.UUID)
        after = (value, last_id)
    filters = lists.CaseFilters(
        stages=stage,
        department_code=normalise_department_code(department_code) or department_code
        if department_code
        else None,
        tribunal_code=tribunal,
        procedure_code=procedure,
        lawyer_id=lawyer_id,
        is_renewal=is_renewal,
        urgency_before=urgency_before,
        search=q,
        external_ref=external_ref,
        updated_since=updated_since,
    )
    if ready_for and not_ready_for:
        raise invalid_fields([("not_ready_for", "use either ready_for or not_ready_for")])
    guard = request.app.state.stage_guard

    def work() -> tuple[list[CaseRead], CaseRead | None]:
        if target := ready_for or not_ready_for:
            return lists.list_by_readiness(
                session, guard=guard, target=Stage(target), ready=bool(ready_for), filters=filters,
                sort=key, descending=descending, after=after, limit=limit,
            )  # fmt: skip
        rows = lists.list_cases(
            session, filters=filters, sort=key, descending=descending, after=after, limit=limit + 1
        )
        return rows[:limit], (rows[limit - 1] if len(rows) > limit else None)

    page, last = await read_in_thread(session, work=work)
    next_cursor = encode_cursor([lists.sort_value(last, key), last.id]) if last else None
    return Page(items=page, next_cursor=next_cursor)


@router.get("/{case_id}", summary="Read a case", responses=problem_responses(401, 403, 404))
async def read_case(
    session: SessionDep, *, actor: Reader, case_id: uuid.UUID, response: Response
) -> CaseRead:
    case = await read_in_thread(session, work=lambda: service.view_case(session, case_id=case_id))
    set_etag(response, case.version)
    return case


@router.patch(
    "/{case_id}",
    summary="Update a case (send If-Match to refuse a stale write)",
    responses=problem_responses(401, 403, 404, 412, 422),
)
def update_case(
    request: Request,
    session: SessionDep,
    actor: Writer,
    case_id: uuid.UUID,
    body: CaseUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> CaseRead:
    case = service.get_case(session, case_id=case_id, for_update=True)
    check_if_match(if_match, case.version)
    service.update_case(
        session, actor=actor, case=case, data=body, evidence=request.app.state.case_evidence
    )
    set_etag(response, case.version)
    return service.read_case(session, case=case)


@router.post(
    "/{case_id}/stage-changes",
    status_code=status.HTTP_201_CREATED,
    summary="Move a case to another stage",
    response_model=StageChangeRead,
    description="Closing and reopening need a lawyer or an admin; a forbidden move is a 409. "
    "The answer's ETag is the case's new version. Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
def create_stage_change(
    request: Request,
    session: SessionDep,
    actor: Writer,
    case_id: uuid.UUID,
    body: StageChangeCreate,
    idem: Idempotent,
    if_match: IfMatch = None,
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    case = service.get_case(session, case_id=case_id, for_update=True)
    check_if_match(if_match, case.version)
    change = service.change_stage(
        session, actor=actor, case=case, data=body, guard=request.app.state.stage_guard
    )
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=StageChangeRead.model_validate(change),
        headers={
            "ETag": etag_for(case.version),
            "Location": f"{API_PREFIX}/cases/{case.id}/stage-changes",
        },
    )


@router.get(
    "/{case_id}/stage-changes",
    summary="The case's stage history, oldest first",
    responses=problem_responses(401, 403, 404),
)
def list_stage_changes(
    session: SessionDep, *, actor: Reader, case_id: uuid.UUID, page: PageParams
) -> Page[StageChangeRead]:
    case = service.get_case(session, case_id=case_id)
    rows, cursor = service.page_stage_changes(session, case=case, page=page)
    return Page(items=[StageChangeRead.model_validate(c) for c in rows], next_cursor=cursor)
