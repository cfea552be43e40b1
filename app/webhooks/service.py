"""Webhook subscriptions and deliveries (Standard Webhooks 1.0).

Each numbered event becomes one delivery per matching active subscription, in the numbering
transaction, with a job to send it. The job POSTs the event signed with the subscription's
secret (``webhook-id`` is the event id on every retry, so receivers deduplicate), records the
attempt, and on failure schedules the next one with exponential backoff and jitter, for up to
three days. A subscription whose deliveries keep failing is disabled with its reason.
"""

import base64
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
from app.audit import service as audit
from app.auth.principal import Principal
from app.config import Environment, Settings
from app.db import begin_write, utcnow
from app.errors import NotFound
from app.events import service as events
from app.events.models import Event
from app.jobs import service as jobs
from app.webhooks import targets
from app.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscription
from app.webhooks.schemas import SubscriptionCreate, SubscriptionUpdate

DELIVER = "webhook.deliver"
GIVE_UP_AFTER = timedelta(days=3)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_WAIT = timedelta(hours=12)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ROTATION_OVERLAP = timedelta(hours=24)
USER_AGENT = "Creneau-Webhooks/1"


class SubscriptionNotFound(NotFound):
    slug = "webhook-not-found"
    title = "Webhook subscription not found"


class DeliveryNotFound(NotFound):
    slug = "delivery-not-found"
    title = "Webhook delivery not found"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def check_target(settings: Settings, url: str) -> targets.Target:
    return targets.resolve(
        url,
        https_only=settings.env is Environment.production,
        allowed=settings.webhook_allowed_networks,
    )


def create(
    session: Session, actor: Principal, settings: Settings, data: SubscriptionCreate
) -> Subscription:
    check_target(settings, str(data.url))
    subscription = Subscription(
        url=str(data.url),
        description=data.description,
        event_types=sorted(set(data.event_types)),
        active=data.active,
        secret=new_secret(),
    )
    session.add(subscription)
    session.flush()
    audit.record(
        session,
        actor,
        action="webhook.create",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"event_types": subscription.event_types},
    )
    return subscription


def get(session: Session, subscription_id: uuid.UUID) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise SubscriptionNotFound(f"No webhook subscription with id {subscription_id}.")
    return subscription


def list_all(session: Session) -> list[Subscription]:
    return list(session.exec(select(Subscription).order_by(col(Subscription.created_at))))


def update(
    session: Session,
    actor: Principal,
    settings: Settings,
    subscription: Subscription,
    data: SubscriptionUpdate,
) -> Subscription:
    changes = data.model_dump(exclude_unset=True)
    if "url" in changes:
        check_target(settings, str(data.url))
        changes["url"] = str(data.url)
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    if changes.get("active") and not subscription.active:
        # Re-enabled by an admin: the failure count starts again.
        subscription.consecutive_failures = 0
        subscription.disabled_reason, subscription.disabled_at = None, None
    for name, value in changes.items():
        setattr(subscription, name, value)
    subscription.version += 1
    session.add(subscription)
    audit.record(
        session,
        actor,
        action="webhook.update",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"fields": sorted(changes)},
    )
    return subscription


def rotate_secret(session: Session, actor: Principal, subscription: Subscription) -> Subscription:
    """A new secret; the old one keeps signing (both signatures sent) for ROTATION_OVERLAP."""
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = utcnow() + ROTATION_OVERLAP
    subscription.secret = new_secret()
    subscription.version += 1
    session.add(subscription)
    audit.record(
        session,
        actor,
        action="webhook.rotate_secret",
        resource_type="webhook",
        resource_id=subscription.id,
    )
    return subscription


def delete(session: Session, actor: Principal, subscription: Subscription) -> None:
    if _pg(session):
        # The worker may be adding a delivery, or an attempt to one, right now: lock the
        # subscription and its deliveries first, so those inserts wait and then find nothing.
        session.execute(
            sa.select(Subscription.id)  # type: ignore[call-overload]
            .where(Subscription.id == subscription.id)
            .with_for_update()
        )
        session.execute(
            sa.select(Delivery.id)  # type: ignore[call-overload]
            .where(Delivery.subscription_id == subscription.id)
            .with_for_update()
        )
    ids = select(Delivery.id).where(Delivery.subscription_id == subscription.id)
    session.execute(sa.delete(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids)))
    session.execute(sa.delete(Delivery).where(col(Delivery.subscription_id) == subscription.id))
    session.delete(subscription)
    audit.record(
        session,
        actor,
        action="webhook.delete",
        resource_type="webhook",
        resource_id=subscription.id,
    )


def _wants(subscription: Subscription, event_type: str) -> bool:
    return "*" in subscription.event_types or event_type in subscription.event_types


def _schedule(session: Session, delivery: Delivery, when: datetime, *, new: bool = False) -> None:
    delivery.next_attempt_at = when
    session.add(delivery)
    # One waiting job per attempt (the running job schedules the next under another key); a
    # new delivery has no job yet, so nothing to look up.
    key = None if new else f"delivery:{delivery.id}:{delivery.attempts}"
    jobs.enqueue(
        session,
        DELIVER,
        {"delivery_id": str(delivery.id)},
        run_after=when,
        dedupe_key=key,
        max_attempts=3,
    )


def fan_out(session: Session, numbered: Sequence[Event]) -> None:
    """Deliveries for events just numbered (an events.on_numbered listener)."""
    if not numbered:
        return
    subscriptions = list(session.exec(select(Subscription).where(col(Subscription.active))))
    now = utcnow()
    for event in numbered:
        for subscription in subscriptions:
            if _wants(subscription, event.type):
                delivery = Delivery(subscription_id=subscription.id, event_id=event.id)
                session.add(delivery)
                session.flush()
                _schedule(session, delivery, now, new=True)


events.on_numbered(fan_out)


def envelope(event: Event, settings: Settings) -> dict[str, Any]:
    """The event as JSON: the Standard Webhooks envelope, also the feed's item."""
    data: dict[str, Any] = {
        "id": str(event.id),
        "position": event.position,
        "case_id": str(event.case_id) if event.case_id else None,
        "resource": {
            "type": event.resource_type,
            "id": event.resource_id,
            "version": event.resource_version,
            "url": settings.public_url(event.path.removeprefix("/api/v1")),
        },
    }
    facts = dict(event.data)
    if "download_path" in facts:
        facts["download_url"] = settings.public_url(
            facts.pop("download_path").removeprefix("/api/v1")
        )
    data["facts"] = facts
    return {"type": event.type, "timestamp": event.occurred_at.isoformat(), "data": data}


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


def deliver(session: Session, payload: dict[str, Any], *, settings: Settings) -> None:
    """The job: one attempt at one delivery. Holds no transaction while the receiver answers."""
    session.rollback()  # the worker began a write: release it (SQLite's lock) during the POST
    delivery = session.get(Delivery, uuid.UUID(payload["delivery_id"]))
    if delivery is None or delivery.status is not DeliveryStatus.pending:
        return  # done meanwhile (a retry job for a delivered event is a no-op)
    subscription = session.get(Subscription, delivery.subscription_id)
    event = session.get(Event, delivery.event_id)
    if subscription is None or event is None:
        return  # deleted meanwhile (the subscription, or the event past its retention)
    if not subscription.active:
        session.rollback()
        begin_write(session)
        _give_up(session, delivery, "subscription disabled")
        return
    body = json.dumps(envelope(event, settings), separators=(",", ":"), ensure_ascii=False)
    headers = signature_headers(subscription, str(event.id), body)
    url = subscription.url
    session.rollback()
    started = time.monotonic()
    status_code, error = None, None
    try:
        status_code = _post(settings, url, headers, body)
    except targets.TargetRefused as exc:
        error = f"refused: {exc.detail}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = (time.monotonic() - started) * 1000
    begin_write(session)
    delivery = session.get(Delivery, delivery.id, with_for_update=_pg(session))
    subscription = session.get(Subscription, subscription.id)
    if delivery is None or subscription is None or delivery.status is not DeliveryStatus.pending:
        return
    session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            duration_ms=round(duration, 1),
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
        _give_up(session, delivery, delivery.last_error or "failed")
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
    _schedule(session, delivery, when)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _give_up(session: Session, delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.next_attempt_at = DeliveryStatus.failed, None
    delivery.last_error = reason
    session.add(delivery)


def deliveries(
    session: Session, subscription: Subscription, *, limit: int
) -> tuple[list[tuple[Delivery, str]], dict[uuid.UUID, list[DeliveryAttempt]]]:
    """The newest deliveries with their event's type, and each one's attempts."""
    query = (
        select(Delivery, Event.type)
        .join(Event, col(Event.id) == col(Delivery.event_id))
        .where(Delivery.subscription_id == subscription.id)
        .order_by(col(Delivery.created_at).desc(), col(Delivery.id))
        .limit(limit)
    )
    rows = [(delivery, event_type) for delivery, event_type in session.exec(query)]
    attempts: dict[uuid.UUID, list[DeliveryAttempt]] = {row.id: [] for row, _ in rows}
    if rows:
        found = select(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(list(attempts)))
        for attempt in session.exec(found.order_by(col(DeliveryAttempt.attempted_at))):
            attempts[attempt.delivery_id].append(attempt)
    return rows, attempts


def retry(
    session: Session, actor: Principal, subscription: Subscription, delivery_id: uuid.UUID
) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise DeliveryNotFound(f"No delivery {delivery_id} for this subscription.")
    delivery.status, delivery.last_error = DeliveryStatus.pending, None
    _schedule(session, delivery, utcnow())
    audit.record(
        session,
        actor,
        action="webhook.retry",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"delivery_id": str(delivery.id)},
    )
    return delivery


def replay(session: Session, actor: Principal, subscription: Subscription, since: datetime) -> int:
    """New deliveries of every numbered event since ``since`` this subscription wants."""
    query = select(Event).where(col(Event.occurred_at) >= since, col(Event.position).is_not(None))
    count = 0
    now = utcnow()
    for event in session.exec(query.order_by(col(Event.position))):
        if _wants(subscription, event.type):
            delivery = Delivery(subscription_id=subscription.id, event_id=event.id)
            session.add(delivery)
            session.flush()
            _schedule(session, delivery, now, new=True)
            count += 1
    audit.record(
        session,
        actor,
        action="webhook.replay",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"since": since.isoformat(), "count": count},
    )
    return count


def forget_deliveries_of(session: Session, event_ids: Sequence[uuid.UUID]) -> None:
    ids = select(Delivery.id).where(col(Delivery.event_id).in_(list(event_ids)))
    session.execute(sa.delete(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids)))
    session.execute(sa.delete(Delivery).where(col(Delivery.event_id).in_(list(event_ids))))
