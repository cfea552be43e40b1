"""Authentication and authorisation, in one place for every route.

Each route names the permission it needs with ``require``; ``authenticate``
accepts either a signed access token or an API key as a Bearer credential.
"""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import col, select

from app.auth import security
from app.auth.models import ApiKey, User
from app.auth.permissions import ROLE_RANK, Permission
from app.auth.principal import Principal
from app.db import SessionDep, utcnow
from app.errors import NotAuthenticated, PermissionDenied

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def authenticate(
    request: Request, session: SessionDep, credential: Annotated[str | None, Depends(bearer)]
) -> Principal:
    if not credential:
        raise NotAuthenticated("Send an access token or an API key as 'Authorization: Bearer …'.")
    if security.is_api_key(credential):
        return _api_key_principal(session, credential)
    try:
        user_id = security.decode_access_token(
            credential, key=request.app.state.settings.signing_key, now=utcnow()
        )
    except security.InvalidToken as exc:
        expired = "expired" in str(exc).lower()
        raise NotAuthenticated(
            "The access token has expired." if expired else "The access token is not valid."
        ) from exc
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("This account is not active.")
    return Principal(user_id=user.id, role=user.role)


def _api_key_principal(session: SessionDep, secret: str) -> Principal:
    lookup = security.api_key_lookup(secret)
    # The key and its owner in one query: both are re-read on every request, so a revoked
    # key or a deactivated owner stops working at once.
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
    if key.revoked_at is not None and key.revoked_at <= utcnow():
        raise NotAuthenticated("The API key has been revoked.")
    if owner is None or not owner.is_active:
        raise NotAuthenticated("The API key's owner is not active.")
    # A key never outranks its owner: a demoted owner's admin key acts as the owner now is.
    role = min(key.role, owner.role, key=lambda r: ROLE_RANK[r])
    return Principal(user_id=owner.id, role=role, api_key_id=key.id)


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


class Requires:
    """A route dependency granting access when the caller's role has ``permission``."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, principal: CurrentPrincipal) -> Principal:
        if not principal.can(self.permission):
            raise PermissionDenied(
                f"The {principal.role} role does not have the {self.permission} permission."
            )
        return principal


def require(permission: Permission) -> Any:
    return Depends(Requires(permission))
