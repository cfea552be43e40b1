"""Domain errors and their one rendering as RFC 9457 problem+json.

    AppError                      500 internal-error
    ├── BadRequest                400
    ├── NotAuthenticated          401 (WWW-Authenticate: Bearer)
    ├── PermissionDenied          403
    ├── NotFound                  404
    ├── Conflict                  409
    ├── PreconditionFailed        412
    └── UnprocessableEntity       422 (field errors)

Each domain subclasses these (``UserNotFound(NotFound)``) with its own slug and
title. Framework errors (unknown route, 405, request validation, unexpected
exceptions) go through the same renderer so a client parses one format.
"""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

logger = logging.getLogger("app.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://creneau.dev/problems/"


class FieldError(BaseModel):
    loc: list[str | int] = Field(
        description="Where the value is: body, query, path or header, then the field."
    )
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details. Some types add members of their own (a 409 on a stage
    change names ``from_stage``, ``to_stage`` and ``failed_criteria``): see the catalogue
    of types in docs/api.md."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=[PROBLEM_TYPE_BASE + "not-found"])
    title: str = Field(examples=["Resource not found"])
    status: int = Field(examples=[404])
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers
        self.extra = extra or {}


class BadRequest(AppError):
    status = 400
    slug = "bad-request"
    title = "Bad request"


class NotAuthenticated(AppError):
    status = 401
    slug = "not-authenticated"
    title = "Authentication required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class PermissionDenied(AppError):
    status = 403
    slug = "permission-denied"
    title = "Permission denied"


class NotFound(AppError):
    status = 404
    slug = "not-found"
    title = "Resource not found"


class Conflict(AppError):
    status = 409
    slug = "conflict"
    title = "Conflict with the current state"


class PreconditionFailed(AppError):
    status = 412
    slug = "precondition-failed"
    title = "The resource changed since you read it"


class UnprocessableEntity(AppError):
    status = 422
    slug = "validation-error"
    title = "Invalid request"


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    problem = Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        errors=list(errors) if errors else None,
    )
    body = problem.model_dump(exclude_none=True) | (extra or {})
    all_headers = dict(headers or {})
    if request_id:
        all_headers["X-Request-ID"] = request_id
    return JSONResponse(
        body, status_code=status, headers=all_headers, media_type=PROBLEM_CONTENT_TYPE
    )


def _field_errors(raw: Sequence[Any]) -> list[FieldError]:
    return [
        FieldError(
            loc=[part for part in err.get("loc", ()) if isinstance(part, str | int)],
            msg=str(err.get("msg", "")),
            type=str(err.get("type", "")),
        )
        for err in raw
    ]


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors())
    fields = ", ".join(".".join(str(p) for p in e.loc) for e in errors)
    return problem_response(
        request,
        status=422,
        slug="validation-error",
        title="Invalid request",
        detail=f"Invalid value for: {fields}" if fields else None,
        errors=errors,
    )


_HTTP_SLUGS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    if status == 404 and detail is None:
        detail = f"No resource at {request.url.path}"
    headers = dict(exc.headers) if exc.headers else {}
    if status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(
        request,
        status=status,
        slug=_HTTP_SLUGS.get(status, f"http-{status}"),
        title=phrase,
        detail=detail,
        headers=headers or None,
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this path (the router names only the first
    matching route's). The route table is compiled once per app."""
    table = getattr(request.app.state, "method_table", None)
    if table is None:
        table = [
            (compile_path(context.path)[0], set(context.methods or ()))
            for context in iter_route_contexts(request.app.routes)
            if context.path
        ]
        request.app.state.method_table = table
    methods: set[str] = set()
    for pattern, route_methods in table:
        if pattern.match(request.url.path):
            methods |= route_methods
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


def db_error_summary(exc: Exception) -> str:
    """What a database error was, without its values: PostgreSQL's messages quote them
    (« Key (email)=(…) already exists »), so neither the message nor a traceback is logged."""
    orig = getattr(exc, "orig", None)
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) if diag is not None else None
    kind = type(orig).__name__ if orig is not None else type(exc).__name__
    return f"{kind}" + (f" on constraint {constraint}" if constraint else "")


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log (with the request id), never to the client; a database
    # error's message can quote the values it refused, so it is logged by its type only.
    if isinstance(exc, DBAPIError):
        logger.error("unhandled database error: %s", db_error_summary(exc))
    else:
        logger.error("unhandled exception", exc_info=exc)
    return problem_response(
        request,
        status=500,
        slug=AppError.slug,
        title=AppError.title,
        detail="An unexpected error occurred; quote the request id to support.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declaration of the problem+json answers a route may give."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_CONTENT_TYPE: {}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


def invalid_fields(problems: Sequence[tuple[str, str]]) -> UnprocessableEntity:
    """A 422 naming each body field to fix: ``invalid_fields([("note", "required")])``."""
    errors = [
        FieldError(loc=["body", field], msg=msg, type="value_error") for field, msg in problems
    ]
    return UnprocessableEntity(
        "Invalid value for: " + ", ".join(f"body.{field}" for field, _ in problems), errors=errors
    )
