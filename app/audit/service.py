import uuid
from typing import Any

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.principal import Principal
from app.logs import request_id_var
from app.pagination import PageRequest, paginate


def record(
    session: Session,
    *,
    actor: Principal | None,
    action: str,
    resource_type: str,
    resource_id: uuid.UUID | str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction: it lands with the change or not at all."""
    event = AuditEvent(
        actor_user_id=actor.user_id if actor else None,
        actor_api_key_id=actor.api_key_id if actor else None,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        request_id=request_id_var.get(),
        details=details or {},
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    *,
    resource_type: str | None,
    resource_id: str | None,
    actor_user_id: uuid.UUID | None,
    action: str | None,
    page: PageRequest,
) -> tuple[list[AuditEvent], str | None]:
    """Newest first."""
    query = select(AuditEvent)
    if resource_type is not None:
        query = query.where(AuditEvent.resource_type == resource_type)
    if resource_id is not None:
        query = query.where(AuditEvent.resource_id == resource_id)
    if actor_user_id is not None:
        query = query.where(AuditEvent.actor_user_id == actor_user_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    order = (col(AuditEvent.occurred_at), col(AuditEvent.id))
    return paginate(session, query=query, columns=order, page=page, descending=True)
