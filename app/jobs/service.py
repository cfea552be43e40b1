"""The job queue: enqueue in the caller's transaction, claim under a lease, finish or retry.

Claiming is safe with several workers. On PostgreSQL the claim reads due rows with
``FOR UPDATE SKIP LOCKED``, so two workers never take the same job; on SQLite the claim is
a write transaction taken up front (``BEGIN IMMEDIATE``), so claimers queue on the lock.
A job whose worker dies stays « running » until its lease ends, then any worker reclaims
it: work is done at least once, so handlers are idempotent.
"""

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, or_, select

from app.db import begin_write, utcnow
from app.jobs.models import Job, JobStatus, Lease

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=6)


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> Job | None:
    """Add a job in the session's transaction. With ``dedupe_key``, a job already waiting
    for the same key makes this a no-op (None)."""
    if dedupe_key is not None:
        waiting = select(Job).where(
            Job.dedupe_key == dedupe_key,
            col(Job.status).in_([JobStatus.queued, JobStatus.running]),
        )
        if session.exec(waiting).first() is not None:
            return None
        # A finished job keeps its key for the record; free it for the new one.
        for done in session.exec(select(Job).where(Job.dedupe_key == dedupe_key)):
            done.dedupe_key = None
            session.add(done)
        session.flush()
    job = Job(
        kind=kind,
        payload=payload or {},
        run_after=run_after or utcnow(),
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
    )
    session.add(job)
    session.flush()
    return job


def _due(now: datetime, kinds: Sequence[str] | None) -> Any:
    """Jobs to take: queued and due, or running with an expired lease (a dead worker's)."""
    due = or_(
        (col(Job.status) == JobStatus.queued) & (col(Job.run_after) <= now),
        (col(Job.status) == JobStatus.running) & (col(Job.lease_until) < now),
    )
    return due if kinds is None else due & col(Job.kind).in_(list(kinds))


def has_due(session: Session, *, kinds: Sequence[str] | None = None) -> bool:
    """Whether any job is waiting: a plain read, so an idle worker takes no write lock."""
    return session.exec(select(Job.id).where(_due(utcnow(), kinds)).limit(1)).first() is not None


def claim(
    session: Session,
    *,
    worker_id: str,
    kinds: Sequence[str] | None = None,
    limit: int = 10,
    lease: timedelta = LEASE,
) -> list[Job]:
    """Take up to ``limit`` due jobs (queued, or running with an expired lease) for
    ``worker_id``, in the session's transaction; commit it to make the claim visible."""
    begin_write(session)
    now = utcnow()
    query = select(Job).where(_due(now, kinds)).order_by(col(Job.run_after)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    jobs = list(session.exec(query))
    for job in jobs:
        job.status = JobStatus.running
        job.locked_by = worker_id
        job.lease_until = now + lease
        job.attempts += 1
        session.add(job)
    session.flush()
    return jobs


def _mine(session: Session, *, job_id: uuid.UUID, worker_id: str) -> Job | None:
    """The job, if this worker still holds it (its lease was not taken over)."""
    query = select(Job).where(Job.id == job_id, Job.locked_by == worker_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    job = session.exec(query).first()
    return job if job is not None and job.status == JobStatus.running else None


def finish(session: Session, *, job_id: uuid.UUID, worker_id: str) -> bool:
    """Mark the job done; False if the lease was lost meanwhile (another worker has it)."""
    begin_write(session)
    job = _mine(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.status, job.finished_at, job.lease_until = JobStatus.done, utcnow(), None
    session.add(job)
    return True


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Exponential with full jitter: up to 30 s, 1 min, 2 min… capped at 6 h."""
    ceiling = min(MAX_BACKOFF, timedelta(seconds=30 * 2 ** max(0, attempts - 1)))
    return ceiling * (rng or random).uniform(0.5, 1.0)


def fail(session: Session, *, job_id: uuid.UUID, worker_id: str, error: str) -> bool:
    """Record the error; retry later with backoff, or mark the job failed for good."""
    begin_write(session)
    job = _mine(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.last_error = error[:2000]
    job.lease_until = None
    if job.attempts >= job.max_attempts:
        job.status, job.finished_at = JobStatus.failed, utcnow()
    else:
        job.status, job.run_after = JobStatus.queued, utcnow() + backoff(job.attempts)
    session.add(job)
    return True


def release(session: Session, *, job_id: uuid.UUID, worker_id: str) -> bool:
    """Give back a claimed job this worker will not run (it is stopping): due again at once."""
    begin_write(session)
    job = _mine(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.status, job.locked_by, job.lease_until = JobStatus.queued, None, None
    job.attempts = max(0, job.attempts - 1)
    session.add(job)
    return True


def renew(session: Session, *, job_id: uuid.UUID, worker_id: str, lease: timedelta = LEASE) -> bool:
    """Extend the lease of a long job this worker still holds."""
    begin_write(session)
    job = _mine(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.lease_until = utcnow() + lease
    session.add(job)
    return True


def take_lease(session: Session, *, name: str, holder: str, period: timedelta) -> bool:
    """Hold the named lease for ``period`` if it is free or expired: periodic work done by
    whoever gets it runs at most once per period across workers."""
    begin_write(session)
    now = utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = Lease.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(name=name, holder=holder, expires_at=now + period)
        .on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": holder, "expires_at": now + period},
            where=table.c.expires_at <= now,
        )
        .returning(table.c.holder)
    )
    won = session.execute(statement).scalar_one_or_none()
    return won == holder
