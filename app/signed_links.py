"""Short-lived signed links: a URL that opens one resource, without a credential, until it
expires. The server's secret signs the path and the expiry (HMAC-SHA256); nothing is stored.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from app.db import utcnow

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
