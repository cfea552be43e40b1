import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, new_id, utcnow


class Event(SQLModel, table=True):
    """A change, written in the transaction of the change (a transactional outbox).

    ``position`` stays null until the sequencer numbers the event after its transaction
    committed (app/events/service.py): the feed and the deliveries only see numbered events,
    so no event ever appears behind a position a reader has passed.
    """

    __tablename__ = "events"
    __table_args__ = (
        sa.Index(
            "ix_events_unnumbered",
            "occurred_at",
            "id",
            postgresql_where=sa.text("position IS NULL"),
            sqlite_where=sa.text("position IS NULL"),
        ),
        sa.Index("ix_events_case_position", "case_id", "position"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    position: int | None = Field(default=None, sa_type=sa.BigInteger, unique=True)
    type: str = Field(sa_type=sa.String(40), index=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    case_id: uuid.UUID | None = Field(default=None)
    resource_type: str = Field(sa_type=sa.String(30))
    resource_id: str = Field(sa_type=sa.String(64))
    resource_version: int | None = None
    # The API path of the resource (the URL is built from the public base URL when served).
    path: str = Field(sa_type=sa.String(200))
    # Ids and non-personal facts only: never a name or a free text.
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # Set for events that must be emitted once (a deadline reminder).
    dedupe_key: str | None = Field(default=None, sa_type=sa.String(200), unique=True)


class EventSequencer(SQLModel, table=True):
    """One row: the last position given. Locked by whoever numbers events, so numbering is
    serial across API processes and workers."""

    __tablename__ = "event_sequencer"

    id: int = Field(default=1, primary_key=True)
    last_position: int = Field(default=0, sa_type=sa.BigInteger)
