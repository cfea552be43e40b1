"""The background job runner, against a real database with real commits and real threads."""

import random
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from app import clock, wiring
from app.auth.models import User
from app.config import Settings
from app.db import make_engine, utcnow
from app.idempotency.models import IdempotencyRecord
from app.jobs import service
from app.jobs.context import JobContext, OwnTransactions
from app.jobs.models import Job, JobStatus
from app.worker.registry import PERIODIC, handlers
from app.worker.runner import Periodic, Worker
from tests.builders import make_user


@pytest.fixture
def engine(real_db: Settings) -> Iterator[Engine]:
    engine = make_engine(real_db.effective_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return wiring.session_factory(engine)


def _enqueue(factory: sessionmaker[Session], count: int, kind: str = "test.count") -> None:
    with factory() as session:
        for n in range(count):
            service.enqueue(session, kind=kind, payload={"n": n})
        session.commit()


def _jobs(factory: sessionmaker[Session]) -> list[Job]:
    with factory() as session:
        return list(session.exec(select(Job)))


def test_several_workers_never_run_the_same_job(factory: sessionmaker[Session]) -> None:
    _enqueue(factory, 60)
    ran: list[int] = []
    lock = threading.Lock()

    def count(session: Session, payload: dict[str, Any]) -> None:
        with lock:
            ran.append(payload["n"])

    workers = [Worker(factory, {"test.count": count}, name=f"w{n}", batch=5) for n in range(4)]

    def drain(worker: Worker) -> None:
        while worker.run_once():
            pass

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(ran) == list(range(60))  # each exactly once
    assert Counter(j.status for j in _jobs(factory)) == {JobStatus.done: 60}


def test_a_job_whose_worker_died_is_reclaimed_after_its_lease(
    factory: sessionmaker[Session],
) -> None:
    _enqueue(factory, 1)
    with factory() as session:
        [held] = service.claim(session, worker_id="dead-worker", lease=timedelta(seconds=30))
        session.commit()
    done: list[int] = []
    survivor = Worker(factory, {"test.count": lambda s, p: done.append(p["n"])}, name="alive")

    assert survivor.run_once() == 0  # the lease still runs
    with clock.pinned(utcnow() + timedelta(seconds=31)):
        assert survivor.run_once() == 1
        # The dead worker comes back: its lease was taken over, its completion is refused.
        with factory() as session:
            assert service.finish(session, job_id=held.id, worker_id="dead-worker") is False
    [job] = _jobs(factory)
    assert (job.status, job.locked_by, job.attempts, done) == (JobStatus.done, "alive", 2, [0])


def test_failures_are_retried_with_backoff_then_marked_failed(
    factory: sessionmaker[Session],
) -> None:
    with factory() as session:
        service.enqueue(session, kind="test.boom", max_attempts=3)
        session.commit()

    def boom(session: Session, payload: dict[str, Any]) -> None:
        raise RuntimeError("receiver down")

    worker = Worker(factory, {"test.boom": boom}, name="w")
    runs = []
    start = utcnow()
    for n in range(1, 4):
        with clock.pinned(start + timedelta(hours=7 * n)):  # each time past any backoff
            runs.append(worker.run_once())

    [job] = _jobs(factory)
    assert runs == [1, 1, 1]
    assert job.status == JobStatus.failed
    assert job.attempts == 3
    assert job.last_error == "RuntimeError: receiver down"


def test_backoff_grows_and_is_capped() -> None:
    rng = random.Random(1)
    delays = [service.backoff(n, rng) for n in range(1, 20)]

    assert delays[0] <= timedelta(seconds=30)
    assert delays[3] > delays[0]
    assert max(delays) <= service.MAX_BACKOFF


def test_a_handlers_work_and_the_jobs_completion_commit_together(
    factory: sessionmaker[Session],
) -> None:
    _enqueue(factory, 1)

    def half_done(session: Session, payload: dict[str, Any]) -> None:
        make_user(session, email="written-by-the-job@cabinet-avocats.fr")
        raise ValueError("crashed after writing")

    Worker(factory, {"test.count": half_done}, name="w").run_once()

    with factory() as session:
        users = session.exec(select(User)).all()
    assert users == []  # the partial work was rolled back with the failure
    [job] = _jobs(factory)
    assert job.status == JobStatus.queued


def test_a_rolled_back_request_leaves_no_job(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        service.enqueue(session, kind="test.count", payload={"n": 1})
        session.rollback()

    assert _jobs(factory) == []


def test_the_same_dedupe_key_queues_once(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        first = service.enqueue(session, kind="test.count", dedupe_key="case-1")
        second = service.enqueue(session, kind="test.count", dedupe_key="case-1")
        session.commit()

    assert first is not None
    assert second is None
    assert len(_jobs(factory)) == 1


def test_periodic_work_runs_once_per_period_across_workers(
    factory: sessionmaker[Session],
) -> None:
    ran: list[str] = []
    periodic = [Periodic("test.tick", timedelta(hours=1))]
    workers = [
        Worker(factory, {"test.tick": lambda s, p: ran.append("tick")}, periodic=periodic, name=w)
        for w in ("a", "b", "c")
    ]

    for worker in workers:
        worker.run_once()
    for worker in workers:
        worker.run_once()
    with clock.pinned(utcnow() + timedelta(hours=1, seconds=1)):
        for worker in workers:
            worker.run_once()

    assert len(ran) == 2  # once in the first hour, once in the next


def test_the_built_in_job_expires_old_idempotency_keys(
    factory: sessionmaker[Session], real_db: Settings
) -> None:
    with factory() as session:
        user = make_user(session)
        session.add_all(
            IdempotencyRecord(
                user_id=user.id, key=key, fingerprint="f", status_code=201, body={},
                created_at=utcnow() - age,
            )
            for key, age in (("old", timedelta(hours=25)), ("young", timedelta(hours=1)))
        )  # fmt: skip
        session.commit()

    Worker(factory, handlers(real_db), periodic=PERIODIC, name="w").run_once()

    with factory() as session:
        kept = [r.key for r in session.exec(select(IdempotencyRecord))]
    assert kept == ["young"]


def test_the_api_process_runs_the_worker_by_default(
    real_db: Settings,
    factory: sessionmaker[Session],
) -> None:
    import time

    from fastapi.testclient import TestClient

    from app.main import create_app

    with factory() as session:
        user = make_user(session)
        session.add(
            IdempotencyRecord(user_id=user.id, key="old", fingerprint="f", status_code=201,
                              body={}, created_at=utcnow() - timedelta(hours=30))
        )  # fmt: skip
        session.commit()
    app = create_app(real_db.model_copy(update={"embedded_worker": True}))

    with TestClient(app):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with factory() as session:
                if session.exec(select(IdempotencyRecord)).first() is None:
                    break
            time.sleep(0.1)

    with factory() as session:
        assert session.exec(select(IdempotencyRecord)).first() is None


@pytest.mark.parametrize("kept_alive", [True, False])
def test_a_long_job_that_keeps_alive_is_not_taken_over(
    factory: sessionmaker[Session], kept_alive: bool
) -> None:
    """Time passes inside the handler (the app's clock, moved on): past its lease, a job whose
    handler calls its heartbeat stays its worker's; one whose handler does not is taken."""
    _enqueue(factory, 1, kind="test.long")
    rival = Worker(factory, {"test.long": lambda s, p: None}, name="rival")
    taken: list[int] = []

    def long(context: JobContext, payload: dict[str, Any]) -> None:
        for _ in range(3):
            clock.pin(clock.now() + timedelta(seconds=50))  # 150 s in all, the lease is 120 s
            if kept_alive:
                context.heartbeat()
            taken.append(rival.run_once())

    Worker(factory, {"test.long": OwnTransactions(long)}, name="slow").run_once()

    [job] = _jobs(factory)
    if kept_alive:
        assert taken == [0, 0, 0]
        assert (job.status, job.locked_by, job.attempts) == (JobStatus.done, "slow", 1)
    else:
        assert taken == [0, 0, 1]  # taken over once the lease ran out
        assert (job.status, job.locked_by, job.attempts) == (JobStatus.done, "rival", 2)
