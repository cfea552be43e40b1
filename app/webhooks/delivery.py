"""Webhook deliveries (Standard Webhooks 1.0): fan-out, signing, sending, retries.

Each numbered event becomes one delivery per matching active subscription: the worker's tick
fans out every event numbered since the fan-out cursor, moving the cursor in the same
transaction, so each event fans out exactly once whoever numbered it. A job sends each
delivery: it POSTs the event signed with the subscription's secret (``webhook-id`` is the
event id on every retry, so receivers deduplicate), records the attempt, and on failure
schedules the next one with exponential backoff and jitter, for up to three days. A
subscription whose deliveries keep failing is disabled with its reason.
"""

import json
import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from app import clock
from app.config import Environment, Settings
from app.db import begin_write, utcnow
from app.events import service as events
from app.events.envelope import envelope
from app.events.models import Event
from app.jobs import service as jobs
from app.jobs.context import JobContext
from app.webhooks import targets
from app.webhooks.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    FanOutCursor,
    Subscription,
)

DELIVER = "webhook.deliver"
GIVE_UP_AFTER = timedelta(days=3)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_WAIT = timedelta(hours=12)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Creneau-Webhooks/1"
FAN_OUT_BATCH = 1000


def check_target(settings: Settings, url: str) -> targets.Target:
    """The address a URL resolves to, if it may receive deliveries (a name lookup: I/O)."""
    return targets.resolve(
        url,
        https_only=settings.env is Environment.production,
        allowed=settings.webhook_allowed_networks,
    )


def wants(subscription: Subscription, event_type: str) -> bool:
    return "*" in subscription.event_types or event_type in subscription.event_types


def schedule(session: Session, *, delivery: Delivery, when: datetime, new: bool = False) -> None:
    delivery.next_attempt_at = when
    session.add(delivery)
    # One waiting job per attempt (the running job schedules the next under another key); a
    # new delivery has no job yet, so nothing to look up.
    key = None if new else f"delivery:{delivery.id}:{delivery.attempts}"
    jobs.enqueue(
        session,
        kind=DELIVER,
        payload={"delivery_id": str(delivery.id)},
        run_after=when,
        dedupe_key=key,
        max_attempts=3,
    )


def _cursor(session: Session) -> int:
    found = session.exec(select(FanOutCursor.last_position).where(FanOutCursor.id == 1))
    return found.first() or 0


def has_pending_fan_out(session: Session) -> bool:
    """Whether events were numbered since the last fan-out (a plain read)."""
    return events.last_position(session) > _cursor(session)


def fan_out_pending(session: Session) -> int:
    """Deliveries for the events numbered since the cursor, and the cursor moved past them,
    in one write transaction; the caller commits. How many events were fanned out."""
    begin_write(session)
    query = select(FanOutCursor).where(FanOutCursor.id == 1)
    if _pg(session):
        query = query.with_for_update()
    cursor = session.exec(query).first()
    if cursor is None:
        cursor = FanOutCursor(id=1, last_position=0)
        session.add(cursor)
        session.flush()
    numbered = list(
        session.exec(
            select(Event)
            .where(col(Event.position) > cursor.last_position)
            .order_by(col(Event.position))
            .limit(FAN_OUT_BATCH)
        )
    )
    if not numbered:
        return 0
    subscriptions = list(session.exec(select(Subscription).where(col(Subscription.active))))
    now = utcnow()
    for event in numbered:
        for subscription in subscriptions:
            if wants(subscription, event.type):
                delivery = Delivery(subscription_id=subscription.id, event_id=event.id)
                session.add(delivery)
                session.flush()
                schedule(session, delivery=delivery, when=now, new=True)
    cursor.last_position = numbered[-1].position or cursor.last_position
    session.add(cursor)
    session.flush()
    return len(numbered)


def signature_headers(subscription: Subscription, event_id: str, body: str) -> dict[str, str]:
    sent_at = clock.now()
    signatures = [Webhook(subscription.secret).sign(event_id, sent_at, body)]
    if (
        subscription.previous_secret
        and subscription.previous_secret_until
        and (subscription.previous_secret_until > sent_at)
    ):
        signatures.append(Webhook(subscription.previous_secret).sign(event_id, sent_at, body))
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def next_wait(attempts: int) -> timedelta:
    """10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11 h, then 12 h: with full jitter."""
    ceiling: timedelta = min(LONGEST_WAIT, FIRST_RETRY * 4 ** max(0, attempts - 1))
    jitter: float = secrets.SystemRandom().uniform(0.5, 1.0)
    return ceiling * jitter


def _post(settings: Settings, url: str, headers: dict[str, str], body: str) -> int:
    """POST to the checked address; the status code (no redirect is followed)."""
    target = check_target(settings, url)
    host = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    pinned = httpx.URL(url).copy_with(host=host)
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        response = client.post(
            pinned,
            content=body.encode(),
            headers=headers | {"host": httpx.URL(url).netloc.decode()},
            extensions={"sni_hostname": target.host},
        )
        return response.status_code


def deliver(context: JobContext, payload: dict[str, Any], *, settings: Settings) -> None:
    """The job: one attempt at one delivery. Holds no transaction while the receiver answers."""
    delivery_id = uuid.UUID(payload["delivery_id"])
    with context.session_factory() as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None or delivery.status is not DeliveryStatus.pending:
            return  # done meanwhile (a retry job for a delivered event is a no-op)
        subscription = session.get(Subscription, delivery.subscription_id)
        event = session.get(Event, delivery.event_id)
        if subscription is None or event is None:
            return  # deleted meanwhile (the subscription, or the event past its retention)
        if not subscription.active:
            session.rollback()
            begin_write(session)
            _give_up(session, delivery=delivery, reason="subscription disabled")
            session.commit()
            return
        body = json.dumps(envelope(event, settings), separators=(",", ":"), ensure_ascii=False)
        headers = signature_headers(subscription, str(event.id), body)
        url, subscription_id = subscription.url, subscription.id
    started = time.monotonic()
    status_code, error = None, None
    try:
        status_code = _post(settings, url, headers, body)
    except targets.TargetRefused as exc:
        error = f"refused: {exc.detail}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = (time.monotonic() - started) * 1000
    with context.session_factory() as session:
        begin_write(session)
        _record_attempt(
            session,
            delivery_id=delivery_id,
            subscription_id=subscription_id,
            status_code=status_code,
            error=error,
            duration_ms=duration,
            settings=settings,
        )
        session.commit()


def _record_attempt(
    session: Session,
    *,
    delivery_id: uuid.UUID,
    subscription_id: uuid.UUID,
    status_code: int | None,
    error: str | None,
    duration_ms: float,
    settings: Settings,
) -> None:
    delivery = session.get(Delivery, delivery_id, with_for_update=_pg(session))
    subscription = session.get(Subscription, subscription_id)
    if delivery is None or subscription is None or delivery.status is not DeliveryStatus.pending:
        return
    session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            duration_ms=round(duration_ms, 1),
            status_code=status_code,
            error=error,
        )
    )
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status_code, error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.succeeded,
            utcnow(),
            None,
        )
        subscription.consecutive_failures = 0
        session.add_all([delivery, subscription])
        return
    if error is None:
        delivery.last_error = f"the receiver answered {status_code}"
    when = utcnow() + next_wait(delivery.attempts)
    if when - delivery.created_at > GIVE_UP_AFTER:
        _give_up(session, delivery=delivery, reason=delivery.last_error or "failed")
        subscription.consecutive_failures += 1
        if subscription.consecutive_failures >= settings.policy.webhook_disable_after:
            subscription.active = False
            subscription.disabled_at = utcnow()
            subscription.disabled_reason = (
                f"{subscription.consecutive_failures} events in a row could not be delivered; "
                f"last error: {delivery.last_error}"
            )
        session.add(subscription)
        return
    schedule(session, delivery=delivery, when=when)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _give_up(session: Session, *, delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.next_attempt_at = DeliveryStatus.failed, None
    delivery.last_error = reason
    session.add(delivery)


def forget_deliveries_of(session: Session, *, event_ids: Sequence[uuid.UUID]) -> None:
    """Delete the deliveries (and their attempts) of these events, before the events go."""
    ids = select(Delivery.id).where(col(Delivery.event_id).in_(list(event_ids)))
    session.execute(sa.delete(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids)))
    session.execute(sa.delete(Delivery).where(col(Delivery.event_id).in_(list(event_ids))))
