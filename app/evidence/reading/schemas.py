import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.bodies import StrictBody
from app.evidence.reading.models import ReadingStatus, Verdict


class ReadingCheckRead(BaseModel):
    """What a person saw on the capture, and the verdict it gives."""

    verdict: Verdict
    time_seen: str | None = Field(description="The time the screen shows (HH:MM), if any.")
    date_seen: date | None
    shows_outcome: bool = Field(description="Whether the page shows what the attempt says.")
    difference_minutes: int | None = Field(
        description="The time seen minus the attempt's, in minutes."
    )
    reason: str
    checked_by_user_id: uuid.UUID | None
    checked_at: datetime


class ReadingRead(BaseModel):
    """What OCR read on a screenshot, and what it proves against its attempt."""

    model_config = ConfigDict(from_attributes=True)

    status: ReadingStatus
    verdict: Verdict | None = Field(
        description="OCR's verdict against the linked attempt; null while pending, or with no "
        "attempt. `consistent`: the page confirms the attempt's outcome and a visible time "
        "matches it; `time_mismatch` (inconsistent): every visible time is off by more than "
        "the tolerance, see `time_difference_minutes`; `no_visible_time` (unverifiable): the "
        "outcome is confirmed but no time shows; `no_refusal_message` (not confirmed): the "
        "page shows nothing of what the attempt says; `unreadable`: no text."
    )
    final_verdict: Verdict | None = Field(
        description="The verdict readiness and the drafts use: a person's check when there "
        "is one (`check`), else OCR's."
    )
    sign: str | None = Field(
        description="What on the page confirms the attempt's outcome: the refusal message, a "
        "phrase of an error page, « page vide »."
    )
    time_difference_minutes: int | None = Field(
        description="The visible clock minus the attempt's time, in minutes (in the "
        "préfecture's zone)."
    )
    check: ReadingCheckRead | None = Field(
        default=None, description="A person's check of this capture, if any."
    )
    refusal_message: str | None = Field(description="The known refusal message found, if any.")
    site: str | None = Field(description="The booking site's address, when visible.")
    visible_times: list[str] = Field(description="Times of day shown (HH:MM), as read.")
    visible_dates: list[str] = Field(description="Dates shown, as ISO dates.")
    proposal: dict[str, Any] | None = Field(
        description="With no attempt linked: the attempt this capture suggests (date, time, "
        "outcome), for a person to confirm."
    )
    engine: str
    error: str | None
    read_at: datetime | None
    text: str = Field(description="The recognised text.")


class RefusalMessageCreate(StrictBody):
    text: str = Field(min_length=10, max_length=500)
    site: str = Field(default="", max_length=120)


class RefusalMessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    text: str
    site: str
    active: bool
    created_at: datetime


class ReadingCheckCreate(StrictBody):
    """What a person sees on the capture: the verdict follows from it, as from OCR's reading."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "time_seen": "09:12",
                    "date_seen": "2026-12-02",
                    "shows_outcome": True,
                    "reason": "Horloge de la barre des tâches lisible sur la capture : 09:12.",
                }
            ]
        }
    )

    time_seen: str | None = Field(
        default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, or null."
    )
    date_seen: date | None = None
    shows_outcome: bool = Field(
        description="The page shows what the attempt says (its refusal message, error page…)."
    )
    reason: str = Field(min_length=3, max_length=500)
