"""The access log: every read of a client's record or of a file about them.

An entry is written in its own short transaction before the data leaves, so a read is never
disclosed unrecorded, and a read-only request never has to upgrade its own transaction to
a write (on SQLite that fails at once when another writer came in between).

What counts as a read (see docs/personal-data.md): the client's record (read alone or as
one of a page of clients), every evidence file, draft, filing bundle and export downloaded.
A name shown on a case or in a list of cases is not logged: staff see those on every screen,
and a log of every screen would bury the reads that matter.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from fastapi import Request
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from app.audit.models import AccessEntry
from app.auth.principal import Principal
from app.db import begin_write, end_transaction, utcnow
from app.logs import request_id_var
from app.pagination import PageRequest, paginate


def record(
    factory: sessionmaker[Session],
    actor: Principal | None,
    *,
    action: str,
    resource_type: str,
    reads: Sequence[tuple[uuid.UUID, uuid.UUID | str]],
) -> None:
    """Write the entries now, committed, whatever becomes of the caller's transaction;
    ``reads`` are (client, resource) pairs."""
    if not reads:
        return
    with factory() as session:
        begin_write(session)
        session.add_all(
            AccessEntry(
                client_id=client_id,
                actor_user_id=actor.user_id if actor else None,
                actor_api_key_id=actor.api_key_id if actor else None,
                via="credential" if actor else "signed_link",
                action=action,
                resource_type=resource_type,
                resource_id=str(resource_id),
                request_id=request_id_var.get(),
            )
            for client_id, resource_id in reads
        )
        session.commit()


def record_read(
    request: Request,
    session: Session,
    actor: Principal | None,
    *,
    client_id: uuid.UUID,
    action: str,
    resource_type: str,
    resource_id: uuid.UUID | str,
) -> None:
    """One read, by a route, once it has read what it sends (see ``record_reads``)."""
    record_reads(request, session, actor, action=action, resource_type=resource_type,
                 reads=[(client_id, resource_id)])  # fmt: skip


def record_reads(
    request: Request,
    session: Session,
    actor: Principal | None,
    *,
    action: str,
    resource_type: str,
    reads: Sequence[tuple[uuid.UUID, uuid.UUID | str]],
) -> None:
    """``record`` for a read route: its own (read) transaction ends first, so that a request
    never holds two connections at once (under load, requests each waiting for a second one
    would empty the pool)."""
    end_transaction(session)
    record(request.app.state.session_factory, actor, action=action,
           resource_type=resource_type, reads=reads)  # fmt: skip


def list_entries(
    session: Session, *, client_id: uuid.UUID, page: PageRequest
) -> tuple[list[AccessEntry], str | None]:
    """Newest first."""
    query = select(AccessEntry).where(AccessEntry.client_id == client_id)
    order = (col(AccessEntry.occurred_at), col(AccessEntry.id))
    return paginate(session, query=query, columns=order, page=page, descending=True)


def expire(session: Session, *, retention_days: int) -> int:
    """Delete entries older than the policy keeps them."""
    cutoff = utcnow() - timedelta(days=retention_days)
    result = session.execute(sa.delete(AccessEntry).where(col(AccessEntry.occurred_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
