"""Personal data: the access log, exports, retention runs, erasure and legal holds."""

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.api import API_PREFIX
from app.audit import access
from app.audit.schemas import AccessEntryRead
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.dependencies import blob_store, stored_download
from app.blobstore.storage import BlobStore
from app.cases import service as cases
from app.cases.schemas import CaseRead
from app.clients import service as clients
from app.db import SessionDep, utcnow
from app.documents.responses import ZIP_RESPONSE
from app.errors import problem_responses
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import (
    Page,
    PageParams,
)
from app.personal_data import erasure, exports, links, retention
from app.personal_data.errors import ExportUnavailable
from app.personal_data.links import export_reader
from app.personal_data.models import Export
from app.personal_data.schemas import (
    ErasureCreate,
    ErasureRead,
    ExportRead,
    LegalHoldSet,
    RetentionDue,
    RetentionKept,
    RetentionReview,
    RetentionRunCreate,
    RetentionRunRead,
    RetentionSkipped,
)

router = APIRouter(tags=["personal-data"])

Eraser = Annotated[Principal, require(Permission.personal_data_manage)]
Holder = Annotated[Principal, require(Permission.legal_holds_manage)]


def _delete_files(request: Request, store: BlobStore, blobs: frozenset[str]) -> None:
    with request.app.state.session_factory() as session:
        erasure.delete_unreferenced(session, store=store, blobs=blobs)


@router.get(
    "/clients/{client_id}/access-log",
    summary="Who read the client's record or downloaded their files, newest first (admin)",
    description="Reads of the client's record and every download of an evidence file, draft, "
    "bundle, filing or export about them. Kept `access_log_retention_days` (policy).",
    responses=problem_responses(400, 401, 403, 404, 422),
)
def list_client_access_log(
    session: SessionDep,
    *,
    actor: Eraser,
    client_id: uuid.UUID,
    page: PageParams,
) -> Page[AccessEntryRead]:
    clients.get_client(session, client_id=client_id)
    rows, next_cursor = access.list_entries(session, client_id=client_id, page=page)
    return Page(items=[AccessEntryRead.model_validate(e) for e in rows], next_cursor=next_cursor)


@router.post(
    "/clients/{client_id}/exports",
    status_code=status.HTTP_201_CREATED,
    response_model=ExportRead,
    summary="Export everything held about a client, as a ZIP built in the background (admin)",
    description="The worker builds the ZIP (`donnees.json`, its JSON Schema, every file, a "
    "README in French); follow `Location` until `status` is `ready` and use its "
    "`download_url`. The request is in the audit trail, each download in the access log. "
    "Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_client_export(
    request: Request, session: SessionDep, actor: Eraser, client_id: uuid.UUID, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    export = exports.request_export(session, actor=actor, client_id=client_id)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=_export_read(request, export),
        headers={"Location": f"{API_PREFIX}/exports/{export.id}"},
    )


def _export_read(request: Request, export: Export) -> ExportRead:
    answer = ExportRead.model_validate(export)
    if exports.downloadable(export):
        settings = request.app.state.settings
        query = links.sign(settings.signing_key, export.id)
        answer.download_url = settings.public_url(f"/exports/{export.id}/content?{query}")
    return answer


@router.get(
    "/exports/{export_id}",
    summary="An export's status and, when ready, its download link (admin)",
    responses=problem_responses(401, 403, 404),
)
def read_export(
    request: Request, session: SessionDep, actor: Eraser, export_id: uuid.UUID
) -> ExportRead:
    return _export_read(request, exports.get_export(session, export_id=export_id))


@router.get(
    "/exports/{export_id}/content",
    summary="Download an export's ZIP (with a credential, or through its signed link)",
    response_class=StreamingResponse,
    responses=ZIP_RESPONSE | problem_responses(401, 403, 404, 409),
)
def download_export(
    request: Request,
    session: SessionDep,
    export_id: uuid.UUID,
    actor: Annotated[Principal | None, Depends(export_reader)],
) -> Response:
    export = exports.get_export(session, export_id=export_id)
    if not exports.downloadable(export):
        raise ExportUnavailable(f"This export is {export.status}.")
    assert export.sha256 is not None
    assert export.size is not None
    access.record_read(
        request, session, actor, client_id=export.client_id, action="export.download",
        resource_type="export", resource_id=export.id,
    )  # fmt: skip
    return stored_download(
        request, sha256=export.sha256, size=export.size, media_type="application/zip",
        filename=f"Export_{export.created_at.date().isoformat()}_{str(export.id)[:8]}.zip",
    )  # fmt: skip


@router.get(
    "/retention/due",
    summary="The clients past their retention period: due for erasure, or kept and why (admin)",
    responses=problem_responses(401, 403),
)
def read_retention_due(request: Request, session: SessionDep, actor: Eraser) -> RetentionReview:
    policy = request.app.state.settings.policy
    found = retention.review(session, policy=policy)
    return RetentionReview(
        retention_years=policy.retention_years,
        due=[RetentionDue(client_id=c, case_references=r, kept_until=u) for c, r, u in found.due],
        kept=[RetentionKept(client_id=c, case_references=r, reasons=w) for c, r, w in found.kept],
    )


@router.post(
    "/retention/runs",
    status_code=status.HTTP_201_CREATED,
    response_model=RetentionRunRead,
    summary="Erase the clients an admin confirmed from the retention list (admin)",
    description="Each client named is erased as by `POST /clients/{id}/erasure` if it is "
    "still due; one no longer due, or now kept, is skipped and reported. The run is in the "
    "audit trail (`retention.run`, linked by `Location`). Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 422),
)
def create_retention_run(
    request: Request,
    session: SessionDep,
    actor: Eraser,
    body: RetentionRunCreate,
    background: BackgroundTasks,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    done = retention.run(
        session, actor=actor, client_ids=body.client_ids, policy=request.app.state.settings.policy
    )
    background.add_task(_delete_files, request, blob_store(request), done.blobs)
    answer = RetentionRunRead(
        id=done.id, ran_at=done.ran_at, erased=done.erased,
        skipped=[RetentionSkipped(client_id=c, reasons=r) for c, r in done.skipped],
    )  # fmt: skip
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=answer,
        headers={
            "Location": f"{API_PREFIX}/audit-events?resource_type=retention&resource_id={done.id}"
        },
    )


@router.post(
    "/clients/{client_id}/erasure",
    status_code=status.HTTP_201_CREATED,
    response_model=ErasureRead,
    summary="Erase a client's personal data (admin)",
    description="Refused (409 `erasure-refused`, with `reasons`) while any of the client's "
    "cases is open, held, awaits a decision or has a deadline ahead. See "
    "docs/personal-data.md for what is erased and what is kept. Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_client_erasure(
    request: Request,
    session: SessionDep,
    actor: Eraser,
    client_id: uuid.UUID,
    body: ErasureCreate,
    background: BackgroundTasks,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    done = erasure.erase_client(
        session,
        actor=actor,
        client_id=client_id,
        reason=body.reason,
        policy=request.app.state.settings.policy,
    )
    # After the commit (background tasks run once the answer is sent): a rolled-back
    # erasure never loses a file.
    background.add_task(_delete_files, request, blob_store(request), done.blobs)
    answer = ErasureRead(
        client_id=done.client_id, erased_at=done.erased_at, cases=done.cases,
        files=len(done.blobs),
    )  # fmt: skip
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=answer,
        headers={"Location": f"{API_PREFIX}/clients/{client_id}"},
    )


def _hold(
    session: Session, *, actor: Principal, case_id: uuid.UUID, reason: str | None
) -> CaseRead:
    case = cases.get_case(session, case_id=case_id, for_update=True)
    cases.set_legal_hold(session, actor=actor, case=case, reason=reason, now=utcnow())
    return cases.read_case(session, case=case)


@router.put(
    "/cases/{case_id}/legal-hold",
    summary="Put a case under a legal hold: it is never erased while held",
    responses=problem_responses(401, 403, 404, 422),
)
def update_case_legal_hold(
    session: SessionDep, *, actor: Holder, case_id: uuid.UUID, body: LegalHoldSet
) -> CaseRead:
    return _hold(session, actor=actor, case_id=case_id, reason=body.reason)


@router.delete(
    "/cases/{case_id}/legal-hold",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Lift a case's legal hold",
    responses=problem_responses(401, 403, 404),
)
def delete_case_legal_hold(session: SessionDep, *, actor: Holder, case_id: uuid.UUID) -> Response:
    _hold(session, actor=actor, case_id=case_id, reason=None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
