"""ASGI middleware for what every request and response share: hostile input is refused
before a route sees it, and every answer carries the headers personal data needs.

- A path or query parameter holding a control character (NUL…) is a 422 naming it: no
  database can store it, PostgreSQL refuses it outright.
- A JSON body larger than the limit is a 413, before it is read (by its Content-Length;
  a body sent without one is read here up to the limit, no further).
- Every answer says ``X-Content-Type-Options: nosniff``; answers under the API say
  ``Cache-Control: no-store`` unless the route chose otherwise: they carry personal data.
"""

from urllib.parse import parse_qsl, unquote

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.bodies import UNPRINTABLE
from app.db import SAFE_METHODS
from app.errors import FieldError, problem_response

JSON_LIMIT_BYTES = 1024 * 1024
JSON_BATCH_LIMIT_BYTES = 4 * 1024 * 1024  # a batch of 1 000 attempts with long messages


TOO_LARGE_SLUG = "payload-too-large"
TOO_LARGE_TITLE = "The request body is larger than allowed"


def _json_limit(path: str) -> int:
    return JSON_BATCH_LIMIT_BYTES if path.endswith("/batch") else JSON_LIMIT_BYTES


def _bad_parameters(scope: Scope) -> list[FieldError]:
    errors: list[FieldError] = []
    query = scope.get("query_string", b"").decode("latin-1")
    if not UNPRINTABLE.search(scope.get("path", "") + unquote(query)):
        return errors  # the usual case: one scan, nothing to name
    if UNPRINTABLE.search(scope.get("path", "")):
        errors.append(
            FieldError(loc=["path"], msg="contains a control character", type="value_error")
        )
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if UNPRINTABLE.search(name) or UNPRINTABLE.search(value):
            errors.append(
                FieldError(
                    loc=["query", name], msg="contains a control character", type="value_error"
                )
            )
    return errors


class HygieneMiddleware:
    def __init__(self, app: ASGIApp, *, api_prefix: str = "/api/") -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if errors := _bad_parameters(scope):
            response = problem_response(
                Request(scope), status=422, slug="validation-error", title="Invalid request",
                detail="A path or query parameter holds a control character.", errors=errors,
            )  # fmt: skip
            await response(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:  # a read has no body: no Request built
            checked = await _json_within_limit(scope, receive, send)
            if checked is None:
                return
            receive = checked
        api = scope["path"].startswith(self.api_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if api and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _json_within_limit(scope: Scope, receive: Receive, send: Send) -> Receive | None:
    """A write's JSON body held to its limit: the receive to go on with, or None once the
    413 is sent."""
    request = Request(scope)
    if not request.headers.get("content-type", "").startswith("application/json"):
        return receive
    limit = _json_limit(scope["path"])
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        size = int(declared)
    else:
        # No declared length (chunked): read it here, at most up to the limit.
        receive, size = await _buffered(receive, limit)
    if size > limit:
        response = problem_response(
            request, status=413, slug=TOO_LARGE_SLUG, title=TOO_LARGE_TITLE,
            detail=f"JSON bodies are limited to {limit} bytes here.",
        )  # fmt: skip
        await response(scope, receive, send)
        return None
    return receive


async def _buffered(receive: Receive, limit: int) -> tuple[Receive, int]:
    """The body read into memory up to ``limit`` + 1 bytes, and a receive that replays it."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size <= limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay, size
