"""The firm's review queue: what awaits a person, across every open file."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.evidence import queue
from app.evidence.reading.models import Verdict
from app.evidence.schemas import CaptureToCheck, SubmissionToReview
from app.pagination import Page, PageParams

router = APIRouter(prefix="/review-queue", tags=["evidence"])
Reader = Annotated[Principal, require(Permission.cases_read)]
LawyerQuery = Annotated[
    uuid.UUID | None, Query(description="Only the files this lawyer is assigned.")
]
DepartmentQuery = Annotated[
    str | None, Query(max_length=3, description="Only the files filed with this préfecture.")
]


@router.get(
    "/submissions",
    summary="Client submissions awaiting the firm's decision, across the firm, oldest first",
    description="Each attempt a client sent through a link and nobody accepted or rejected "
    "yet, with its files and their readings' verdicts.",
    responses=problem_responses(400, 401, 403, 422),
)
def list_submissions_to_review(
    session: SessionDep,
    *,
    actor: Reader,
    page: PageParams,
    lawyer_id: LawyerQuery = None,
    department_code: DepartmentQuery = None,
) -> Page[SubmissionToReview]:
    items, cursor = queue.submissions(
        session, page=page, lawyer_id=lawyer_id, department_code=department_code
    )
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/captures",
    summary="Captures whose reading does not prove their attempt, across the firm",
    description="Screenshots of open files whose final verdict is not `consistent` and that "
    "no person has checked yet (`POST /evidence/{id}/reading-checks` takes one off the "
    "list), oldest first.",
    responses=problem_responses(400, 401, 403, 422),
)
def list_captures_to_check(
    session: SessionDep,
    *,
    actor: Reader,
    page: PageParams,
    lawyer_id: LawyerQuery = None,
    department_code: DepartmentQuery = None,
    verdict: Annotated[
        Verdict | None, Query(description="Only captures with this verdict (not consistent).")
    ] = None,
) -> Page[CaptureToCheck]:
    items, cursor = queue.captures(
        session, page=page, lawyer_id=lawyer_id, department_code=department_code, verdict=verdict
    )
    return Page(items=items, next_cursor=cursor)
