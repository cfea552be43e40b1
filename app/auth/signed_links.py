"""Short-lived signed links: a URL that opens one resource, without a credential, until it
expires. The server's secret signs the path and the expiry (HMAC-SHA256); nothing is stored.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from fastapi import Request
from sqlmodel import Session

from app.auth.dependencies import Requires, authenticate
from app.auth.principal import Principal
from app.db import utcnow
from app.errors import NotAuthenticated

MAX_LIFETIME = timedelta(hours=24)


def _mac(key: str, path: str, expires: int) -> str:
    return hmac.new(key.encode(), f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


def sign(key: str, path: str, lifetime: timedelta) -> tuple[str, datetime]:
    """The query string of a link to ``path``, and when it stops working."""
    expires_at = utcnow() + min(lifetime, MAX_LIFETIME)
    expires = int(expires_at.timestamp())
    return f"expires={expires}&signature={_mac(key, path, expires)}", expires_at


def valid(key: str, path: str, expires: int | None, signature: str | None) -> bool:
    return (
        signature is not None
        and expires is not None
        and expires > int(utcnow().timestamp())
        and hmac.compare_digest(signature, _mac(key, path, expires))
    )


class PermissionOrSignedLink(Requires):
    """The permission, or a valid signed link to one resource. Each subclass declares its
    route's path parameter (FastAPI reads it from ``__call__``'s signature) and calls
    ``check`` with the path the link signs."""

    async def check(
        self,
        request: Request,
        session: Session,
        credential: str | None,
        path: str,
        expires: int | None,
        signature: str | None,
    ) -> Principal | None:
        """None for a valid signed link; otherwise the caller, held to the permission."""
        if signature is not None or expires is not None:
            if not valid(request.app.state.settings.signing_key, path, expires, signature):
                raise NotAuthenticated("This download link has expired or is not valid.")
            return None
        return await super().__call__(await authenticate(request, session, credential))
