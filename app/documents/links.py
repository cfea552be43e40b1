"""Short-lived signed download links for stored drafts, so a DMS connector can fetch a
document named in a webhook without holding a user's credential.

The link signs the document's path and its expiry with the server's secret (HMAC-SHA256):
it opens that one document until then, and nothing else.
"""

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query, Request

from app.auth.dependencies import Requires, authenticate, bearer
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep, utcnow
from app.errors import NotAuthenticated

MAX_LIFETIME = timedelta(hours=24)


def _mac(key: str, document_id: uuid.UUID, expires: int) -> str:
    message = f"/documents/{document_id}/content\n{expires}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def sign(key: str, document_id: uuid.UUID, lifetime: timedelta) -> tuple[str, datetime]:
    """The query string of a link to the document, and when it stops working."""
    expires_at = utcnow() + min(lifetime, MAX_LIFETIME)
    expires = int(expires_at.timestamp())
    return f"expires={expires}&signature={_mac(key, document_id, expires)}", expires_at


class ReadOrSignedLink(Requires):
    """The permission to read, or a valid signed link to this one document."""

    async def __call__(  # type: ignore[override]
        self,
        request: Request,
        session: SessionDep,
        document_id: uuid.UUID,
        credential: Annotated[str | None, Depends(bearer)],
        signature: Annotated[
            str | None, Query(max_length=64, description="From POST /documents/{id}/links.")
        ] = None,
        expires: Annotated[
            int | None, Query(description="From POST /documents/{id}/links.")
        ] = None,
    ) -> Principal | None:
        """None for a valid signed link; otherwise the caller, held to the permission."""
        if signature is not None or expires is not None:
            key = request.app.state.settings.signing_key
            valid = (
                signature is not None
                and expires is not None
                and expires > int(utcnow().timestamp())
                and hmac.compare_digest(signature, _mac(key, document_id, expires))
            )
            if not valid:
                raise NotAuthenticated("This download link has expired or is not valid.")
            return None
        return await super().__call__(await authenticate(request, session, credential))


download_reader = ReadOrSignedLink(Permission.cases_read)
