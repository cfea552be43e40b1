"""API keys: secrets shown once, stored hashed, revocable, each acting with a role."""

import uuid

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth import security
from app.auth.errors import ApiKeyNotFound, RoleNotDelegable
from app.auth.models import ApiKey
from app.auth.permissions import Permission, can_delegate
from app.auth.principal import Principal
from app.auth.schemas import ApiKeyCreate
from app.db import utcnow
from app.pagination import PageRequest, paginate


def create_api_key(session: Session, *, actor: Principal, data: ApiKeyCreate) -> tuple[ApiKey, str]:
    role = data.role or actor.role
    if not can_delegate(actor.role, role):
        raise RoleNotDelegable(f"A {actor.role} cannot create a key with the {role} role.")
    new = security.generate_api_key()
    key = ApiKey(
        name=data.name,
        role=role,
        lookup=new.lookup,
        secret_hash=new.secret_hash,
        owner_id=actor.user_id,
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="api_key.create",
        resource_type="api_key",
        resource_id=key.id,
        details={"role": role},
    )
    return key, new.secret


def page_api_keys(
    session: Session, *, actor: Principal, page: PageRequest
) -> tuple[list[ApiKey], str | None]:
    query = select(ApiKey)
    if not actor.can(Permission.api_keys_all):
        query = query.where(ApiKey.owner_id == actor.user_id)
    return paginate(
        session, query=query, columns=(col(ApiKey.created_at), col(ApiKey.id)), page=page
    )


def get_api_key(session: Session, *, actor: Principal, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id)
    # Someone else's key is "not found" rather than "forbidden": ids are not confirmed.
    if key is None or (key.owner_id != actor.user_id and not actor.can(Permission.api_keys_all)):
        raise ApiKeyNotFound(f"No API key with id {key_id}.")
    return key


def revoke_api_key(session: Session, *, actor: Principal, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        audit.record(
            session,
            actor=actor,
            action="api_key.revoke",
            resource_type="api_key",
            resource_id=key.id,
        )
    return key


def display_prefix(key: ApiKey) -> str:
    return f"{security.API_KEY_PREFIX}{key.lookup}"
