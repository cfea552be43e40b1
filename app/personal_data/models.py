import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class ExportStatus(StrEnum):
    queued = "queued"
    ready = "ready"
    failed = "failed"
    expired = "expired"


class Export(SQLModel, table=True):
    """A ZIP of everything held about one client, built by the worker, kept a few days."""

    __tablename__ = "exports"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="clients.id", index=True)
    requested_by_user_id: uuid.UUID | None = None
    requested_by_api_key_id: uuid.UUID | None = None
    status: ExportStatus = Field(default=ExportStatus.queued, sa_type=StrEnumType(ExportStatus, 12))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sha256: str | None = Field(default=None, sa_type=sa.String(64))
    size: int | None = Field(default=None, sa_type=sa.BigInteger)
    files: int | None = None
    error: str | None = Field(default=None, sa_type=sa.Text)
