"""Authentication and authorisation, in one place for every route.

Each route names the permission it needs with ``require``; ``authenticate``
accepts either a signed access token or an API key as a Bearer credential.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session, col, select

from app.api import API_PREFIX
from app.auth import security
from app.auth.credentials import Authenticated, CredentialCache
from app.auth.models import ApiKey, User
from app.auth.permissions import ROLE_RANK, Permission
from app.auth.principal import Principal
from app.auth.schemas import UserRead
from app.db import SAFE_METHODS, SessionDep, utcnow
from app.errors import NotAuthenticated, PermissionDenied

bearer = OAuth2PasswordBearer(tokenUrl=f"{API_PREFIX}/auth/token", auto_error=False)


async def authenticate(
    request: Request, session: SessionDep, credential: Annotated[str | None, Depends(bearer)]
) -> Principal:
    """The caller, checked against the database at most ``auth_cache_seconds`` ago (see
    ``app.auth.credentials``); a check costs a thread-pool hop only when it reads."""
    if not credential:
        raise NotAuthenticated("Send an access token or an API key as 'Authorization: Bearer …'.")
    cache: CredentialCache = request.app.state.credentials
    now = utcnow()
    checked = cache.get(credential, now)
    if checked is None:
        # In the request's session: a write request already holds SQLite's write lock, and
        # a second connection could wait behind it.
        checked = await run_in_threadpool(_check_in, request, session, credential, now)
        cache.put(credential, checked)
    request.state.authenticated = checked
    return checked.principal


def authenticated_user(request: Request) -> UserRead:
    """The signed-in user as read when the credential was checked."""
    checked: Authenticated = request.state.authenticated
    return checked.user


def _check_in(request: Request, session: Session, credential: str, now: datetime) -> Authenticated:
    checked = _check(request, session, credential, now)
    if request.method in SAFE_METHODS:
        # A read gives its connection back until its own queries: holding it while waiting
        # for a read thread (app.db.read_in_thread) could leave those threads none to take.
        session.commit()
    return checked


def _check(request: Request, session: Session, credential: str, now: datetime) -> Authenticated:
    if security.is_api_key(credential):
        return _api_key_principal(session, secret=credential, now=now)
    return _token_principal(
        session, token=credential, now=now, key=request.app.state.settings.signing_key
    )


def _token_principal(session: Session, *, token: str, now: datetime, key: str) -> Authenticated:
    try:
        user_id, expires_at = security.access_token_claims(token, key=key, now=now)
    except security.InvalidToken as exc:
        expired = "expired" in str(exc).lower()
        raise NotAuthenticated(
            "The access token has expired." if expired else "The access token is not valid."
        ) from exc
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("This account is not active.")
    return Authenticated(
        Principal(user_id=user.id, role=user.role), UserRead.model_validate(user), expires_at
    )


def _api_key_principal(session: Session, *, secret: str, now: datetime) -> Authenticated:
    lookup = security.api_key_lookup(secret)
    # The key and its owner in one query.
    found = (
        session.exec(
            select(ApiKey, User)
            .join(User, col(User.id) == col(ApiKey.owner_id))
            .where(ApiKey.lookup == lookup)
        ).first()
        if lookup
        else None
    )
    key, owner = found if found is not None else (None, None)
    if key is None or not security.api_key_matches(secret, key.secret_hash):
        raise NotAuthenticated("The API key is not valid.")
    if key.revoked_at is not None and key.revoked_at <= now:
        raise NotAuthenticated("The API key has been revoked.")
    if owner is None or not owner.is_active:
        raise NotAuthenticated("The API key's owner is not active.")
    # A key never outranks its owner: a demoted owner's admin key acts as the owner now is.
    role = min(key.role, owner.role, key=lambda r: ROLE_RANK[r])
    return Authenticated(
        Principal(user_id=owner.id, role=role, api_key_id=key.id),
        UserRead.model_validate(owner),
        key.revoked_at,
    )


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


class Requires:
    """A route dependency granting access when the caller's role has ``permission``."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        if not principal.can(self.permission):
            raise PermissionDenied(
                f"The {principal.role} role does not have the {self.permission} permission."
            )
        return principal


def require(permission: Permission) -> Any:
    return Depends(Requires(permission))
