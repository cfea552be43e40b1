"""Numbering events in commit order, the change feed, retention and deadline reminders.

Why a sequencer. Events are inserted by concurrent transactions; an id or a timestamp taken
at insert time can commit out of order (T1 takes 10, T2 takes 11, T2 commits, a reader passes
11, then T1 commits 10 behind it). So events are inserted without a position, and the
sequencer numbers them afterwards, serially (it locks the single ``event_sequencer`` row on
PostgreSQL; SQLite has one writer at a time): it can only see committed events, and every
number it gives is larger than any given before. A reader that stores the last position it
read therefore never misses an event and never reads one twice. Numbering happens in the
worker (every tick) and on a feed read that finds unnumbered events; either way the feed
shows an event within about a second of its commit.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app import clock
from app.agenda import service as agenda
from app.db import begin_write, new_id, utcnow
from app.events.models import Event, EventSequencer
from app.policy import FirmPolicy

BATCH = 1000
# Each time events are numbered, these are told (the webhooks fan out to their deliveries).
Listener = Any
_listeners: list[Listener] = []


def on_numbered(listener: Listener) -> None:
    """Register ``listener(session, events)``: called with each batch just numbered, in the
    numbering transaction (so a delivery exists exactly when its event has a position)."""
    _listeners.append(listener)


def has_unnumbered(session: Session) -> bool:
    query = select(Event.id).where(col(Event.position).is_(None)).limit(1)
    return session.exec(query).first() is not None


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
    for listener in _listeners:
        listener(session, pending)
    return len(pending)


def number_all(session: Session) -> int:
    """Number everything waiting (in batches), committing each batch."""
    total = 0
    while True:
        done = number_pending(session)
        session.commit()
        total += done
        if done < BATCH:
            return total


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


def expire(session: Session, retention_days: int) -> int:
    """Delete numbered events older than the retention (their deliveries go with them)."""
    from app.webhooks.service import forget_deliveries_of

    cutoff = utcnow() - timedelta(days=retention_days)
    old = select(Event.id).where(col(Event.occurred_at) < cutoff, col(Event.position).is_not(None))
    ids = list(session.exec(old.limit(10_000)))
    if not ids:
        return 0
    forget_deliveries_of(session, ids)
    session.execute(sa.delete(Event).where(col(Event.id).in_(ids)))
    return len(ids)


def remind_deadlines(session: Session, policy: FirmPolicy) -> int:
    """One ``deadline.due_soon`` per deadline, ``policy.deadline_reminder_days`` ahead."""
    today = clock.today()
    horizon = today + timedelta(days=policy.deadline_reminder_days)
    emitted = 0
    for deadline in agenda.agenda(session, policy, start=today, end=horizon):
        source = f"{deadline.source_type}:{deadline.source_id}"
        key = f"deadline:{deadline.kind}:{source}:{deadline.due_date}"
        if session.exec(select(Event.id).where(Event.dedupe_key == key)).first() is not None:
            continue
        session.add(
            Event(
                id=new_id(),
                type="deadline.due_soon",
                case_id=deadline.case_id,
                resource_type="case",
                resource_id=str(deadline.case_id),
                path=f"/api/v1/cases/{deadline.case_id}/next-actions",
                data={
                    "kind": str(deadline.kind),
                    "due_date": deadline.due_date.isoformat(),
                    "days_left": (deadline.due_date - today).days,
                    "source_type": deadline.source_type,
                    "source_id": deadline.source_id,
                },
                dedupe_key=key,
            )
        )
        emitted += 1
    session.flush()
    return emitted
