import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(SQLModel, table=True):
    """A unit of background work, written in the transaction of the change that asks for it
    (so a rolled-back request leaves no job) and claimed by one worker at a time under a lease.
    """

    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_claimable", "status", "run_after"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(sa_type=sa.String(60), index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # One job per key while it is not finished: enqueueing the same work twice is a no-op.
    dedupe_key: str | None = Field(default=None, sa_type=sa.String(200), unique=True)
    status: JobStatus = Field(default=JobStatus.queued, sa_type=StrEnumType(JobStatus, 12))
    run_after: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    attempts: int = 0
    max_attempts: int = 5
    locked_by: str | None = Field(default=None, sa_type=sa.String(80))
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Lease(SQLModel, table=True):
    """A named lease: periodic work runs at most once per period across every worker."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True, sa_type=sa.String(80))
    holder: str = Field(sa_type=sa.String(80))
    expires_at: datetime = Field(sa_type=UTCDateTime)
