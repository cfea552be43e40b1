from typing import Annotated

from fastapi import Depends, Header, Request

from app.idempotency.service import IdempotentRequest, fingerprint


async def idempotent_request(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Any unique string (a UUID is best). A retry with the same key "
            "and body gets the first answer; no second write.",
        ),
    ] = None,
) -> IdempotentRequest:
    body = await request.body()
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return IdempotentRequest(idempotency_key, fingerprint(request.method, target, body))


Idempotent = Annotated[IdempotentRequest, Depends(idempotent_request)]
