import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.models import CaseOwned
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class AttemptOutcome(StrEnum):
    no_slot = "no_slot"
    error = "error"
    site_unavailable = "site_unavailable"
    captcha_failed = "captcha_failed"  # the site refused the security code (captcha)
    anef_error = "anef_error"  # the ANEF téléservice showed an error
    slot_offered = "slot_offered"


class Device(StrEnum):
    desktop = "desktop"
    mobile = "mobile"


class AttemptSource(StrEnum):
    firm = "firm"
    client_link = "client_link"


class ReviewStatus(StrEnum):
    """What the client sends through a link waits for the firm's review; only accepted
    attempts and evidence count for readiness and appear in drafts. The firm's own entries
    are accepted as they are recorded."""

    submitted = "submitted"
    accepted = "accepted"
    rejected = "rejected"


class BookingAttempt(SQLModel, CaseOwned, table=True):
    """One try on the booking site. The same case, instant and outcome is one attempt."""

    __tablename__ = "booking_attempts"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "attempted_at", "outcome"),
        sa.Index("ix_booking_attempts_case_id_attempted_at", "case_id", "attempted_at"),
        # Covering index for the statistics (app/statistics/queries.py): no table lookups.
        sa.Index(
            "ix_booking_attempts_statistics", "case_id", "review_status", "attempted_at", "outcome"
        ),
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
    source: AttemptSource = Field(
        default=AttemptSource.firm,
        sa_type=StrEnumType(AttemptSource, 12),
        sa_column_kwargs={"server_default": "firm"},
    )
    upload_link_id: uuid.UUID | None = Field(default=None, foreign_key="upload_links.id")
    review_status: ReviewStatus = Field(
        default=ReviewStatus.accepted,
        sa_type=StrEnumType(ReviewStatus, 12),
        sa_column_kwargs={"server_default": "accepted"},
    )
    review_reason: str | None = Field(default=None, sa_type=sa.Text)
