import uuid
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.api import API_PREFIX
from app.audit import access
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.dependencies import blob_store
from app.cases import service as case_service
from app.cases.dependencies import CaseDep
from app.cases.models import Case
from app.db import SessionDep, end_transaction, reads_first, write_phase
from app.errors import problem_responses
from app.etags import IfMatch, check_if_match, set_etag
from app.evidence import content, exhibits, intake, plans, service
from app.evidence.models import EvidenceKind
from app.evidence.reading import checks
from app.evidence.reading import service as readings
from app.evidence.reading.models import Verdict
from app.evidence.reading.schemas import ReadingCheckCreate, ReadingRead
from app.evidence.schemas import (
    EvidenceForm,
    EvidenceRead,
    ExhibitListRead,
    ExhibitPlanUpdate,
    ExhibitRead,
    VerificationRead,
    WithdrawalCreate,
)
from app.evidence.upload import receive_upload
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.idempotency.service import IdempotentRequest
from app.pagination import Page, PageParams

cases_router = APIRouter(prefix="/cases/{case_id}", tags=["evidence"])
evidence_router = APIRouter(prefix="/evidence", tags=["evidence"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"$ref": "#/components/schemas/EvidenceKind"},
                        "captured_at": {"type": "string", "format": "date-time"},
                        "description": {"type": "string", "maxLength": 2000},
                        "attempt_id": {"type": "string", "format": "uuid"},
                        "contact_id": {"type": "string", "format": "uuid"},
                    },
                }
            }
        },
    }
}


DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {t: {} for t in content.ALLOWED}},
    304: {"description": "Unchanged since the ETag sent in If-None-Match"},
}


def _form(fields: dict[str, str]) -> EvidenceForm:
    # An empty optional field in a form means "not given".
    given = {k: v for k, v in fields.items() if v != "" or k == "description"}
    try:
        return EvidenceForm.model_validate(given)
    except ValidationError as exc:
        raise RequestValidationError(
            [error | {"loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from exc


@cases_router.post(
    "/evidence",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a piece of evidence (one call, atomic)",
    description="Multipart form: `file` and `kind`, optionally `captured_at`, `description`, "
    "`attempt_id`, `contact_id`. The content is identified from its bytes (PNG, JPEG, WebP, PDF, "
    "plain text, EML); anything else is a 415. Nothing is kept from a refused upload. Accepts "
    "`Idempotency-Key` (a retry with the same fields and file replays the first answer).",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 507),
    openapi_extra=UPLOAD_BODY,
    response_model=EvidenceRead,
)
@reads_first
async def upload_evidence(
    request: Request, session: SessionDep, actor: Writer, case_id: uuid.UUID, idem: Idempotent
) -> Response:
    case = await run_in_threadpool(case_service.get_case, session, case_id=case_id)
    # No connection (and, on SQLite, no write lock) is held while the body streams in, however
    # slow the client, nor while the file is checked and published: the write begins once the
    # bytes are stored, for the database work alone.
    await run_in_threadpool(end_transaction, session)
    store = blob_store(request)
    upload = await receive_upload(request, store, request.app.state.settings.evidence_max_bytes)
    try:
        form = _form(upload.fields)
        # Fingerprinted by what was parsed (fields and the file's hash), not by the multipart
        # bytes, whose boundary changes with every retry.
        staged = upload.staging.sha256 if upload.staging is not None else ""
        idem = idem.with_parts(upload.fields | {"sha256": staged, "filename": upload.filename})
        prepared = await run_in_threadpool(partial(intake.prepare, upload, store=store))
        return await run_in_threadpool(
            partial(
                _record_upload, session, actor=actor, case=case, prepared=prepared, form=form,
                idem=idem, read=request.app.state.settings.readings,
            )
        )  # fmt: skip
    finally:
        upload.discard()


def _record_upload(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    prepared: intake.Prepared,
    form: EvidenceForm,
    idem: IdempotentRequest,
    read: bool,
) -> Response:
    # One thread-pool hop from the lock taken to the answer built: the lock is not held while
    # the event loop schedules the next step.
    write_phase(session)
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    evidence = service.record_evidence(
        session, actor=actor, case=case, prepared=prepared, form=form, read=read
    )
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=EvidenceRead.model_validate(evidence),
        headers={"Location": f"{API_PREFIX}/evidence/{evidence.id}"},
    )


@cases_router.get(
    "/evidence",
    summary="The case's evidence, in upload order",
    responses=problem_responses(401, 403, 404),
)
def list_evidence(
    session: SessionDep,
    *,
    actor: Reader,
    case: CaseDep,
    page: PageParams,
    verdict: Annotated[
        Verdict | None,
        Query(
            description="Only screenshots whose reading has this final verdict (a person's "
            "check, else OCR's)."
        ),
    ] = None,
) -> Page[EvidenceRead]:
    rows, cursor = service.page_evidence(session, case_id=case.id, page=page, verdict=verdict)
    return Page(items=_with_readings(session, rows=rows), next_cursor=cursor)


def _with_readings(session: SessionDep, *, rows: list[Any]) -> list[EvidenceRead]:
    found = readings.for_evidence(session, ids=[e.id for e in rows])
    items = []
    for row in rows:
        item = EvidenceRead.model_validate(row)
        if (reading := found.get(row.id)) is not None:
            item.reading = ReadingRead.model_validate(reading)
        items.append(item)
    return items


@cases_router.get(
    "/evidence/verification",
    summary="Re-read every stored byte and the hash chain",
    responses=problem_responses(401, 403, 404),
)
def verify_evidence(
    request: Request, session: SessionDep, actor: Reader, case: CaseDep
) -> VerificationRead:
    return service.verify_case(session, store=blob_store(request), case=case)


def _exhibit_list(session: SessionDep, *, case: Any, response: Response) -> ExhibitListRead:
    plan, built = plans.case_exhibits(session, case=case)
    set_etag(response, plan.version)
    return ExhibitListRead(
        case_id=case.id,
        group_screenshots=plan.group_screenshots,
        version=plan.version,
        plan_hash=exhibits.plan_hash(exhibits.plan_of(built)),
        exhibits=[
            ExhibitRead(
                number=e.number,
                label=e.label,
                file_name=e.file_name,
                evidence_ids=list(e.evidence_ids),
                kind=EvidenceKind(e.kind),
            )
            for e in built
        ],
    )


@cases_router.get(
    "/exhibits",
    summary="The numbered exhibits (pièces) with their labels and Télérecours file names",
    responses=problem_responses(401, 403, 404),
)
def read_exhibits(
    session: SessionDep, *, actor: Reader, case: CaseDep, response: Response
) -> ExhibitListRead:
    return _exhibit_list(session, case=case, response=response)


@cases_router.put(
    "/exhibits",
    summary="Reorder the exhibits and choose whether screenshots form series",
    responses=problem_responses(401, 403, 404, 412, 422),
)
def update_exhibits(
    session: SessionDep,
    *,
    actor: Writer,
    case: CaseDep,
    body: ExhibitPlanUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ExhibitListRead:
    check_if_match(if_match, plans.get_plan(session, case_id=case.id).version)
    plans.update_plan(session, actor=actor, case=case, data=body)
    return _exhibit_list(session, case=case, response=response)


@evidence_router.get(
    "/{evidence_id}", summary="Evidence metadata", responses=problem_responses(401, 403, 404)
)
def read_evidence(session: SessionDep, *, actor: Reader, evidence_id: uuid.UUID) -> EvidenceRead:
    (item,) = _with_readings(session, rows=[service.get_evidence(session, evidence_id=evidence_id)])
    return item


@evidence_router.post(
    "/{evidence_id}/reading-checks",
    summary="Check a capture by eye: the time and page seen give its verdict",
    description="For a capture OCR misread (a clock it missed, an error page it did not "
    "recognise): what a person sees on it, with a reason. The verdict follows by the same "
    "rules as OCR's and replaces it for readiness and the drafts (`reading.final_verdict`); "
    "a new reading keeps it; the check is in the audit trail. A new check replaces the last.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def check_evidence_reading(
    request: Request,
    session: SessionDep,
    *,
    actor: Writer,
    evidence_id: uuid.UUID,
    body: ReadingCheckCreate,
) -> EvidenceRead:
    evidence = service.get_evidence(session, evidence_id=evidence_id)
    checks.check_reading(
        session,
        actor=actor,
        evidence=evidence,
        data=body,
        policy=request.app.state.settings.policy,
    )
    (item,) = _with_readings(session, rows=[evidence])
    return item


def _content_disposition(evidence: Any) -> str:
    extension = content.EXTENSIONS[evidence.media_type]
    stem = evidence.original_filename.rsplit(".", 1)[0] or evidence.kind
    fallback = f"{exhibits.ascii_slug(stem)[:60] or 'piece'}.{extension}"
    encoded = quote(f"{stem[:120]}.{extension}", safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


@evidence_router.get(
    "/{evidence_id}/content",
    summary="Download the evidence exactly as received",
    response_class=StreamingResponse,
    responses=DOWNLOAD | problem_responses(401, 403, 404),
)
def download_evidence(
    request: Request,
    session: SessionDep,
    actor: Reader,
    evidence_id: uuid.UUID,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    evidence = service.get_evidence(session, evidence_id=evidence_id)
    etag = f'"{evidence.sha256}"'
    headers = {"ETag": etag, "X-Content-Type-Options": "nosniff", "Cache-Control": "private"}
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    access.record_read(
        request, session, actor,
        client_id=case_service.client_of_case(session, case_id=evidence.case_id),
        action="evidence.download", resource_type="evidence", resource_id=evidence.id,
    )  # fmt: skip
    headers |= {
        "Content-Disposition": _content_disposition(evidence),
        "Content-Length": str(evidence.size),
    }
    return StreamingResponse(
        blob_store(request).open(evidence.sha256), media_type=evidence.media_type, headers=headers
    )


@evidence_router.post(
    "/{evidence_id}/withdrawal",
    status_code=status.HTTP_201_CREATED,
    summary="Withdraw the evidence from the exhibits (its bytes are kept)",
    description="Accepts `Idempotency-Key`.",
    response_model=EvidenceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def withdraw_evidence(
    session: SessionDep,
    *,
    actor: Writer,
    evidence_id: uuid.UUID,
    body: WithdrawalCreate,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    evidence = service.get_evidence(session, evidence_id=evidence_id)
    evidence = service.withdraw(session, actor=actor, evidence=evidence, reason=body.reason)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=EvidenceRead.model_validate(evidence),
        headers={"Location": f"{API_PREFIX}/evidence/{evidence.id}"},
    )
