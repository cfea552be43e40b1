"""Which work the worker does: one handler per job kind, the periodic schedule, and the
ticks run on every loop.

Domains register here (the integrations' deliveries and the scheduler now, the screenshot
readings when they land); each handler takes the session of its own transaction and the
job's payload.
"""

from datetime import timedelta
from functools import partial
from typing import Any

from sqlmodel import Session

from app.audit import access
from app.config import Settings
from app.events import service as events
from app.evidence.reading import service as readings
from app.idempotency import service as idempotency
from app.personal_data import exports, retention
from app.webhooks import service as webhooks
from app.worker.runner import Handler, Periodic, Tick


def _expire_idempotency_keys(session: Session, payload: dict[str, Any]) -> None:
    idempotency.expire(session)


def handlers(settings: Settings) -> dict[str, Handler]:
    policy = settings.policy
    return {
        "idempotency.expire": _expire_idempotency_keys,
        webhooks.DELIVER: partial(webhooks.deliver, settings=settings),
        "events.expire": lambda session, _: events.expire(session, policy.event_retention_days),
        "deadlines.remind": lambda session, _: events.remind_deadlines(session, policy),
        readings.READ: partial(readings.read, settings=settings),
        exports.BUILD: partial(exports.build, settings=settings),
        exports.EXPIRE: partial(exports.expire_job, settings=settings),
        retention.REVIEW: partial(retention.review_job, policy=policy),
        "access_log.expire": lambda session, _: access.expire(
            session, policy.access_log_retention_days
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


def _number_events(session: Session) -> int:
    if not events.has_unnumbered(session):
        return 0
    session.rollback()
    done = events.number_pending(session)
    session.commit()
    return done


TICKS: list[Tick] = [_number_events]
