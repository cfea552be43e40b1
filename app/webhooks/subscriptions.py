"""Webhook subscriptions (admins manage them) and their delivery history, retries, replays.

A subscription's address is checked (public, https in production: ``delivery.check_target``)
by the route before any write begins: the name's lookup can take seconds, and no other
writer of the firm should wait for it.
"""

import base64
import secrets
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.db import utcnow
from app.events.models import Event
from app.webhooks.delivery import schedule, wants
from app.webhooks.errors import DeliveryNotFound, SubscriptionNotFound
from app.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscription
from app.webhooks.schemas import SubscriptionCreate, SubscriptionUpdate

ROTATION_OVERLAP = timedelta(hours=24)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def create(session: Session, *, actor: Principal, data: SubscriptionCreate) -> Subscription:
    """A new subscription; its address was checked by the caller."""
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
        actor=actor,
        action="webhook.create",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"event_types": subscription.event_types},
    )
    return subscription


def get(session: Session, *, subscription_id: uuid.UUID) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise SubscriptionNotFound(f"No webhook subscription with id {subscription_id}.")
    return subscription


def list_all(session: Session) -> list[Subscription]:
    return list(session.exec(select(Subscription).order_by(col(Subscription.created_at))))


def update(
    session: Session, *, actor: Principal, subscription: Subscription, data: SubscriptionUpdate
) -> Subscription:
    """Apply the change; a new address was checked by the caller."""
    changes = data.model_dump(exclude_unset=True)
    if "url" in changes:
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
        actor=actor,
        action="webhook.update",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"fields": sorted(changes)},
    )
    return subscription


def rotate_secret(
    session: Session, *, actor: Principal, subscription: Subscription
) -> Subscription:
    """A new secret; the old one keeps signing (both signatures sent) for ROTATION_OVERLAP."""
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = utcnow() + ROTATION_OVERLAP
    subscription.secret = new_secret()
    subscription.version += 1
    session.add(subscription)
    audit.record(
        session,
        actor=actor,
        action="webhook.rotate_secret",
        resource_type="webhook",
        resource_id=subscription.id,
    )
    return subscription


def delete(session: Session, *, actor: Principal, subscription: Subscription) -> None:
    if session.get_bind().dialect.name == "postgresql":
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
        actor=actor,
        action="webhook.delete",
        resource_type="webhook",
        resource_id=subscription.id,
    )


def deliveries(
    session: Session, *, subscription: Subscription, limit: int
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
    session: Session, *, actor: Principal, subscription: Subscription, delivery_id: uuid.UUID
) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise DeliveryNotFound(f"No delivery {delivery_id} for this subscription.")
    delivery.status, delivery.last_error = DeliveryStatus.pending, None
    schedule(session, delivery=delivery, when=utcnow())
    audit.record(
        session,
        actor=actor,
        action="webhook.retry",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"delivery_id": str(delivery.id)},
    )
    return delivery


def replay(
    session: Session, *, actor: Principal, subscription: Subscription, since: datetime
) -> int:
    """New deliveries of every numbered event since ``since`` this subscription wants."""
    query = select(Event).where(col(Event.occurred_at) >= since, col(Event.position).is_not(None))
    count = 0
    now = utcnow()
    for event in session.exec(query.order_by(col(Event.position))):
        if wants(subscription, event.type):
            delivery = Delivery(subscription_id=subscription.id, event_id=event.id)
            session.add(delivery)
            session.flush()
            schedule(session, delivery=delivery, when=now, new=True)
            count += 1
    audit.record(
        session,
        actor=actor,
        action="webhook.replay",
        resource_type="webhook",
        resource_id=subscription.id,
        details={"since": since.isoformat(), "count": count},
    )
    return count
