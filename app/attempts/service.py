"""Booking attempts: one at a time or in batches of up to 1 000, never duplicated."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.attempts import events as attempt_events
from app.attempts.models import (
    AttemptOutcome,
    AttemptSource,
    BookingAttempt,
    Device,
    ReviewStatus,
)
from app.attempts.schemas import AttemptCreate
from app.audit import service as audit
from app.auth.principal import Principal
from app.cases import activity
from app.cases.models import Case
from app.errors import NotFound
from app.events import emit

Key = tuple[datetime, str]


def _key(attempted_at: datetime, outcome: str) -> Key:
    return attempted_at, str(outcome)


def _existing(
    session: Session, *, case: Case, items: Sequence[AttemptCreate]
) -> dict[Key, BookingAttempt]:
    instants = sorted({item.attempted_at for item in items})
    rows = session.exec(
        select(BookingAttempt).where(
            BookingAttempt.case_id == case.id, col(BookingAttempt.attempted_at).in_(instants)
        )
    ).all()
    return {_key(row.attempted_at, row.outcome): row for row in rows}


def _new_row(case: Case, actor: Principal, item: AttemptCreate) -> BookingAttempt:
    return BookingAttempt(
        case_id=case.id,
        attempted_at=item.attempted_at,
        outcome=item.outcome,
        message=item.message,
        page_url=str(item.page_url) if item.page_url else None,
        procedure_selected=item.procedure_selected,
        device=item.device,
        recorded_by_user_id=actor.user_id,
        recorded_by_api_key_id=actor.api_key_id,
    )


def record_attempt(
    session: Session, *, actor: Principal, case: Case, item: AttemptCreate
) -> tuple[BookingAttempt, bool]:
    """The attempt, and whether it was new (False: it had already been recorded)."""
    if found := _existing(session, case=case, items=[item]).get(
        _key(item.attempted_at, item.outcome)
    ):
        return found, False
    attempt = _new_row(case, actor, item)
    session.add(attempt)
    session.flush()
    audit.record(
        session, actor=actor, action="attempt.create", resource_type="case", resource_id=case.id,
        details={"attempt_id": str(attempt.id)},
    )  # fmt: skip
    return attempt, True


def record_batch(
    session: Session, *, actor: Principal, case: Case, items: Sequence[AttemptCreate]
) -> tuple[list[BookingAttempt], int]:
    """All the batch's attempts in the order sent, and how many were new.

    The caller validated every row first, so the batch is written whole or not at all.
    One query finds the attempts already recorded; one bulk insert writes the rest.
    """
    known = _existing(session, case=case, items=items)
    ordered: list[BookingAttempt] = []
    fresh: list[BookingAttempt] = []
    for item in items:
        key = _key(item.attempted_at, item.outcome)
        if key not in known:
            known[key] = _new_row(case, actor, item)
            fresh.append(known[key])
        ordered.append(known[key])
    if fresh:
        session.execute(
            insert(BookingAttempt),
            [row.model_dump() for row in fresh],
        )
        # A Core insert: the flush listeners do not see it.
        activity.touch(session, case_ids=[case.id])
        emit.record(session, specs=[attempt_events.recorded(attempt) for attempt in fresh])
    audit.record(
        session, actor=actor, action="attempt.batch_create", resource_type="case",
        resource_id=case.id,
        details={"created": len(fresh), "duplicates": len(items) - len(fresh)},
    )  # fmt: skip
    return ordered, len(fresh)


class AttemptNotFound(NotFound):
    slug = "attempt-not-found"
    title = "Attempt not found"


def find_attempt(session: Session, *, case: Case, attempt_id: uuid.UUID) -> BookingAttempt | None:
    attempt = session.get(BookingAttempt, attempt_id)
    return attempt if attempt is not None and attempt.case_id == case.id else None


def get_attempt(session: Session, *, case: Case, attempt_id: uuid.UUID) -> BookingAttempt:
    attempt = find_attempt(session, case=case, attempt_id=attempt_id)
    if attempt is None:
        raise AttemptNotFound(f"No attempt {attempt_id} in this case.")
    return attempt


def list_attempts(
    session: Session, *, case: Case, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[BookingAttempt]:
    query = select(BookingAttempt).where(BookingAttempt.case_id == case.id)
    if after is not None:
        at, last_id = after
        query = query.where(
            (col(BookingAttempt.attempted_at) > at)
            | ((col(BookingAttempt.attempted_at) == at) & (col(BookingAttempt.id) > last_id))
        )
    order = (col(BookingAttempt.attempted_at), col(BookingAttempt.id))
    return session.exec(query.order_by(*order).limit(limit)).all()


def all_attempts(session: Session, *, case_id: uuid.UUID) -> Sequence[BookingAttempt]:
    query = select(BookingAttempt).where(BookingAttempt.case_id == case_id)
    return session.exec(query.order_by(col(BookingAttempt.attempted_at))).all()


def record_submission(
    session: Session,
    *,
    case: Case,
    actor: Principal,
    link_id: uuid.UUID,
    attempted_at: datetime,
    outcome: AttemptOutcome,
) -> BookingAttempt:
    """An attempt a client sent through an upload link, waiting for the firm's review; the
    one already recorded at that instant with that outcome, if there is one."""
    attempt = session.exec(
        select(BookingAttempt).where(
            BookingAttempt.case_id == case.id,
            BookingAttempt.attempted_at == attempted_at,
            BookingAttempt.outcome == outcome,
        )
    ).first()
    if attempt is not None:
        return attempt
    attempt = BookingAttempt(
        case_id=case.id,
        attempted_at=attempted_at,
        outcome=outcome,
        device=Device.mobile,
        recorded_by_user_id=actor.user_id,
        source=AttemptSource.client_link,
        upload_link_id=link_id,
        review_status=ReviewStatus.submitted,
    )
    session.add(attempt)
    session.flush()
    return attempt


def from_link(session: Session, *, link_id: uuid.UUID) -> list[BookingAttempt]:
    """The attempts sent through an upload link, newest first."""
    query = select(BookingAttempt).where(BookingAttempt.upload_link_id == link_id)
    return list(session.exec(query.order_by(col(BookingAttempt.created_at).desc())))


def set_review(
    session: Session, *, attempt: BookingAttempt, decision: ReviewStatus, reason: str | None
) -> BookingAttempt:
    """The firm's decision on an attempt a client sent."""
    attempt.review_status = decision
    attempt.review_reason = reason
    session.add(attempt)
    return attempt
