"""A person closes the question: the paralegal or the lawyer checks one capture.

OCR misses clocks and error pages a person sees at a glance. A check records what the person
saw — the time and date on the screen, whether the page shows what the attempt says — and
the reason, and gives the verdict the same rules give (``verdicts.timed``): it replaces
OCR's for readiness and the drafts, is kept when the capture is read again, and is in the
audit trail (without the reason's text, which may name the client).
"""

from datetime import timedelta

from sqlmodel import Session

from app.attempts.models import BookingAttempt
from app.audit import service as audit
from app.auth.principal import Principal
from app.db import utcnow
from app.errors import Conflict
from app.evidence.models import Evidence
from app.evidence.reading import service as readings
from app.evidence.reading import verdicts
from app.evidence.reading.models import Reading, ReadingStatus, Verdict
from app.evidence.reading.schemas import ReadingCheckCreate
from app.policy import FirmPolicy


class NothingToCheck(Conflict):
    slug = "reading-not-checkable"
    title = "This capture has no reading to check"


def check_reading(
    session: Session,
    *,
    actor: Principal,
    evidence: Evidence,
    data: ReadingCheckCreate,
    policy: FirmPolicy,
) -> Reading:
    """Record what a person saw on ``evidence`` and the verdict it gives."""
    reading = session.get(Reading, evidence.id)
    attempt = session.get(BookingAttempt, evidence.attempt_id) if evidence.attempt_id else None
    if reading is None or reading.status is ReadingStatus.pending or attempt is None:
        raise NothingToCheck(
            "Only a read capture linked to an attempt can be checked: link it to its attempt "
            "first, or wait for its reading."
        )
    if not data.shows_outcome:
        judged = verdicts.Judgement(Verdict.no_refusal_message, None, None)
    else:
        judged = verdicts.timed(
            [data.time_seen] if data.time_seen else [],
            [data.date_seen.isoformat()] if data.date_seen else [],
            attempt.attempted_at.astimezone(readings.zone_of(session, evidence=evidence)),
            timedelta(minutes=policy.capture_time_tolerance_minutes),
        )
    assert judged.verdict is not None
    reading.checked_time, reading.checked_date = data.time_seen, data.date_seen
    reading.checked_shows_outcome, reading.checked_reason = data.shows_outcome, data.reason
    reading.checked_verdict = judged.verdict
    reading.checked_difference_minutes = judged.difference_minutes
    reading.checked_by_user_id, reading.checked_at = actor.user_id, utcnow()
    reading.final_verdict = judged.verdict
    session.add(reading)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="evidence.reading_check",
        resource_type="evidence",
        resource_id=evidence.id,
        details={
            "ocr_verdict": reading.verdict.value if reading.verdict else None,
            "verdict": judged.verdict.value,
        },
    )
    return reading
