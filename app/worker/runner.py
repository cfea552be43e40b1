"""The worker: claims due jobs, runs each handler, and keeps the periodic schedule (at most
once per period across workers, through a named lease).

A database handler runs in a write transaction of the worker's, and its work and the job's
completion commit together: if the lease was taken over meanwhile (the worker was too slow,
or presumed dead), the work is rolled back and left to the new holder. A handler that does
I/O (``OwnTransactions``: an HTTP delivery, OCR, an export's ZIP) holds no transaction of
the worker's: it opens its own short ones, and the worker then records the job as done.
Work with effects outside the database is done at least once, so those handlers must be
idempotent.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import clock
from app.db import begin_write
from app.jobs import service
from app.jobs.context import JobContext, OwnTransactions

logger = logging.getLogger(__name__)

# A database handler: the worker's session (a write transaction begun) and the job's payload.
Handler = Callable[[Session, dict[str, Any]], Any] | OwnTransactions
# Work done on every loop before claiming (numbering new events): a session in, a count out.
Tick = Callable[[Session], int]
SCHEDULE_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class Periodic:
    """Enqueue ``kind`` every ``period`` (the lease named after it keeps it once per period)."""

    kind: str
    period: timedelta


@dataclass
class _Running:
    worker: "Worker"
    job_id: uuid.UUID
    renew_at: datetime


_running: ContextVar[_Running | None] = ContextVar("running_job", default=None)


def heartbeat() -> None:
    """From a long handler (an export copying gigabytes): extend the running job's lease, so
    that no other worker takes it over as abandoned. Cheap to call often: it writes at most
    every quarter of the lease; outside a job it does nothing. It uses a session of its own:
    call it outside any transaction of the handler's."""
    running = _running.get()
    if running is None or clock.now() < running.renew_at:
        return
    worker = running.worker
    with worker.session_factory() as session:
        service.renew(session, job_id=running.job_id, worker_id=worker.name, lease=worker.lease)
        session.commit()
    running.renew_at = clock.now() + worker.lease / 4


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        handlers: Mapping[str, Handler],
        *,
        periodic: Sequence[Periodic] = (),
        ticks: Sequence[Tick] = (),
        name: str | None = None,
        batch: int = 10,
        lease: timedelta = service.LEASE,
    ) -> None:
        self.session_factory = session_factory
        self.handlers = dict(handlers)
        self.periodic = list(periodic)
        self.ticks = list(ticks)
        self.name = name or worker_name()
        self.batch = batch
        self.lease = lease
        self._next_schedule = clock.now()
        self._stopping: threading.Event | None = None

    def schedule(self) -> int:
        """Enqueue the periodic jobs whose period has come round; how many were. Looked at
        every SCHEDULE_EVERY at most: each look is a write (the lease)."""
        now = clock.now()
        if now < self._next_schedule:
            return 0
        self._next_schedule = now + SCHEDULE_EVERY
        enqueued = 0
        for job in self.periodic:
            with self.session_factory() as session:
                if service.take_lease(
                    session, name=f"periodic:{job.kind}", holder=self.name, period=job.period
                ):
                    enqueued += (
                        service.enqueue(session, kind=job.kind, dedupe_key=job.kind) is not None
                    )
                session.commit()
        return enqueued

    def run_once(self) -> int:
        """Schedule, tick, then claim and run one batch; the number of jobs run."""
        self.schedule()
        for tick in self.ticks:
            with self.session_factory() as session:
                tick(session)
        with self.session_factory() as session:
            if not service.has_due(session, kinds=list(self.handlers)):
                return 0
            session.rollback()  # end the read; the claim is a write transaction of its own
            claimed = service.claim(
                session,
                worker_id=self.name,
                kinds=list(self.handlers),
                limit=self.batch,
                lease=self.lease,
            )
            jobs = [(job.id, job.kind, dict(job.payload)) for job in claimed]
            session.commit()
        for n, (job_id, kind, payload) in enumerate(jobs):
            if self._stopping is not None and self._stopping.is_set():
                # Stopping: give the rest back now rather than leave them to a lease's end.
                with self.session_factory() as session:
                    for left, _, _ in jobs[n:]:
                        service.release(session, job_id=left, worker_id=self.name)
                    session.commit()
                return n
            self._run(job_id, kind, payload)
        return len(jobs)

    def _run(self, job_id: uuid.UUID, kind: str, payload: dict[str, Any]) -> None:
        running = _running.set(_Running(self, job_id, clock.now() + self.lease / 4))
        handler = self.handlers[kind]
        try:
            if isinstance(handler, OwnTransactions):
                handler.run(JobContext(self.session_factory, heartbeat), payload)
                with self.session_factory() as session:
                    begin_write(session)
                    self._finish(session, job_id, kind)
            else:
                with self.session_factory() as session:
                    begin_write(session)  # the handler writes: take SQLite's lock up front
                    handler(session, payload)
                    self._finish(session, job_id, kind)
        except Exception as exc:
            logger.warning("job %s (%s) failed: %s", job_id, kind, type(exc).__name__)
            logger.debug("job failure", exc_info=exc)
            with self.session_factory() as session:
                service.fail(
                    session,
                    job_id=job_id,
                    worker_id=self.name,
                    error=f"{type(exc).__name__}: {exc}",
                )
                session.commit()
        finally:
            _running.reset(running)

    def _finish(self, session: Session, job_id: uuid.UUID, kind: str) -> None:
        if service.finish(session, job_id=job_id, worker_id=self.name):
            session.commit()
        else:
            session.rollback()
            logger.warning("job %s (%s): lease lost, work left to its new holder", job_id, kind)

    def run(self, stop: threading.Event, *, idle: float = 1.0) -> None:
        """Work until ``stop`` is set, sleeping ``idle`` seconds when there is nothing to do."""
        logger.info("worker %s started (%s)", self.name, ", ".join(sorted(self.handlers)))
        self._stopping = stop
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database is away: wait and try again, never die
                logger.exception("worker %s: could not claim jobs", self.name)
                busy = 0
            if not busy:
                stop.wait(idle)
        logger.info("worker %s stopped", self.name)
