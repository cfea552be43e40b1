import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class AttemptOutcome(StrEnum):
    no_slot = "no_slot"
    error = "error"
    site_unavailable = "site_unavailable"
    slot_offered = "slot_offered"


class Device(StrEnum):
    desktop = "desktop"
    mobile = "mobile"


class BookingAttempt(SQLModel, table=True):
    """One try on the booking site. The same case, instant and outcome is one attempt."""

    __tablename__ = "booking_attempts"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "attempted_at", "outcome"),
        sa.Index("ix_booking_attempts_case_id_attempted_at", "case_id", "attempted_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id")
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    outcome: AttemptOutcome = Field(sa_type=StrEnumType(AttemptOutcome, 20))
    message: str = Field(default="", sa_type=sa.Text)
    page_url: str | None = Field(default=None, sa_type=sa.String(500))
    procedure_selected: str = Field(default="", sa_type=sa.String(200))
    device: Device = Field(default=Device.desktop, sa_type=StrEnumType(Device, 10))
    recorded_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    recorded_by_api_key_id: uuid.UUID | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
