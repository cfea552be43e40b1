import uuid
from typing import Annotated

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse

from app.api import API_PREFIX
from app.audit import access
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.dependencies import blob_store, stored_download
from app.cases import service as case_service
from app.cases.dependencies import CaseDep
from app.db import SessionDep, reads_first, write_phase
from app.documents.responses import ZIP_RESPONSE
from app.errors import problem_responses
from app.filings import service
from app.filings.schemas import FilingChainRead, FilingCreate, FilingRead
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page, PageParams

cases_router = APIRouter(prefix="/cases/{case_id}", tags=["filings"])
filings_router = APIRouter(prefix="/filings", tags=["filings"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Filer = Annotated[Principal, require(Permission.documents_generate)]


@cases_router.post(
    "/filings",
    status_code=status.HTTP_201_CREATED,
    summary="Freeze the filing bundle as filed (stored, hash-chained, never rebuilt)",
    description="Builds the bundle exactly as `GET /cases/{id}/bundle` (same 409s) and keeps "
    "it: `GET /filings/{id}/content` returns the same bytes forever after. The tribunal is "
    "the competent one; give the filing date and the docket number when known. Accepts "
    "`Idempotency-Key`.",
    response_model=FilingRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
@reads_first
def create_filing(
    request: Request,
    session: SessionDep,
    actor: Filer,
    case: CaseDep,
    body: FilingCreate,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.peek(session, actor=actor, request=idem)) is not None:
        return replayed
    bundle = service.build(session, case=case, store=blob_store(request))
    write_phase(session)  # the bundle built and stored: the write lock is for the chain alone
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    filing = service.freeze(session, actor=actor, case=case, data=body, bundle=bundle)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=FilingRead.model_validate(filing),
        headers={"Location": f"{API_PREFIX}/filings/{filing.id}"},
    )


@cases_router.get(
    "/filings",
    summary="The file's frozen filings, oldest first",
    responses=problem_responses(401, 403, 404),
)
def list_filings(
    session: SessionDep, *, actor: Reader, case: CaseDep, page: PageParams
) -> Page[FilingRead]:
    rows, cursor = service.page_filings(session, case_id=case.id, page=page)
    return Page(items=[FilingRead.model_validate(f) for f in rows], next_cursor=cursor)


@cases_router.get(
    "/filings/verification",
    summary="Check the filings' hash chain and every frozen ZIP against its SHA-256",
    responses=problem_responses(401, 403, 404),
)
def verify_filings(
    request: Request, session: SessionDep, actor: Reader, case: CaseDep
) -> FilingChainRead:
    count, intact, blobs = service.verify(session, case_id=case.id, store=blob_store(request))
    return FilingChainRead(case_id=case.id, filings=count, intact=intact, blobs_intact=blobs)


@filings_router.get(
    "/{filing_id}",
    summary="A frozen filing's metadata and manifest",
    responses=problem_responses(401, 403, 404),
)
def read_filing(session: SessionDep, *, actor: Reader, filing_id: uuid.UUID) -> FilingRead:
    return FilingRead.model_validate(service.get_filing(session, filing_id=filing_id))


@filings_router.get(
    "/{filing_id}/content",
    summary="Download the frozen ZIP, byte for byte as filed",
    response_class=StreamingResponse,
    responses=ZIP_RESPONSE | problem_responses(401, 403, 404),
)
def download_filing(
    request: Request, session: SessionDep, actor: Reader, filing_id: uuid.UUID
) -> Response:
    filing = service.get_filing(session, filing_id=filing_id)
    access.record_read(
        request, session, actor,
        client_id=case_service.client_of_case(session, case_id=filing.case_id),
        action="filing.download", resource_type="filing", resource_id=filing.id,
    )  # fmt: skip
    return stored_download(
        request,
        sha256=filing.sha256,
        size=filing.size,
        media_type="application/zip",
        filename=f"Depot_{filing.filed_on.isoformat()}_{filing.chain_index}.zip",
    )
