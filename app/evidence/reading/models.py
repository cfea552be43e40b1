import uuid
from datetime import datetime
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
    # For a capture with no attempt: the attempt the reading suggests, for a human to confirm.
    proposal: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    engine: str = Field(default="", sa_type=sa.String(60))
    error: str | None = Field(default=None, sa_type=sa.Text)
    duration_ms: float | None = None
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RefusalMessage(SQLModel, table=True):
    """A message booking sites show when no appointment can be had (reference data)."""

    __tablename__ = "refusal_messages"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    text: str = Field(sa_type=sa.Text)
    site: str = Field(default="", sa_type=sa.String(120))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
