"""Numbering events in commit order, the change feed and its retention.

Why a sequencer. Events are inserted by concurrent transactions; an id or a timestamp taken
at insert time can commit out of order (T1 takes 10, T2 takes 11, T2 commits, a reader passes
11, then T1 commits 10 behind it). So events are inserted without a position, and the
sequencer numbers them afterwards, serially (it locks the single ``event_sequencer`` row on
PostgreSQL; SQLite has one writer at a time): it can only see committed events, and every
number it gives is larger than any given before. A reader that stores the last position it
read therefore never misses an event and never reads one twice. Numbering happens in the
worker (every tick) and on a feed read that finds unnumbered events; either way the feed
shows an event within about a second of its commit. What consumes numbered events (the
webhooks' fan-out) follows the positions on its own cursor.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from app.db import begin_write, utcnow
from app.events.models import Event, EventSequencer

BATCH = 1000


def has_unnumbered(session: Session) -> bool:
    query = select(Event.id).where(col(Event.position).is_(None)).limit(1)
    return session.exec(query).first() is not None


def last_position(session: Session) -> int:
    """The highest position given so far (0 before the first)."""
    found = session.exec(select(EventSequencer.last_position).where(EventSequencer.id == 1))
    return found.first() or 0


def number_pending(session: Session) -> int:
    """Give positions to committed, unnumbered events, oldest first; the caller commits."""
    begin_write(session)
    query = select(EventSequencer).where(EventSequencer.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    sequencer = session.exec(query).first()
    if sequencer is None:
        sequencer = EventSequencer(id=1, last_position=0)
        session.add(sequencer)
        session.flush()
    pending = list(
        session.exec(
            select(Event)
            .where(col(Event.position).is_(None))
            .order_by(col(Event.occurred_at), col(Event.id))
            .limit(BATCH)
        )
    )
    for offset, event in enumerate(pending, start=1):
        event.position = sequencer.last_position + offset
        session.add(event)
    sequencer.last_position += len(pending)
    session.add(sequencer)
    session.flush()
    return len(pending)


def number_now(factory: sessionmaker[Session]) -> int:
    """Number what waits, in a short transaction of its own (a feed read that found events
    nobody numbered yet: no worker running, or a burst)."""
    with factory() as session:
        if not has_unnumbered(session):
            return 0
        session.rollback()
        done = number_pending(session)
        session.commit()
        return done


def feed(
    session: Session,
    *,
    after: int,
    limit: int,
    types: Sequence[str] | None,
    case_id: uuid.UUID | None,
) -> list[Event]:
    query = select(Event).where(col(Event.position) > after)
    if types:
        query = query.where(col(Event.type).in_(list(types)))
    if case_id is not None:
        query = query.where(Event.case_id == case_id)
    return list(session.exec(query.order_by(col(Event.position)).limit(limit)))


def expired(session: Session, *, retention_days: int, limit: int = 10_000) -> list[uuid.UUID]:
    """Numbered events older than the retention (what refers to them goes first)."""
    cutoff = utcnow() - timedelta(days=retention_days)
    old = select(Event.id).where(col(Event.occurred_at) < cutoff, col(Event.position).is_not(None))
    return list(session.exec(old.limit(limit)))


def delete(session: Session, *, event_ids: Sequence[uuid.UUID]) -> int:
    if event_ids:
        session.execute(sa.delete(Event).where(col(Event.id).in_(list(event_ids))))
    return len(event_ids)
