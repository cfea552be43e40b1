import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime

from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep, reads_first, write_phase
from app.errors import problem_responses
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import LimitQuery, Page
from app.webhooks import subscriptions as service
from app.webhooks.delivery import check_target
from app.webhooks.schemas import (
    DeliveryAttemptRead,
    DeliveryRead,
    ReplayRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
    SubscriptionUpdate,
)

router = APIRouter(prefix="/webhooks", tags=["integrations"])
Admin = Annotated[Principal, require(Permission.webhooks_manage)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionCreated,
    summary="Subscribe an address to events (admin); the signing secret is shown once",
    description="Deliveries follow Standard Webhooks 1.0: `webhook-id` (the event id, the same "
    "on every retry), `webhook-timestamp`, `webhook-signature` (HMAC-SHA256). Accepts "
    "`Idempotency-Key`; a replay carries `secret: null`.",
    responses=problem_responses(401, 403, 409, 422),
)
@reads_first
def create_webhook(
    request: Request, session: SessionDep, actor: Admin, body: SubscriptionCreate, idem: Idempotent
) -> Response:
    check_target(request.app.state.settings, str(body.url))  # a name lookup: before the write
    write_phase(session)
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    subscription = service.create(session, actor=actor, data=body)
    read = SubscriptionRead.model_validate(subscription)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=SubscriptionCreated(**read.model_dump(), secret=subscription.secret),
        remembered=SubscriptionCreated(**read.model_dump(), secret=None),
        headers={"Location": f"{API_PREFIX}/webhooks/{subscription.id}"},
    )


@router.get("", summary="List webhook subscriptions (admin)", responses=problem_responses(401, 403))
def list_webhooks(session: SessionDep, *, actor: Admin) -> Page[SubscriptionRead]:
    items = [SubscriptionRead.model_validate(s) for s in service.list_all(session)]
    return Page(items=items, next_cursor=None)


@router.get(
    "/{webhook_id}", summary="Read a webhook subscription (admin)",
    responses=problem_responses(401, 403, 404),
)  # fmt: skip
def get_webhook(session: SessionDep, *, actor: Admin, webhook_id: uuid.UUID) -> SubscriptionRead:
    return SubscriptionRead.model_validate(service.get(session, subscription_id=webhook_id))


@router.patch(
    "/{webhook_id}",
    summary="Change a subscription: address, event types, active (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
@reads_first
def update_webhook(
    request: Request,
    session: SessionDep,
    actor: Admin,
    webhook_id: uuid.UUID,
    body: SubscriptionUpdate,
) -> SubscriptionRead:
    subscription = service.get(session, subscription_id=webhook_id)
    if body.url is not None:
        check_target(request.app.state.settings, str(body.url))  # before the write
    write_phase(session)
    return SubscriptionRead.model_validate(
        service.update(session, actor=actor, subscription=subscription, data=body)
    )


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription and its delivery history (admin)",
    responses=problem_responses(401, 403, 404),
)
def delete_webhook(session: SessionDep, *, actor: Admin, webhook_id: uuid.UUID) -> Response:
    service.delete(
        session, actor=actor, subscription=service.get(session, subscription_id=webhook_id)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{webhook_id}/secret-rotations",
    summary="Rotate the signing secret (admin); the old one also signs for 24 hours",
    responses=problem_responses(401, 403, 404),
)
def rotate_webhook_secret(
    session: SessionDep, *, actor: Admin, webhook_id: uuid.UUID
) -> SubscriptionCreated:
    subscription = service.rotate_secret(
        session, actor=actor, subscription=service.get(session, subscription_id=webhook_id)
    )
    read = SubscriptionRead.model_validate(subscription)
    return SubscriptionCreated(**read.model_dump(), secret=subscription.secret)


@router.get(
    "/{webhook_id}/deliveries",
    summary="The subscription's deliveries, newest first, with every attempt (admin)",
    responses=problem_responses(401, 403, 404, 422),
)
def list_webhook_deliveries(
    session: SessionDep, *, actor: Admin, webhook_id: uuid.UUID, limit: LimitQuery = 50
) -> Page[DeliveryRead]:
    subscription = service.get(session, subscription_id=webhook_id)
    rows, attempts = service.deliveries(session, subscription=subscription, limit=limit)
    items = [
        DeliveryRead.model_validate(
            delivery.model_dump()
            | {
                "event_type": event_type,
                "history": [DeliveryAttemptRead.model_validate(a) for a in attempts[delivery.id]],
            }
        )
        for delivery, event_type in rows
    ]
    return Page(items=items, next_cursor=None)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery again now (admin)",
    responses=problem_responses(401, 403, 404),
)
def retry_webhook_delivery(
    session: SessionDep, *, actor: Admin, webhook_id: uuid.UUID, delivery_id: uuid.UUID
) -> JSONResponse:
    subscription = service.get(session, subscription_id=webhook_id)
    delivery = service.retry(
        session, actor=actor, subscription=subscription, delivery_id=delivery_id
    )
    return JSONResponse({"id": str(delivery.id), "status": delivery.status.value}, status_code=202)


@router.post(
    "/{webhook_id}/replay",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send again every event since an instant (admin)",
    description="Each event keeps its id, so a receiver that deduplicates on `webhook-id` "
    "ignores what it already has.",
    responses=problem_responses(401, 403, 404, 422),
)
def replay_webhook(
    session: SessionDep,
    *,
    actor: Admin,
    webhook_id: uuid.UUID,
    since: Annotated[AwareDatetime, Query(description="An instant with its offset.")],
) -> ReplayRead:
    subscription = service.get(session, subscription_id=webhook_id)
    return ReplayRead(
        deliveries=service.replay(session, actor=actor, subscription=subscription, since=since)
    )
