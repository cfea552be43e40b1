import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class ReadingStatus(StrEnum):
    pending = "pending"
    done = "done"
    unavailable = "unavailable"  # no OCR engine on this machine
    failed = "failed"


class Verdict(StrEnum):
    consistent = "consistent"
    time_mismatch = "time_mismatch"
    no_visible_time = "no_visible_time"
    no_refusal_message = "no_refusal_message"
    unreadable = "unreadable"


class Reading(SQLModel, table=True):
    """What OCR makes of a screenshot, and whether it proves the attempt it is linked to."""

    __tablename__ = "evidence_readings"

    evidence_id: uuid.UUID = Field(foreign_key="evidence.id", primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    status: ReadingStatus = Field(
        default=ReadingStatus.pending, sa_type=StrEnumType(ReadingStatus, 12)
    )
    text: str = Field(default="", sa_type=sa.Text)
    refusal_message: str | None = Field(default=None, sa_type=sa.Text)
    site: str | None = Field(default=None, sa_type=sa.String(120))
    # Local wall-clock times and dates seen on the image, as read: ["09:12", "2026-11-16"].
    visible_times: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    visible_dates: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    verdict: Verdict | None = Field(default=None, sa_type=StrEnumType(Verdict, 24), index=True)
    # What on the page confirms the attempt's outcome: the refusal message, an error page's
    # phrase, « page vide » (``signs``); None when nothing does.
    sign: str | None = Field(default=None, sa_type=sa.Text)
    # The visible clock minus the attempt's time, in minutes.
    time_difference_minutes: int | None = None
    # What a person saw on the capture, when they checked it: the verdict it gives replaces
    # the OCR's for readiness and the drafts (``final_verdict``); a new reading keeps it.
    checked_time: str | None = Field(default=None, sa_type=sa.String(5))
    checked_date: date | None = None
    checked_shows_outcome: bool | None = None
    checked_verdict: Verdict | None = Field(default=None, sa_type=StrEnumType(Verdict, 24))
    checked_difference_minutes: int | None = None
    checked_reason: str | None = Field(default=None, sa_type=sa.Text)
    checked_by_user_id: uuid.UUID | None = None
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The checked verdict when there is one, else the OCR's: what everything downstream uses.
    final_verdict: Verdict | None = Field(
        default=None, sa_type=StrEnumType(Verdict, 24), index=True
    )
    # For a capture with no attempt: the attempt the reading suggests, for a human to confirm.
    proposal: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    engine: str = Field(default="", sa_type=sa.String(60))
    error: str | None = Field(default=None, sa_type=sa.Text)
    duration_ms: float | None = None
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def check(self) -> dict[str, Any] | None:
        """A person's check, as ``ReadingCheckRead`` shows it."""
        if self.checked_verdict is None or self.checked_at is None:
            return None
        return {
            "verdict": self.checked_verdict,
            "time_seen": self.checked_time,
            "date_seen": self.checked_date,
            "shows_outcome": bool(self.checked_shows_outcome),
            "difference_minutes": self.checked_difference_minutes,
            "reason": self.checked_reason or "",
            "checked_by_user_id": self.checked_by_user_id,
            "checked_at": self.checked_at,
        }


class RefusalMessage(SQLModel, table=True):
    """A message booking sites show when no appointment can be had (reference data)."""

    __tablename__ = "refusal_messages"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    text: str = Field(sa_type=sa.Text)
    site: str = Field(default="", sa_type=sa.String(120))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
