from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import Page, PageParams, paginate_sorted
from app.prefectures import service
from app.prefectures.schemas import (
    PrefectureDetail,
    PrefectureRead,
    PrefectureUpdate,
    ProcedureRead,
    ProcedureUpdate,
    TribunalRead,
    TribunalUpdate,
)

prefectures_router = APIRouter(prefix="/prefectures", tags=["reference-data"])
tribunals_router = APIRouter(prefix="/tribunals", tags=["reference-data"])
procedures_router = APIRouter(prefix="/procedures", tags=["reference-data"])

Reader = Annotated[Principal, require(Permission.reference_read)]
Editor = Annotated[Principal, require(Permission.reference_edit)]
CODE_DOC = "Département code as usually written: `75`, `2A` or `2a`, `01` or `1`, `974`."


def _detail(session: SessionDep, *, code: str) -> PrefectureDetail:
    prefecture = service.get_prefecture(session, raw_code=code)
    tribunal = service.get_tribunal(session, code=prefecture.tribunal_code)
    return PrefectureDetail(
        **PrefectureRead.model_validate(prefecture).model_dump(),
        tribunal=TribunalRead.model_validate(tribunal),
    )


@prefectures_router.get("", summary="List préfectures", responses=problem_responses(401, 403, 422))
def list_prefectures(
    session: SessionDep,
    *,
    actor: Reader,
    page: PageParams,
    tribunal: Annotated[str | None, Query(max_length=40, description="Tribunal code.")] = None,
    q: Annotated[
        str | None, Query(max_length=80, description="Part of the département or city name.")
    ] = None,
) -> Page[PrefectureRead]:
    everything = service.list_prefectures(session, tribunal_code=tribunal, search=q)
    rows, cursor = paginate_sorted(everything, lambda p: p.department_code, page)
    return Page(items=[PrefectureRead.model_validate(p) for p in rows], next_cursor=cursor)


@prefectures_router.get(
    "/{department_code}",
    summary="A préfecture with its competent tribunal",
    description=CODE_DOC,
    responses=problem_responses(401, 403, 404),
)
def read_prefecture(
    session: SessionDep, *, actor: Reader, department_code: str
) -> PrefectureDetail:
    return _detail(session, code=department_code)


@prefectures_router.patch(
    "/{department_code}",
    summary="Edit a préfecture's contact data and salutation (admin)",
    description=CODE_DOC,
    responses=problem_responses(401, 403, 404, 422),
)
def update_prefecture(
    session: SessionDep, *, actor: Editor, department_code: str, body: PrefectureUpdate
) -> PrefectureDetail:
    prefecture = service.get_prefecture(session, raw_code=department_code)
    service.apply_edits(
        session,
        actor=actor,
        row=prefecture,
        changes=body.model_dump(mode="json", exclude_unset=True),
        resource_type="prefecture",
        resource_id=prefecture.department_code,
    )
    return _detail(session, code=prefecture.department_code)


@tribunals_router.get(
    "", summary="List tribunaux administratifs", responses=problem_responses(401, 403)
)
def list_tribunals(session: SessionDep, *, actor: Reader, page: PageParams) -> Page[TribunalRead]:
    rows, cursor = paginate_sorted(service.list_tribunals(session), lambda t: t.code, page)
    return Page(items=[TribunalRead.model_validate(t) for t in rows], next_cursor=cursor)


@tribunals_router.get(
    "/{code}", summary="A tribunal administratif", responses=problem_responses(401, 403, 404)
)
def read_tribunal(session: SessionDep, *, actor: Reader, code: str) -> TribunalRead:
    return TribunalRead.model_validate(service.get_tribunal(session, code=code))


@tribunals_router.patch(
    "/{code}",
    summary="Edit a tribunal's postal address (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
def update_tribunal(
    session: SessionDep, *, actor: Editor, code: str, body: TribunalUpdate
) -> TribunalRead:
    tribunal = service.get_tribunal(session, code=code)
    service.apply_edits(
        session,
        actor=actor,
        row=tribunal,
        changes=body.model_dump(mode="json", exclude_unset=True),
        resource_type="tribunal",
        resource_id=tribunal.code,
    )
    return TribunalRead.model_validate(tribunal)


@procedures_router.get(
    "", summary="List procedure types (motifs)", responses=problem_responses(401, 403)
)
def list_procedures(session: SessionDep, *, actor: Reader, page: PageParams) -> Page[ProcedureRead]:
    rows, cursor = paginate_sorted(service.list_procedures(session), lambda p: p.code, page)
    return Page(items=[ProcedureRead.model_validate(p) for p in rows], next_cursor=cursor)


@procedures_router.patch(
    "/{code}",
    summary="Change a procedure type's filing channel (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
def update_procedure(
    session: SessionDep, *, actor: Editor, code: str, body: ProcedureUpdate
) -> ProcedureRead:
    procedure = service.get_procedure(session, code=code)
    service.apply_edits(
        session,
        actor=actor,
        row=procedure,
        changes=body.model_dump(mode="json", exclude_unset=True),
        resource_type="procedure",
        resource_id=procedure.code,
    )
    return ProcedureRead.model_validate(procedure)
