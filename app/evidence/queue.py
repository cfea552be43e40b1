"""What awaits a person across the firm: client submissions to accept or reject, and
captures whose reading does not prove their attempt (to check by eye or replace).

A paralegal works through these lists, by lawyer or by préfecture, instead of opening each
file; a capture leaves its list once a person checked it (``reading.checks``), a submission
once it is accepted or rejected.
"""

import uuid
from collections import defaultdict
from typing import Any, TypeVar

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.attempts.models import AttemptSource, BookingAttempt, ReviewStatus
from app.attempts.review import counts
from app.cases.models import Case
from app.evidence.models import Evidence, EvidenceKind
from app.evidence.reading.models import Reading, Verdict
from app.evidence.schemas import CaptureToCheck, QueuedFile, SubmissionToReview
from app.pagination import PageRequest, paginate

M = TypeVar("M")
# Final verdicts that leave a capture to a person.
TO_CHECK = (
    Verdict.time_mismatch,
    Verdict.no_visible_time,
    Verdict.no_refusal_message,
    Verdict.unreadable,
)


def _scoped(
    query: SelectOfScalar[M], *, lawyer_id: uuid.UUID | None, department_code: str | None
) -> SelectOfScalar[M]:
    if lawyer_id is not None:
        query = query.where(Case.assigned_lawyer_id == lawyer_id)
    if department_code is not None:
        query = query.where(Case.department_code == department_code)
    return query


def _cases(session: Session, *, ids: set[uuid.UUID]) -> dict[uuid.UUID, Case]:
    if not ids:
        return {}
    return {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids)))}


def submissions(
    session: Session,
    *,
    page: PageRequest,
    lawyer_id: uuid.UUID | None = None,
    department_code: str | None = None,
) -> tuple[list[SubmissionToReview], str | None]:
    """Attempts clients sent that wait for a decision, oldest first, with their files."""
    query = (
        select(BookingAttempt)
        .join(Case, col(Case.id) == col(BookingAttempt.case_id))
        .where(
            BookingAttempt.source == AttemptSource.client_link,
            BookingAttempt.review_status == ReviewStatus.submitted,
        )
    )
    query = _scoped(query, lawyer_id=lawyer_id, department_code=department_code)
    columns = (col(BookingAttempt.created_at), col(BookingAttempt.id))
    attempts, cursor = paginate(session, query=query, columns=columns, page=page)
    cases = _cases(session, ids={a.case_id for a in attempts})
    files: dict[uuid.UUID, list[QueuedFile]] = defaultdict(list)
    if attempts:
        found = session.exec(
            select(Evidence, Reading.final_verdict)
            .outerjoin(Reading, col(Reading.evidence_id) == col(Evidence.id))
            .where(
                col(Evidence.attempt_id).in_([a.id for a in attempts]),
                col(Evidence.withdrawn_at).is_(None),
            )
            .order_by(col(Evidence.chain_index))
        )
        for evidence, verdict in found:
            assert evidence.attempt_id is not None
            files[evidence.attempt_id].append(
                QueuedFile(
                    evidence_id=evidence.id,
                    original_filename=evidence.original_filename,
                    verdict=verdict,
                )
            )
    items = [
        SubmissionToReview(
            attempt_id=a.id,
            case_id=a.case_id,
            case_reference=cases[a.case_id].reference,
            department_code=cases[a.case_id].department_code,
            assigned_lawyer_id=cases[a.case_id].assigned_lawyer_id,
            attempted_at=a.attempted_at,
            outcome=a.outcome.value,
            received_at=a.created_at,
            files=files.get(a.id, []),
        )
        for a in attempts
    ]
    return items, cursor


def captures(
    session: Session,
    *,
    page: PageRequest,
    lawyer_id: uuid.UUID | None = None,
    department_code: str | None = None,
    verdict: Verdict | None = None,
) -> tuple[list[CaptureToCheck], str | None]:
    """Screenshots of open files whose reading does not prove their attempt and that no
    person has checked yet, oldest first. A client's capture waiting for review is in the
    submissions instead."""
    wanted = [verdict] if verdict is not None else list(TO_CHECK)
    query = (
        select(Evidence)
        .join(Reading, col(Reading.evidence_id) == col(Evidence.id))
        .join(Case, col(Case.id) == col(Evidence.case_id))
        .where(
            Evidence.kind == EvidenceKind.screenshot,
            col(Evidence.withdrawn_at).is_(None),
            counts(col(Evidence.review_status)),
            col(Reading.final_verdict).in_(wanted),
            col(Reading.checked_verdict).is_(None),
            col(Case.closed_at).is_(None),
        )
    )
    query = _scoped(query, lawyer_id=lawyer_id, department_code=department_code)
    columns = (col(Evidence.received_at), col(Evidence.id))
    rows, cursor = paginate(session, query=query, columns=columns, page=page)
    ids = [e.id for e in rows]
    readings = (
        {
            r.evidence_id: r
            for r in session.exec(select(Reading).where(col(Reading.evidence_id).in_(ids)))
        }
        if ids
        else {}
    )
    attempt_ids = {e.attempt_id for e in rows if e.attempt_id}
    attempts: dict[Any, BookingAttempt] = (
        {
            a.id: a
            for a in session.exec(
                select(BookingAttempt).where(col(BookingAttempt.id).in_(attempt_ids))
            )
        }
        if attempt_ids
        else {}
    )
    cases = _cases(session, ids={e.case_id for e in rows})
    items = []
    for e in rows:
        reading, attempt, case = readings[e.id], attempts.get(e.attempt_id), cases[e.case_id]
        assert reading.final_verdict is not None
        items.append(
            CaptureToCheck(
                evidence_id=e.id,
                case_id=e.case_id,
                case_reference=case.reference,
                department_code=case.department_code,
                assigned_lawyer_id=case.assigned_lawyer_id,
                attempt_id=e.attempt_id,
                attempted_at=attempt.attempted_at if attempt else None,
                outcome=attempt.outcome.value if attempt else None,
                received_at=e.received_at,
                verdict=reading.final_verdict,
                time_difference_minutes=reading.time_difference_minutes,
                visible_times=list(reading.visible_times),
            )
        )
    return items, cursor
