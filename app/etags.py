"""ETags: If-Match for optimistic concurrency (a stale write gets 412, never a lost update)
and If-None-Match for cheap re-reads (304).

If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches, since a weak
validator does not promise the bytes a write was based on. If-None-Match compares weakly.
"""

import hashlib
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


def body_etag(body: bytes) -> str:
    """A strong tag for a JSON representation that has no version of its own: its hash."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class ConditionalGetMiddleware:
    """Every JSON GET answer carries a strong ETag (the route's, from a version or a file's
    hash, or else the hash of the body), and one whose tag matches If-None-Match becomes a
    304: the client skips the body, and no route repeats the rule."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        held: Message | None = None
        not_modified = False

        async def start(message: Message, etag: str | None) -> None:
            nonlocal not_modified
            if etag and if_none_match and none_match(if_none_match, etag):
                not_modified = True
                headers = MutableHeaders(raw=list(message["headers"]))
                for name in {key.lower() for key in headers}:
                    if name not in _KEPT_ON_304 and not name.startswith("x-"):
                        del headers[name]
                message = {**message, "status": 304, "headers": headers.raw}
            await send(message)

        async def send_conditionally(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] != 200:
                    await send(message)
                elif (
                    headers.get("etag")
                    or scope["method"] == "HEAD"  # no body to hash
                    or "json" not in headers.get("content-type", "")
                ):
                    await start(message, headers.get("etag"))
                else:
                    held = message  # its tag is the body's hash: wait for the body
                return
            if held is not None:
                start_message, held = held, None
                if message.get("more_body", False):  # streamed: no hash to give
                    await start(start_message, None)
                else:
                    tag = body_etag(message.get("body", b""))
                    MutableHeaders(scope=start_message)["ETag"] = tag
                    await start(start_message, tag)
            if not_modified:
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, send_conditionally)
