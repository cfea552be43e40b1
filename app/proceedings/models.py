import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.models import CaseOwned
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class FilingChannel(StrEnum):
    telerecours = "telerecours"
    telerecours_citoyens = "telerecours_citoyens"
    paper = "paper"


class DecisionOutcome(StrEnum):
    injunction = "injunction"
    rejection = "rejection"
    non_lieu = "non_lieu"
    rejection_without_hearing = "rejection_without_hearing"  # L. 522-3 CJA


class Proceeding(SQLModel, CaseOwned, table=True):
    """A référé « mesures utiles » (art. L. 521-3 CJA), from filing to the appointment."""

    __tablename__ = "proceedings"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    tribunal_code: str = Field(foreign_key="tribunals.code", sa_type=sa.String(40))
    filed_date: date | None = None
    filing_channel: FilingChannel | None = Field(
        default=None, sa_type=StrEnumType(FilingChannel, 24)
    )
    court_case_number: str | None = Field(default=None, sa_type=sa.String(20))
    hearing_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    decision_date: date | None = None
    outcome: DecisionOutcome | None = Field(default=None, sa_type=StrEnumType(DecisionOutcome, 32))
    injunction_delay_days: int | None = None
    latest_appointment_date: date | None = Field(default=None, index=True)
    astreinte_per_day_cents: int | None = None
    costs_awarded_cents: int | None = None
    notification_date: date | None = Field(default=None, index=True)
    appointment_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    appointment_place: str = Field(default="", sa_type=sa.String(300))
    version: int = 1
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
