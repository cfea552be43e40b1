"""Every domain change becomes an event, in the transaction of the change.

A flush listener reads what the flush writes (new rows, changed columns) and appends the
matching events, so no service can forget one and a rolled-back request leaves none. Writes
that bypass the ORM (the attempts batch, a Core insert) call ``record`` themselves.

Payloads are thin on purpose: ids, kinds, dates, hashes — never a name or a free text — so a
leaked webhook reveals no client. The resource's URL lets a consumer fetch the rest.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import inspect
from sqlalchemy.orm import Session

import app.cases.activity  # noqa: F401  (its listeners run first: versions are final below)
from app.attempts.models import BookingAttempt
from app.cases.models import Case
from app.cases.stages import Stage
from app.clients.models import Client
from app.contacts.models import PrefectureContact
from app.db import new_id, utcnow
from app.documents.models import GeneratedDocument
from app.events.models import Event
from app.evidence.models import Evidence
from app.filings.models import Filing
from app.proceedings.models import Proceeding

API = "/api/v1"
_PENDING = "events_pending"
# Bookkeeping columns: a change to them alone is not a change of the resource.
_BOOKKEEPING = {"version", "updated_at", "search_name"}


@dataclass
class _Spec:
    type: str
    obj: Any
    resource_type: str
    path: str
    case_id: uuid.UUID | None
    data: dict[str, Any] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value.value if hasattr(value, "value") else value


def _changed(obj: Any) -> set[str]:
    state = inspect(obj)
    return {
        attr.key
        for attr in state.attrs
        if attr.key not in _BOOKKEEPING and attr.history.has_changes()
    }


def _old(obj: Any, name: str) -> Any:
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else None


def _case_path(case_id: uuid.UUID, tail: str = "") -> str:
    return f"{API}/cases/{case_id}{tail}"


def _on_new(obj: Any) -> list[_Spec]:
    facts: dict[str, Any]
    if isinstance(obj, Client):
        return [_Spec("client.created", obj, "client", f"{API}/clients/{obj.id}", None)]
    if isinstance(obj, Case):
        facts = {
            "stage": obj.stage,
            "department_code": obj.department_code,
            "procedure_code": obj.procedure_code,
        }
        return [_Spec("case.created", obj, "case", _case_path(obj.id), obj.id, facts)]
    if isinstance(obj, BookingAttempt):
        return [_attempt_spec(obj)]
    if isinstance(obj, PrefectureContact):
        path = _case_path(obj.case_id, f"/contacts/{obj.id}")
        facts = {"channel": obj.channel, "sent_date": obj.sent_date}
        return [_Spec("contact.recorded", obj, "contact", path, obj.case_id, facts)]
    if isinstance(obj, Proceeding):
        path = _case_path(obj.case_id, f"/proceedings/{obj.id}")
        facts = {"tribunal_code": obj.tribunal_code, "filed_date": obj.filed_date}
        return [_Spec("proceeding.created", obj, "proceeding", path, obj.case_id, facts)]
    if isinstance(obj, Evidence):
        facts = {
            "kind": obj.kind,
            "sha256": obj.sha256,
            "size": obj.size,
            "media_type": obj.media_type,
            "attempt_id": obj.attempt_id,
            "review_status": obj.review_status,
        }
        path = f"{API}/evidence/{obj.id}"
        return [_Spec("evidence.added", obj, "evidence", path, obj.case_id, facts)]
    if isinstance(obj, GeneratedDocument):
        path = f"{API}/documents/{obj.id}"
        facts = {
            "kind": obj.kind,
            "version": obj.version,
            "sha256": obj.sha256,
            "size": obj.size,
            "download_path": f"{path}/content",
        }
        return [_Spec("document.generated", obj, "document", path, obj.case_id, facts)]
    if isinstance(obj, Filing):
        path = f"{API}/filings/{obj.id}"
        facts = {
            "tribunal_code": obj.tribunal_code,
            "filed_on": obj.filed_on,
            "sha256": obj.sha256,
            "size": obj.size,
            "download_path": f"{path}/content",
        }
        return [_Spec("filing.created", obj, "filing", path, obj.case_id, facts)]
    return []


def _attempt_spec(obj: Any) -> _Spec:
    path = _case_path(obj.case_id, f"/attempts/{obj.id}")
    facts: dict[str, Any] = {
        "attempted_at": obj.attempted_at, "outcome": obj.outcome, "source": obj.source,
        "review_status": obj.review_status,
    }  # fmt: skip
    return _Spec("attempt.recorded", obj, "attempt", path, obj.case_id, facts)


def _on_change(obj: Any) -> list[_Spec]:
    facts: dict[str, Any]
    changed = _changed(obj)
    if not changed:
        return []
    if isinstance(obj, Client):
        return [_Spec("client.updated", obj, "client", f"{API}/clients/{obj.id}", None)]
    if isinstance(obj, Case):
        specs = []
        if "stage" in changed:
            facts = {"from_stage": _old(obj, "stage"), "to_stage": obj.stage}
            specs.append(
                _Spec("case.stage_changed", obj, "case", _case_path(obj.id), obj.id, facts)
            )
            if obj.stage == Stage.closed:
                specs.append(_Spec("case.closed", obj, "case", _case_path(obj.id), obj.id))
        if changed - {"stage", "closed_at", "closed_reason", "outcome"} or not specs:
            specs.append(_Spec("case.updated", obj, "case", _case_path(obj.id), obj.id))
        return specs
    if isinstance(obj, PrefectureContact):
        path = _case_path(obj.case_id, f"/contacts/{obj.id}")
        if "response_date" in changed and obj.response_date is not None:
            facts = {
                "response_date": obj.response_date,
                "response_outcome": obj.response_outcome,
            }
            return [_Spec("contact.answered", obj, "contact", path, obj.case_id, facts)]
        return [_Spec("contact.updated", obj, "contact", path, obj.case_id)]
    if isinstance(obj, Proceeding):
        path = _case_path(obj.case_id, f"/proceedings/{obj.id}")
        if "outcome" in changed and obj.outcome is not None:
            facts = {"outcome": obj.outcome, "decision_date": obj.decision_date}
            return [_Spec("proceeding.decided", obj, "proceeding", path, obj.case_id, facts)]
        return [_Spec("proceeding.updated", obj, "proceeding", path, obj.case_id)]
    if isinstance(obj, Evidence) and "withdrawn_at" in changed and obj.withdrawn_at is not None:
        path = f"{API}/evidence/{obj.id}"
        return [_Spec("evidence.withdrawn", obj, "evidence", path, obj.case_id)]
    return []


@sa_event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context: Any, instances: Any) -> None:
    specs: list[_Spec] = session.info.setdefault(_PENDING, [])
    for obj in session.new:
        specs.extend(_on_new(obj))
    for obj in session.dirty:
        if session.is_modified(obj):
            specs.extend(_on_change(obj))


@sa_event.listens_for(Session, "after_flush_postexec")
def _write(session: Session, flush_context: Any) -> None:
    specs: list[_Spec] = session.info.pop(_PENDING, [])
    if specs:
        record(session, specs)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def record(session: Session, specs: Iterable[_Spec]) -> None:
    """Insert the events (Core: this may run inside a flush)."""
    now = utcnow()
    rows = [
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
            "dedupe_key": None,
        }
        for spec in specs
    ]
    if rows:
        session.execute(sa.insert(Event), rows)


def record_attempts(session: Session, attempts: Iterable[Any]) -> None:
    """Events for attempts written by a bulk insert (no flush to see them)."""
    record(session, [_attempt_spec(attempt) for attempt in attempts])


@dataclass(frozen=True)
class _Erased:
    id: uuid.UUID


def record_erasure(session: Session, client_id: uuid.UUID) -> None:
    """``client.erased``: the client's id, nothing else (its data is gone)."""
    path = f"{API}/clients/{client_id}"
    record(session, [_Spec("client.erased", _Erased(client_id), "client", path, None)])
