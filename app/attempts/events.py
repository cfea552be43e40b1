"""What writes to booking attempts emit (installed by app.wiring)."""

from typing import Any

from app.attempts.models import BookingAttempt
from app.cases.events import case_path
from app.events.emit import Emitter, Spec


def recorded(attempt: Any) -> Spec:
    """``attempt.recorded`` (also for attempts written by a bulk insert, with no flush)."""
    path = case_path(attempt.case_id, f"/attempts/{attempt.id}")
    facts = {
        "attempted_at": attempt.attempted_at,
        "outcome": attempt.outcome,
        "source": attempt.source,
        "review_status": attempt.review_status,
    }
    return Spec("attempt.recorded", attempt, "attempt", path, attempt.case_id, facts)


EMITTER = Emitter(BookingAttempt, on_new=lambda attempt: [recorded(attempt)])
