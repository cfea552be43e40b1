import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditEventRead
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import Page, PageParams

router = APIRouter(prefix="/audit-events", tags=["audit"])


@router.get(
    "",
    summary="The audit trail, newest first (admin)",
    responses=problem_responses(400, 401, 403, 422),
)
def list_audit_events(
    session: SessionDep,
    *,
    actor: Annotated[Principal, require(Permission.audit_read)],
    page: PageParams,
    resource_type: Annotated[str | None, Query(max_length=64)] = None,
    resource_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_user_id: uuid.UUID | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[AuditEventRead]:
    rows, next_cursor = service.list_events(
        session,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_user_id=actor_user_id,
        action=action,
        page=page,
    )
    return Page(items=[AuditEventRead.model_validate(e) for e in rows], next_cursor=next_cursor)
