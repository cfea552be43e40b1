"""The page's form as the client filled it: what it sent, read as typed, and what is wrong
with it, in the client's language."""

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import UploadFile

from app import clock
from app.attempts.models import AttemptOutcome
from app.client_links import i18n

MAX_FILES = 10
# What a client may report through the page: an offered slot is not a failed attempt.
CLIENT_OUTCOMES = frozenset(o.value for o in AttemptOutcome) - {AttemptOutcome.slot_offered.value}


@dataclass(frozen=True)
class Sending:
    """What the form sent, as typed: shown back with the errors when it is refused."""

    uploads: list[UploadFile]
    day: str
    hour: str
    outcome: str

    @classmethod
    def of(cls, form: Any) -> "Sending":
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        return cls(
            uploads=uploads,
            day=str(form.get("attempt_date", "")),
            hour=str(form.get("attempt_time", "")),
            outcome=str(form.get("outcome", "")),
        )

    @property
    def values(self) -> dict[str, str]:
        return {"day": self.day, "hour": self.hour, "outcome": self.outcome}


def problems(sending: Sending, language: str, zone: ZoneInfo) -> tuple[datetime | None, list[str]]:
    """The attempt's instant, and what is wrong with the form in the client's language."""
    errors = []
    if not sending.uploads:
        errors.append(i18n.text(language, "Choose at least one capture."))
    if len(sending.uploads) > MAX_FILES:
        errors.append(i18n.text(language, "At most %(count)d files at once.", count=MAX_FILES))
    attempted_at = local_instant(sending.day, sending.hour, zone)
    if attempted_at is None:
        errors.append(i18n.text(language, "Give the date and time of the attempt."))
    elif attempted_at > clock.now():
        errors.append(i18n.text(language, "The attempt cannot be in the future."))
    if sending.outcome not in CLIENT_OUTCOMES:
        errors.append(i18n.text(language, "Choose what the site answered."))
    return attempted_at, errors


def local_instant(day: str, hour: str, zone: ZoneInfo) -> datetime | None:
    """The day and time as typed, on the préfecture's clock; None if they cannot be read."""
    try:
        local = datetime.combine(
            datetime.strptime(day, "%Y-%m-%d").date(), time.fromisoformat(hour[:5]), zone
        )
    except ValueError:
        return None
    return local
