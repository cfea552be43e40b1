"""Personal data: erasing a client's, and the legal holds that forbid it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from sqlmodel import Session

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases import service as cases
from app.cases.schemas import CaseRead
from app.db import SessionDep, utcnow
from app.errors import problem_responses
from app.evidence.dependencies import blob_store
from app.evidence.storage import BlobStore
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.personal_data import erasure
from app.personal_data.schemas import ErasureCreate, ErasureRead, LegalHoldSet

router = APIRouter(tags=["personal-data"])

Eraser = Annotated[Principal, require(Permission.personal_data_manage)]
Holder = Annotated[Principal, require(Permission.legal_holds_manage)]


def _delete_files(request: Request, store: BlobStore, blobs: frozenset[str]) -> None:
    with request.app.state.session_factory() as session:
        erasure.delete_unreferenced(session, store, blobs)


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
    if (replayed := idempotency.replay(session, actor, idem)) is not None:
        return replayed
    done = erasure.erase_client(
        session, actor, client_id, reason=body.reason, policy=request.app.state.settings.policy
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
        actor,
        idem,
        status_code=status.HTTP_201_CREATED,
        body=answer,
        headers={"Location": f"/api/v1/clients/{client_id}"},
    )


def _hold(session: Session, actor: Principal, case_id: uuid.UUID, reason: str | None) -> CaseRead:
    case = cases.get_case(session, case_id, for_update=True)
    cases.set_legal_hold(session, actor, case, reason, utcnow())
    return cases.read_case(session, case)


@router.put(
    "/cases/{case_id}/legal-hold",
    summary="Put a case under a legal hold: it is never erased while held",
    responses=problem_responses(401, 403, 404, 422),
)
def update_case_legal_hold(
    session: SessionDep, actor: Holder, case_id: uuid.UUID, body: LegalHoldSet
) -> CaseRead:
    return _hold(session, actor, case_id, body.reason)


@router.delete(
    "/cases/{case_id}/legal-hold",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Lift a case's legal hold",
    responses=problem_responses(401, 403, 404),
)
def delete_case_legal_hold(session: SessionDep, actor: Holder, case_id: uuid.UUID) -> Response:
    _hold(session, actor, case_id, None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
