"""Which work the worker does: one handler per job kind, and the periodic schedule.

Domains register their handlers here (the integrations' deliveries, the screenshot readings
when they land); each handler takes the session of its own transaction and the job's payload.
"""

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.idempotency import service as idempotency
from app.jobs.worker import Handler, Periodic


def _expire_idempotency_keys(session: Session, payload: dict[str, Any]) -> None:
    idempotency.expire(session)


HANDLERS: dict[str, Handler] = {"idempotency.expire": _expire_idempotency_keys}

PERIODIC = [Periodic("idempotency.expire", timedelta(hours=1))]
