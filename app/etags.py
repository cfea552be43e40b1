"""ETags: If-Match for optimistic concurrency (a stale write gets 412, never a lost update)
and If-None-Match for cheap re-reads (304).

If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches, since a weak
validator does not promise the bytes a write was based on. If-None-Match compares weakly.
"""

from typing import Annotated

from fastapi import Header, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PreconditionFailed

IfMatch = Annotated[str | None, Header(description="The ETag you read; a stale one answers 412.")]


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def check_if_match(if_match: str | None, version: int) -> None:
    """Pass when the header is absent or names the current version (or ``*``)."""
    if if_match is None:
        return
    candidates = _tags(if_match)
    if "*" in candidates or etag_for(version) in candidates:
        return
    weak = any(tag.startswith("W/") for tag in candidates)
    raise PreconditionFailed(
        f"The resource is now at version {etag_for(version)}; "
        "reload it and apply your change again."
        + (" A weak tag (W/…) never matches If-Match." if weak else "")
    )


def none_match(if_none_match: str, etag: str) -> bool:
    """True when If-None-Match names this tag (weak comparison) or is ``*``."""
    candidates = {tag.removeprefix("W/") for tag in _tags(if_none_match)}
    return "*" in candidates or etag.removeprefix("W/") in candidates


# What a 304 keeps of the 200 it replaces (RFC 9110 §15.4.5).
_KEPT_ON_304 = {"etag", "cache-control", "content-location", "date", "expires", "vary"}


class ConditionalGetMiddleware:
    """A GET whose answer carries the ETag sent in If-None-Match becomes a 304, for every
    route that sets an ETag: the client skips the body, and no route repeats the rule."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        if not if_none_match:
            await self.app(scope, receive, send)
            return
        not_modified = False

        async def send_conditionally(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                etag = Headers(raw=message["headers"]).get("etag")
                if message["status"] == 200 and etag and none_match(if_none_match, etag):
                    not_modified = True
                    headers = MutableHeaders(raw=list(message["headers"]))
                    for name in {key.lower() for key in headers}:
                        if name not in _KEPT_ON_304 and not name.startswith("x-"):
                            del headers[name]
                    message = {**message, "status": 304, "headers": headers.raw}
                await send(message)
            elif not_modified:
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, send_conditionally)
