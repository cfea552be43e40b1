import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a POST sent with an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotency_records"

    user_id: uuid.UUID = Field(primary_key=True)
    key: str = Field(primary_key=True, sa_type=sa.String(255))
    fingerprint: str = Field(sa_type=sa.String(64))
    status_code: int
    body: Any = Field(sa_type=sa.JSON)
    headers: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
