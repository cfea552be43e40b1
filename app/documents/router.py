import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.api import API_PREFIX
from app.audit import access
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.dependencies import blob_store, stored_download
from app.blobstore.storage import CHUNK, Staging
from app.cases.dependencies import CaseDep
from app.db import SessionDep, end_transaction, reads_first, write_phase
from app.documents import attesting, bundling, drafting, links, service, template_versions
from app.documents.errors import TemplateTooLarge
from app.documents.models import FILE_NAMES, DocumentKind
from app.documents.responses import DOCX, DOCX_RESPONSE, ZIP_RESPONSE
from app.documents.schemas import (
    DocumentCreate,
    DocumentLinkCreate,
    DocumentLinkRead,
    DocumentRead,
    TemplateKindRead,
    TemplateRead,
)
from app.documents.template_versions import MAX_TEMPLATE_BYTES
from app.errors import problem_responses
from app.evidence.schemas import EvidenceRead
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page, PageParams

cases_router = APIRouter(prefix="/cases/{case_id}", tags=["documents"])
documents_router = APIRouter(prefix="/documents", tags=["documents"])
templates_router = APIRouter(prefix="/templates", tags=["documents"])

Reader = Annotated[Principal, require(Permission.cases_read)]
Generator = Annotated[Principal, require(Permission.documents_generate)]
TemplateReader = Annotated[Principal, require(Permission.profile_read)]
TemplateManager = Annotated[Principal, require(Permission.templates_manage)]


@cases_router.post(
    "/documents",
    status_code=status.HTTP_201_CREATED,
    summary="Generate a Word draft from the file (stored, versioned, never overwritten)",
    description="Kinds: `prefecture_letter` (`variant`: `registered_letter` or `email`), "
    "`interim_relief_petition`, `exhibit_inventory`, `attempts_annex`. Delays, astreinte and "
    "costs default to the firm policy. A petition for a file with blockers is a 409 unless a "
    "lawyer gives an `override_reason`. Accepts `Idempotency-Key`.",
    response_model=DocumentRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
@reads_first
def create_document(
    request: Request,
    session: SessionDep,
    actor: Generator,
    case: CaseDep,
    body: DocumentCreate,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.peek(session, actor=actor, request=idem)) is not None:
        return replayed
    draft = drafting.prepare(
        session,
        actor=actor,
        case=case,
        data=body,
        store=blob_store(request),
        policy=request.app.state.settings.policy,
    )
    write_phase(session)  # rendered and stored: the write lock is for the rows alone
    # A twin request may have answered since the peek: its answer, and our bytes stay an
    # unreferenced blob (content-addressed; ``creneau storage gc`` collects it).
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    document = drafting.record(session, actor=actor, case=case, draft=draft)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=DocumentRead.model_validate(document),
        headers={"Location": f"{API_PREFIX}/documents/{document.id}"},
    )


@cases_router.get(
    "/documents",
    summary="The file's drafts, oldest first",
    responses=problem_responses(401, 403, 404),
)
def list_documents(
    session: SessionDep, *, actor: Reader, case: CaseDep, page: PageParams
) -> Page[DocumentRead]:
    rows, cursor = service.page_documents(session, case_id=case.id, page=page)
    return Page(items=[DocumentRead.model_validate(d) for d in rows], next_cursor=cursor)


@documents_router.get(
    "/{document_id}", summary="A draft's metadata", responses=problem_responses(401, 403, 404)
)
def read_document(session: SessionDep, *, actor: Reader, document_id: uuid.UUID) -> DocumentRead:
    return DocumentRead.model_validate(service.get_document(session, document_id=document_id))


@documents_router.post(
    "/{document_id}/links",
    summary="A short-lived signed download link for the .docx (for a DMS connector)",
    description="The URL opens this document only, without a credential, until `expires_at` "
    "(15 minutes by default, 24 hours at most). Nothing is stored: the link is signed.",
    responses=problem_responses(401, 403, 404, 422),
)
def create_document_link(
    request: Request,
    session: SessionDep,
    actor: Reader,
    document_id: uuid.UUID,
    body: DocumentLinkCreate | None = None,
) -> DocumentLinkRead:
    document = service.get_document(session, document_id=document_id)
    settings = request.app.state.settings
    lifetime = timedelta(seconds=(body or DocumentLinkCreate()).expires_in_seconds)
    query, expires_at = links.sign(settings.signing_key, document.id, lifetime)
    url = settings.public_url(f"/documents/{document.id}/content?{query}")
    return DocumentLinkRead(url=url, expires_at=expires_at)


@documents_router.get(
    "/{document_id}/content",
    summary="Download the .docx (with a credential, or through a signed link)",
    response_class=StreamingResponse,
    responses=DOCX_RESPONSE | problem_responses(401, 403, 404),
)
def download_document(
    request: Request,
    session: SessionDep,
    document_id: uuid.UUID,
    actor: Annotated[Principal | None, Depends(links.download_reader)],
) -> Response:
    document = service.get_document(session, document_id=document_id)
    case = service.case_of(session, document=document)
    reference = case.reference if case else "dossier"
    if case is not None:
        access.record_read(
            request, session, actor, client_id=case.client_id, action="document.download",
            resource_type="document", resource_id=document.id,
        )  # fmt: skip
    return stored_download(
        request,
        sha256=document.sha256,
        size=document.size,
        media_type=DOCX,
        filename=f"{FILE_NAMES[document.kind]}_{reference}_v{document.version}.docx",
    )


def _file_then_delete(staging: Staging) -> Iterator[bytes]:
    try:
        with staging.path.open("rb") as built:
            while chunk := built.read(CHUNK):
                yield chunk
    finally:
        staging.discard()


@cases_router.get(
    "/bundle",
    summary="The filing bundle for Télérecours, as a ZIP",
    description="The latest petition (its attempts table annexed), the inventory of exhibits "
    "and one PDF per exhibit named as in the inventory (images without loss, e-mails and "
    "texts rendered), with a `manifest.json` giving every file's SHA-256 and the exhibit plan "
    "hash. 409 `stale-petition` when the exhibits changed since the petition was drafted; 409 "
    "`unfileable-exhibit` when an exhibit cannot become a PDF. The same data give the same "
    "bytes. To keep what was filed, freeze it with `POST /cases/{id}/filings`.",
    response_class=StreamingResponse,
    responses=ZIP_RESPONSE | problem_responses(401, 403, 404, 409),
)
def download_bundle(
    request: Request, session: SessionDep, actor: Reader, case: CaseDep
) -> Response:
    staging, manifest = bundling.build_bundle(session, store=blob_store(request), case=case)
    access.record_read(
        request, session, actor, client_id=case.client_id, action="bundle.download",
        resource_type="case", resource_id=case.id,
    )  # fmt: skip
    return StreamingResponse(
        _file_then_delete(staging),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="Depot_{case.reference}.zip"',
            "Content-Length": str(staging.size),
            "ETag": f'"{staging.sha256}"',
            "X-Exhibit-Plan-Hash": manifest["exhibit_plan_hash"],
        },
    )


def _kind_read(session: SessionDep, *, kind: DocumentKind) -> TemplateKindRead:
    versions = [
        TemplateRead.model_validate(t) for t in template_versions.list_templates(session, kind=kind)
    ]
    active = next((v for v in reversed(versions) if v.is_active), None)
    return TemplateKindRead(
        kind=kind, uses_builtin=active is None, active=active, versions=versions
    )


@templates_router.get(
    "/{kind}",
    summary="The template in use for a kind, and its versions",
    responses=problem_responses(401, 403, 422),
)
def read_template(
    session: SessionDep, *, actor: TemplateReader, kind: DocumentKind
) -> TemplateKindRead:
    return _kind_read(session, kind=kind)


@templates_router.get(
    "/{kind}/content",
    summary="Download the template in use (a starting point for the firm's own)",
    response_class=Response,
    responses=DOCX_RESPONSE | problem_responses(401, 403, 422),
)
def download_template(
    request: Request, session: SessionDep, actor: TemplateReader, kind: DocumentKind
) -> Response:
    source, _ = template_versions.template_source(session, store=blob_store(request), kind=kind)
    return Response(
        source,
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{kind.value}.docx"'},
    )


@templates_router.put(
    "/{kind}",
    summary="Upload the firm's own template for a kind (admin)",
    description="Send the .docx as the request body. It is rendered against a sample case first "
    "and refused (422) with the list of unknown variables or template errors. Earlier versions "
    "are kept.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in (DOCX, "application/octet-stream")
            },
        }
    },
    responses=problem_responses(401, 403, 413, 422),
)
@reads_first
async def upload_template(
    request: Request, session: SessionDep, actor: TemplateManager, kind: DocumentKind
) -> TemplateKindRead:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_TEMPLATE_BYTES:
        raise TemplateTooLarge(f"Templates are limited to {MAX_TEMPLATE_BYTES} bytes.")
    # No connection held while the body streams in, however slow the client.
    await run_in_threadpool(end_transaction, session)
    source = bytearray()
    async for chunk in request.stream():
        source.extend(chunk)
        if len(source) > MAX_TEMPLATE_BYTES:
            raise TemplateTooLarge(f"Templates are limited to {MAX_TEMPLATE_BYTES} bytes.")
    name = request.headers.get("x-filename", f"{kind.value}.docx")
    # The body streamed in, the sample rendered and the file stored with no lock held.
    sha256 = await run_in_threadpool(
        template_versions.check_and_store, bytes(source), store=blob_store(request)
    )
    await run_in_threadpool(write_phase, session)
    await run_in_threadpool(
        template_versions.upload_template,
        session,
        actor=actor,
        kind=kind,
        source=bytes(source),
        sha256=sha256,
        filename=name,
    )
    return await run_in_threadpool(_kind_read, session, kind=kind)


@templates_router.post(
    "/{kind}/restorations",
    status_code=status.HTTP_201_CREATED,
    summary="Go back to the built-in template (admin; the firm's versions are kept)",
    responses=problem_responses(401, 403, 422),
)
def restore_template(
    session: SessionDep, *, actor: TemplateManager, kind: DocumentKind, response: Response
) -> TemplateKindRead:
    template_versions.restore_builtin(session, actor=actor, kind=kind)
    response.headers["Location"] = f"{API_PREFIX}/templates/{kind.value}"
    return _kind_read(session, kind=kind)


@cases_router.post(
    "/integrity-attestations",
    status_code=status.HTTP_201_CREATED,
    summary="Add an « attestation de conservation » of the screenshots as evidence",
    description="Verifies the case's evidence chain, then adds a one-document PDF listing each "
    "screenshot with its capture and reception times, its SHA-256 and its chain entry. It "
    "becomes evidence of the case (kind `integrity_attestation`), numbered last among the "
    "exhibits, so the lawyer may file it. 409 when the chain does not verify or there is no "
    "screenshot. Accepts `Idempotency-Key`.",
    response_model=EvidenceRead,
    responses=problem_responses(401, 403, 404, 409),
)
@reads_first
def create_attestation(
    request: Request, session: SessionDep, actor: Generator, case: CaseDep, idem: Idempotent
) -> Response:
    if (replayed := idempotency.peek(session, actor=actor, request=idem)) is not None:
        return replayed
    store = blob_store(request)
    prepared = attesting.prepare(session, case=case, store=store)
    write_phase(session)  # every stored byte re-read: the write lock is for the chain alone
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    evidence = attesting.record(session, actor=actor, case=case, store=store, prepared=prepared)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=EvidenceRead.model_validate(evidence),
        headers={"Location": f"{API_PREFIX}/evidence/{evidence.id}"},
    )
