import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, new_id, utcnow


class AuditEvent(SQLModel, table=True):
    """Append-only record of a change: who, what, which resource, when.

    Deliberately free of foreign keys so the trail outlives what it describes,
    and free of personal values: ``details`` names changed fields, not their content.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_resource", "resource_type", "resource_id", "occurred_at"),
        sa.Index("ix_audit_events_occurred_at_id", "occurred_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    action: str = Field(sa_type=sa.String(64))
    resource_type: str = Field(sa_type=sa.String(64))
    resource_id: str = Field(sa_type=sa.String(64))
    request_id: str | None = Field(default=None, sa_type=sa.String(64))
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class AccessEntry(SQLModel, table=True):
    """One read of a client's personal data or of a file about them: who, when, what.

    Apart from the audit trail (which records changes) and, like it, free of foreign keys
    and of personal values: ids only, so the log outlives an erasure and repeats nothing.
    """

    __tablename__ = "access_log"
    __table_args__ = (
        sa.Index("ix_access_log_client", "client_id", "occurred_at"),
        sa.Index("ix_access_log_occurred_at", "occurred_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    client_id: uuid.UUID
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    # `credential` (a user or an API key) or `signed_link` (a download link, no credential).
    via: str = Field(sa_type=sa.String(20))
    action: str = Field(sa_type=sa.String(64))
    resource_type: str = Field(sa_type=sa.String(64))
    resource_id: str = Field(sa_type=sa.String(64))
    request_id: str | None = Field(default=None, sa_type=sa.String(64))
