"""Idempotency-Key on POST: a retry replays the first answer instead of writing twice.

The record is written in the request's own transaction, so it exists exactly when
the write it describes does. Keys are scoped to the user and kept 24 hours.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.auth.principal import Principal
from app.db import utcnow
from app.errors import BadRequest, UnprocessableEntity
from app.idempotency.models import IdempotencyRecord

RETENTION = timedelta(hours=24)
REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(UnprocessableEntity):
    slug = "idempotency-key-reused"
    title = "This Idempotency-Key was used for a different request"


class IdempotencyKeyNotSupported(BadRequest):
    slug = "idempotency-key-not-supported"
    title = "This operation does not take an Idempotency-Key"


@dataclass(frozen=True)
class IdempotentRequest:
    key: str | None
    fingerprint: str

    def with_parts(self, parts: dict[str, str]) -> "IdempotentRequest":
        """This request fingerprinted with what the route parsed (an upload's fields and hash)."""
        extra = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()
        return IdempotentRequest(self.key, fingerprint("", self.fingerprint, extra))


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def canonical_body(body: bytes) -> bytes:
    """The parsed JSON body, serialised one way: a retry that reorders keys or spacing is the
    same request. A body that is not JSON is taken as sent (the route will refuse it)."""
    if not body:
        return b""
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def replay(
    session: Session, *, actor: Principal, request: IdempotentRequest
) -> JSONResponse | None:
    """The stored answer to the same request, None if this key is new (or expired)."""
    if request.key is None:
        return None
    record = session.get(IdempotencyRecord, (actor.user_id, request.key))
    if record is None:
        return None
    if record.created_at < utcnow() - RETENTION:
        session.delete(record)
        session.flush()
        return None
    return _answer(record, request)


def peek(session: Session, *, actor: Principal, request: IdempotentRequest) -> JSONResponse | None:
    """``replay`` that never writes, for the read phase of a ``reads_first`` route: a retry
    gets the first answer before any work. An expired record is left to the write phase's
    ``replay``, which must be called too (a twin request may have answered meanwhile)."""
    if request.key is None:
        return None
    record = session.get(IdempotencyRecord, (actor.user_id, request.key))
    if record is None:
        return None
    # Not kept in the session: the write phase's replay reads the row as it is then.
    session.expunge(record)
    if record.created_at < utcnow() - RETENTION:
        return None
    return _answer(record, request)


def _answer(record: IdempotencyRecord, request: IdempotentRequest) -> JSONResponse:
    if record.fingerprint != request.fingerprint:
        raise IdempotencyKeyReused(
            "Send a new Idempotency-Key for a new request; "
            "a retry must repeat the same method, path and body."
        )
    headers = record.headers | {REPLAY_HEADER: "true"}
    return JSONResponse(record.body, status_code=record.status_code, headers=headers)


def respond(
    session: Session,
    *,
    actor: Principal,
    request: IdempotentRequest,
    status_code: int,
    body: BaseModel,
    headers: dict[str, str] | None = None,
    remembered: BaseModel | None = None,
) -> JSONResponse:
    """The JSON answer, remembered under the request's key if it has one (as ``remembered``
    when what may be replayed differs from the answer: an API key's secret is never stored)."""
    content: Any = jsonable_encoder(body)
    if request.key is not None:
        session.add(
            IdempotencyRecord(
                user_id=actor.user_id,
                key=request.key,
                fingerprint=request.fingerprint,
                status_code=status_code,
                body=content if remembered is None else jsonable_encoder(remembered),
                headers=headers or {},
            )
        )
        session.flush()
    return JSONResponse(content, status_code=status_code, headers=headers)


def expire(session: Session, payload: dict[str, object] | None = None) -> int:
    """Delete the keys older than the retention (a periodic job); how many went."""
    table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    result = session.execute(sa.delete(table).where(table.c.created_at < utcnow() - RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
