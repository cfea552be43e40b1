"""A case's ``version`` and ``updated_at`` move with every change to what the case shows or
holds: its own fields, its client's name, and every attempt, contact, proceeding, piece of
evidence, document, filing, exhibit plan or stage change under it. So one list call
(``GET /cases?updated_since=…``) finds what changed, and the case's ETag is a strong
validator of its representation.

One listener does it for every ORM write of a ``CaseOwned`` row (the tables under a case
inherit the marker), so no service can forget; bulk Core inserts (the attempts batch) call
``touch`` themselves. The composition root installs it on the application's session factory
(``install``), before the events' listeners, so events record the final versions. The
increment is SQL (``version = version + 1``), atomic under concurrent writers on PostgreSQL.
"""

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from app.cases.models import Case, CaseOwned
from app.clients.models import Client
from app.db import utcnow

# What a case shows of its client (``ClientSummary``).
_CLIENT_SHOWN = ("civility", "last_name", "first_names")
_STALE = "cases_to_refresh"
_CREATED = "cases_created"


def touch(session: Session, *, case_ids: Iterable[uuid.UUID]) -> None:
    """Move these cases' version and updated_at (for writes that bypass the ORM)."""
    ids = set(case_ids)
    if not ids:
        return
    session.execute(
        sa.update(Case)
        .where(col(Case.id).in_(ids))
        .values(version=Case.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _refresh_later(session, cases=(case for case in _loaded_cases(session) if case.id in ids))


def _refresh_later(session: Session, *, cases: Iterable[Case]) -> None:
    session.info.setdefault(_STALE, []).extend(cases)


def install(factory: sessionmaker[Any]) -> None:
    """Keep cases' versions current in every session ``factory`` makes."""
    event.listen(factory, "before_flush", _bump_cases)
    event.listen(factory, "after_flush_postexec", _refresh)
    event.listen(factory, "after_transaction_end", _forget)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CREATED, None)


def _refresh(session: Session, flush_context: Any) -> None:
    # The SQL increment leaves the attributes expired; a model_dump would not load them.
    for case in session.info.pop(_STALE, ()):
        if case in session and not inspect(case).deleted:
            session.refresh(case, ["version", "updated_at"])


def _loaded_cases(session: Session) -> list[Case]:
    return [obj for obj in session.identity_map.values() if isinstance(obj, Case)]


def _changed(obj: Any, fields: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _bump_cases(session: Session, flush_context: Any, instances: Any) -> None:
    case_ids: set[uuid.UUID] = set()
    client_ids: set[uuid.UUID] = set()
    for obj in session.new:
        if isinstance(obj, CaseOwned):
            case_ids.add(obj.case_id)
    # A case created in this transaction is at version 1 whatever is added with it.
    created = session.info.setdefault(_CREATED, set())
    created |= {obj.id for obj in session.new if isinstance(obj, Case)}
    case_ids -= created
    for obj in session.dirty:
        if isinstance(obj, CaseOwned) and session.is_modified(obj):
            case_ids.add(obj.case_id)
        elif isinstance(obj, Client) and _changed(obj, _CLIENT_SHOWN):
            client_ids.add(obj.id)
    # A case written in this flush that did not move its own version (the services that
    # edit a case do) moves it here, in the same UPDATE.
    for case in _loaded_cases(session):
        if case.id in created:
            continue
        own_change = case in session.dirty and session.is_modified(case)
        if (case.id in case_ids or own_change) and not _changed(case, ("version",)):
            case.version = Case.version + 1
            case.updated_at = utcnow()
            case_ids.discard(case.id)
            _refresh_later(session, cases=[case])
        elif own_change:
            case_ids.discard(case.id)
    if client_ids:
        query = sa.select(col(Case.id)).where(col(Case.client_id).in_(client_ids))
        case_ids |= set(session.execute(query).scalars())
    touch(session, case_ids=case_ids)
