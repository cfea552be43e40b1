"""Which work the worker does: one handler per job kind, the periodic schedule, and the
ticks run on every loop.

A database handler takes the session of the worker's transaction and the job's payload; a
handler that does I/O is registered as ``OwnTransactions`` and opens its own (a delivery,
a reading, an export). ``build`` makes the worker the API process and ``creneau worker`` run.
"""

from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.agenda import reminders
from app.audit import access
from app.config import Settings
from app.events import service as events
from app.evidence.reading import service as readings
from app.idempotency import service as idempotency
from app.jobs.context import OwnTransactions
from app.personal_data import exports, retention
from app.webhooks import delivery as webhooks
from app.worker.runner import Handler, Periodic, Tick, Worker


def _expire_idempotency_keys(session: Session, payload: dict[str, Any]) -> None:
    idempotency.expire(session)


def _expire_events(session: Session, *, retention_days: int) -> None:
    # The deliveries of an event go before it.
    old = events.expired(session, retention_days=retention_days)
    webhooks.forget_deliveries_of(session, event_ids=old)
    events.delete(session, event_ids=old)


def handlers(settings: Settings) -> dict[str, Handler]:
    policy = settings.policy
    return {
        "idempotency.expire": _expire_idempotency_keys,
        webhooks.DELIVER: OwnTransactions(partial(webhooks.deliver, settings=settings)),
        "events.expire": lambda session, _: _expire_events(
            session, retention_days=policy.event_retention_days
        ),
        "deadlines.remind": lambda session, _: reminders.remind_deadlines(session, policy=policy),
        readings.READ: OwnTransactions(partial(readings.read, settings=settings)),
        exports.BUILD: OwnTransactions(partial(exports.build, settings=settings)),
        exports.EXPIRE: partial(exports.expire_job, settings=settings),
        retention.REVIEW: partial(retention.review_job, policy=policy),
        "access_log.expire": lambda session, _: access.expire(
            session, retention_days=policy.access_log_retention_days
        ),
    }


PERIODIC = [
    Periodic("idempotency.expire", timedelta(hours=1)),
    Periodic("events.expire", timedelta(hours=6)),
    Periodic("deadlines.remind", timedelta(hours=1)),
    Periodic(exports.EXPIRE, timedelta(hours=1)),
    Periodic(retention.REVIEW, timedelta(days=1)),
    Periodic("access_log.expire", timedelta(days=1)),
]


def number_and_fan_out(session: Session) -> int:
    """Number what was committed, then turn what was numbered into deliveries: each in a
    write transaction of its own, taken only when there is something to do."""
    numbered = 0
    if events.has_unnumbered(session):
        session.rollback()
        numbered = events.number_pending(session)
        session.commit()
    if webhooks.has_pending_fan_out(session):
        session.rollback()
        webhooks.fan_out_pending(session)
        session.commit()
    return numbered


TICKS: list[Tick] = [number_and_fan_out]


def build(settings: Settings, session_factory: sessionmaker[Session]) -> Worker:
    """The worker, with every handler, the periodic schedule and the ticks."""
    return Worker(
        session_factory,
        handlers(settings),
        periodic=PERIODIC,
        ticks=TICKS,
        lease=timedelta(seconds=settings.job_lease_seconds),
    )
