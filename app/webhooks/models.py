import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class Subscription(SQLModel, table=True):
    """Where to POST which events (Standard Webhooks), managed by admins."""

    __tablename__ = "webhook_subscriptions"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    url: str = Field(sa_type=sa.String(500))
    description: str = Field(default="", sa_type=sa.String(200))
    # Event types, or ["*"] for all.
    event_types: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    active: bool = True
    # The signing secret (``whsec_…``): HMAC needs it in clear; shown once to the admin.
    secret: str = Field(sa_type=sa.String(100))
    # After a rotation, the old secret also signs until this instant (receivers switch over).
    previous_secret: str | None = Field(default=None, sa_type=sa.String(100))
    previous_secret_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consecutive_failures: int = 0
    disabled_reason: str | None = Field(default=None, sa_type=sa.Text)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1


class DeliveryStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class Delivery(SQLModel, table=True):
    """One event for one subscription, until it is delivered or given up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_subscription", "subscription_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    subscription_id: uuid.UUID = Field(foreign_key="webhook_subscriptions.id")
    event_id: uuid.UUID = Field(foreign_key="events.id", index=True)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.pending, sa_type=StrEnumType(DeliveryStatus, 12)
    )
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    """One POST: what the receiver answered, or why it could not be reached."""

    __tablename__ = "webhook_delivery_attempts"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    delivery_id: uuid.UUID = Field(foreign_key="webhook_deliveries.id", index=True)
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    duration_ms: float
    status_code: int | None = None
    error: str | None = Field(default=None, sa_type=sa.Text)


class FanOutCursor(SQLModel, table=True):
    """One row: the last event position turned into deliveries. The worker moves it in the
    transaction that adds those deliveries, so each numbered event fans out exactly once,
    whoever numbered it (the worker, or a feed read)."""

    __tablename__ = "webhook_fan_out"

    id: int = Field(default=1, primary_key=True)
    last_position: int = Field(default=0, sa_type=sa.BigInteger)
