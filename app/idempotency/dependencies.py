from typing import Annotated

from fastapi import Depends, Header, Request

from app.idempotency.service import (
    IdempotencyKeyNotSupported,
    IdempotentRequest,
    canonical_body,
    fingerprint,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"


async def idempotent_request(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=IDEMPOTENCY_HEADER,
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Any unique string (a UUID is best). A retry with the same key "
            "and body gets the first answer (`Idempotent-Replayed: true`); no second write.",
        ),
    ] = None,
) -> IdempotentRequest:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if idempotency_key is None:
        return IdempotentRequest(None, "")
    if request.headers.get("content-type", "").startswith("multipart/"):
        # An upload's raw bytes change with each boundary: the route fingerprints what it
        # parsed (fields and the file's hash) through ``IdempotentRequest.with_parts``.
        return IdempotentRequest(idempotency_key, fingerprint(request.method, target, b""))
    body = await request.body()
    return IdempotentRequest(
        idempotency_key, fingerprint(request.method, target, canonical_body(body))
    )


Idempotent = Annotated[IdempotentRequest, Depends(idempotent_request)]


def honours_idempotency(request: Request) -> bool:
    """Whether the route that matched takes an Idempotency-Key (it depends on the above)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return False
    cached = getattr(route, "_honours_idempotency", None)
    if cached is None:
        stack, cached = [dependant], False
        while stack:
            current = stack.pop()
            if current.call is idempotent_request:
                cached = True
                break
            stack.extend(current.dependencies)
        route._honours_idempotency = cached  # type: ignore[union-attr]
    return bool(cached)


async def refuse_unhonoured_key(request: Request) -> None:
    """An Idempotency-Key on an operation that cannot replay is a 400, never ignored: a
    client relying on it would otherwise write twice without knowing."""
    if IDEMPOTENCY_HEADER in request.headers and not honours_idempotency(request):
        raise IdempotencyKeyNotSupported(
            f"{request.method} {request.url.path} does not take an Idempotency-Key; "
            "the operations that do are listed in docs/api.md."
        )
