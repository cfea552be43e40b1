import uuid
from typing import Annotated

from fastapi import APIRouter, Request, Response, status

from app.api import API_PREFIX
from app.attempts.schemas import AttemptRead
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.dependencies import CaseDep
from app.client_links import service
from app.client_links.schemas import (
    LinkCreate,
    LinkCreated,
    LinkRead,
    ReceivedAttempt,
    ReceivedFile,
    ReviewCreate,
)
from app.db import SessionDep
from app.errors import problem_responses
from app.evidence.reading import service as readings
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import Page

router = APIRouter(prefix="/cases/{case_id}", tags=["client-links"])
Reader = Annotated[Principal, require(Permission.cases_read)]
Writer = Annotated[Principal, require(Permission.cases_write)]


@router.post(
    "/upload-links",
    status_code=status.HTTP_201_CREATED,
    response_model=LinkCreated,
    summary="Create a link the client uses to send booking attempts from a phone",
    description="The URL (from CRENEAU_PUBLIC_BASE_URL) is shown once. Accepts "
    "`Idempotency-Key`; a replay carries `url: null`.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_upload_link(
    request: Request,
    session: SessionDep,
    actor: Writer,
    case: CaseDep,
    body: LinkCreate,
    idem: Idempotent,
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    settings = request.app.state.settings
    link, token = service.create(
        session, actor=actor, case=case, data=body,
        days=settings.policy.upload_link_days, cap=settings.policy.upload_link_daily_cap,
    )  # fmt: skip
    read = LinkRead.model_validate(link)
    url = str(settings.public_base_url).rstrip("/") + f"/u/{token}"
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=LinkCreated(**read.model_dump(), url=url),
        remembered=LinkCreated(**read.model_dump(), url=None),
        headers={"Location": f"{API_PREFIX}/cases/{case.id}/upload-links/{link.id}"},
    )


@router.get(
    "/upload-links",
    summary="The case's upload links (never their tokens)",
    responses=problem_responses(401, 403, 404),
)
def list_upload_links(session: SessionDep, *, actor: Reader, case: CaseDep) -> Page[LinkRead]:
    items = [LinkRead.model_validate(link) for link in service.for_case(session, case=case)]
    return Page(items=items, next_cursor=None)


@router.get(
    "/upload-links/{link_id}",
    summary="An upload link",
    responses=problem_responses(401, 403, 404),
)
def get_upload_link(
    session: SessionDep, *, actor: Reader, case: CaseDep, link_id: uuid.UUID
) -> LinkRead:
    return LinkRead.model_validate(service.get(session, case=case, link_id=link_id))


@router.delete(
    "/upload-links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an upload link: it stops at once (its page answers 410)",
    responses=problem_responses(401, 403, 404),
)
def revoke_upload_link(
    session: SessionDep, *, actor: Writer, case: CaseDep, link_id: uuid.UUID
) -> Response:
    service.revoke(session, actor=actor, link=service.get(session, case=case, link_id=link_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/upload-links/{link_id}/submissions",
    summary="What came through a link: each attempt with its files and review status",
    responses=problem_responses(401, 403, 404),
)
def list_upload_link_submissions(
    session: SessionDep, *, actor: Reader, case: CaseDep, link_id: uuid.UUID
) -> Page[ReceivedAttempt]:
    link = service.get(session, case=case, link_id=link_id)
    received = service.received(session, link=link)
    found = readings.for_evidence(session, ids=[f.id for _, files in received for f in files])
    items = [
        ReceivedAttempt(
            attempt_id=attempt.id,
            attempted_at=attempt.attempted_at,
            outcome=attempt.outcome.value,
            review_status=attempt.review_status,
            review_reason=attempt.review_reason,
            files=[
                ReceivedFile(
                    evidence_id=f.id,
                    original_filename=f.original_filename,
                    sha256=f.sha256,
                    size=f.size,
                    review_status=f.review_status,
                    verdict=found[f.id].final_verdict if f.id in found else None,
                )
                for f in files
            ],
        )
        for attempt, files in received
    ]
    return Page(items=items, next_cursor=None)


@router.post(
    "/attempts/{attempt_id}/review",
    summary="Accept or reject an attempt a client sent (with its captures)",
    description="Only accepted submissions count for readiness and appear in drafts; a "
    "rejection needs a reason.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def review_attempt(
    session: SessionDep, *, actor: Writer, case: CaseDep, attempt_id: uuid.UUID, body: ReviewCreate
) -> AttemptRead:
    return AttemptRead.model_validate(
        service.review(session, actor=actor, case=case, attempt_id=attempt_id, data=body)
    )


@router.post(
    "/attempts/{attempt_id}/reopening",
    summary="Reopen a rejected submission: it waits for review again, with its captures",
    description="Undoes a rejection made in error; the rejection stays in the audit trail.",
    responses=problem_responses(401, 403, 404, 409),
)
def reopen_attempt(
    session: SessionDep, *, actor: Writer, case: CaseDep, attempt_id: uuid.UUID
) -> AttemptRead:
    return AttemptRead.model_validate(
        service.reopen(session, actor=actor, case=case, attempt_id=attempt_id)
    )
