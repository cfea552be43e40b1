"""Every domain change becomes an event, in the transaction of the change.

Each domain declares what its writes emit, beside its tables (``clients/events.py``,
``evidence/events.py``…): an ``Emitter`` names a table and turns a new or changed row into
``Spec``s. The composition root (``app.wiring``) installs them all on the application's
session factory, so every session it makes — the API's, the CLI's, the worker's — records
them, whatever the process imported. Installed, a flush listener reads what the flush writes
(new rows, changed columns) and appends the matching events, so no service can forget one
and a rolled-back request leaves none. Writes that bypass the ORM (a bulk insert, an
erasure) call ``record`` with their domain's specs.

Payloads are thin on purpose: ids, kinds, dates, hashes — never a name or a free text — so a
leaked webhook reveals no client. The resource's URL lets a consumer fetch the rest.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import select

from app.db import new_id, utcnow
from app.events.models import Event
from app.events.types import KNOWN

_PENDING = "events_pending"
# Bookkeeping columns: a change to them alone is not a change of the resource.
_BOOKKEEPING = {"version", "updated_at", "search_name"}


@dataclass
class Spec:
    """One event to record: its type, the row it is about and its thin facts."""

    type: str
    obj: Any  # the row (its ``id`` and, when it has one, its ``version`` are recorded)
    resource_type: str
    path: str  # the resource's API path
    case_id: uuid.UUID | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ref:
    """A resource named by its id alone, for an event about no loaded row (an erased
    client, a day's retention review): no version is recorded."""

    id: Any


@dataclass(frozen=True)
class Emitter:
    """What writes to one table emit: ``on_new(row)`` for an insert, ``on_change(row,
    changed)`` for an update (``changed``: the columns that moved, bookkeeping aside)."""

    model: type
    on_new: Callable[[Any], list[Spec]] | None = None
    on_change: Callable[[Any, set[str]], list[Spec]] | None = None


def old(obj: Any, name: str) -> Any:
    """A column's value before this flush's change."""
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else None


def _changed(obj: Any) -> set[str]:
    state = inspect(obj)
    return {
        attr.key
        for attr in state.attrs
        if attr.key not in _BOOKKEEPING and attr.history.has_changes()
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value.value if hasattr(value, "value") else value


def install(factory: sessionmaker[Any], emitters: Sequence[Emitter]) -> None:
    """Record the emitters' events in every session ``factory`` makes."""
    by_model = {emitter.model: emitter for emitter in emitters}
    if len(by_model) != len(emitters):
        raise ValueError("two emitters for one table")

    def collect(session: Session, flush_context: Any, instances: Any) -> None:
        specs: list[Spec] = session.info.setdefault(_PENDING, [])
        for obj in session.new:
            emitter = by_model.get(type(obj))
            if emitter is not None and emitter.on_new is not None:
                specs.extend(emitter.on_new(obj))
        for obj in session.dirty:
            emitter = by_model.get(type(obj))
            if emitter is None or emitter.on_change is None or not session.is_modified(obj):
                continue
            if changed := _changed(obj):
                specs.extend(emitter.on_change(obj, changed))

    def write(session: Session, flush_context: Any) -> None:
        specs: list[Spec] = session.info.pop(_PENDING, [])
        if specs:
            record(session, specs=specs)

    def forget(session: Session) -> None:
        session.info.pop(_PENDING, None)

    sa_event.listen(factory, "before_flush", collect)
    sa_event.listen(factory, "after_flush_postexec", write)
    sa_event.listen(factory, "after_rollback", forget)


def record(session: Session, *, specs: Iterable[Spec], dedupe_key: str | None = None) -> None:
    """Insert the events (Core: this may run inside a flush)."""
    now = utcnow()
    rows = []
    for spec in specs:
        if spec.type not in KNOWN:
            raise ValueError(f"unknown event type {spec.type!r}: add it to app/events/types.py")
        rows.append(
            {
                "id": new_id(),
                "type": spec.type,
                "occurred_at": now,
                "case_id": spec.case_id,
                "resource_type": spec.resource_type,
                "resource_id": str(spec.obj.id),
                "resource_version": getattr(spec.obj, "version", None),
                "path": spec.path,
                "data": {key: _plain(value) for key, value in spec.data.items()},
                "dedupe_key": dedupe_key,
            }
        )
    if rows:
        session.execute(sa.insert(Event), rows)


def recorded(session: Session, *, dedupe_key: str) -> bool:
    """Whether an event with this key was recorded already (once-only events)."""
    query = select(Event.id).where(Event.dedupe_key == dedupe_key).limit(1)
    return session.execute(query).first() is not None
