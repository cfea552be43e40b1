"""The OpenAPI document as generators and careful integrators need it.

FastAPI's document is close; this module closes the gap in one place instead of on every
route: one ``Problem`` schema under ``application/problem+json`` on every error answer (and
no ``HTTPValidationError``, which we never send), the errors any operation can give declared
on each, response headers declared where they are sent, lowerCamel operation ids, tags with
descriptions, and both credentials described as security schemes.
"""

import json
import re
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from app.api import API_PREFIX
from app.errors import PROBLEM_CONTENT_TYPE

TITLE = "Creneau API"  # ASCII: generators derive package names from it

_TAG_TEXT = {
    "auth": "Access tokens for people; API keys are created under api-keys.",
    "users": "The firm's lawyers, paralegals and administrators.",
    "api-keys": "Long-lived credentials for scripts and integrations.",
    "audit": "Who changed what, for administrators.",
    "reference-data": "Préfectures, tribunaux administratifs and procedure types.",
    "clients": "The firm's clients: identity and contact details.",
    "cases": "One client's file for one procedure, and its stage.",
    "attempts": "Failed (or successful) online booking attempts.",
    "contacts": "Visits, e-mails and registered letters to the préfecture.",
    "proceedings": "Référés « mesures utiles », from filing to decision.",
    "agenda": "Deadlines, next actions, timeline and the calendar feed.",
    "evidence": "Screenshots and documents, hashed and chained.",
    "readiness": "Is the file strong enough for the next step?",
    "documents": "Word drafts, the exhibit inventory and templates.",
    "filings": "Frozen, hash-chained copies of what was filed.",
    "firm": "The firm's letterhead and policy.",
    "integrations": "The change feed and signed webhooks (Standard Webhooks 1.0).",
    "client-links": "Links clients use to send their attempts from a phone, and their review.",
    "statistics": "The firm's own figures per préfecture and tribunal, as JSON, CSV or charts.",
    "personal-data": "Erasing a client's personal data (RGPD) and the legal holds that forbid it.",
    "health": "Liveness and readiness probes (public).",
}
TAGS = [{"name": name, "description": text} for name, text in _TAG_TEXT.items()]

# Where a route's function name does not read as verb + noun for a client, its id is here.
OPERATION_IDS = {
    "read_me": "getCurrentUser",
    "change_my_password": "changeCurrentUserPassword",
    "read_readiness": "getCaseReadiness",
    "read_next_actions": "getCaseNextActions",
    "read_timeline": "getCaseTimeline",
    "read_exhibits": "getCaseExhibits",
    "update_exhibits": "updateCaseExhibits",
    "verify_evidence": "verifyCaseEvidence",
    "verify_filings": "verifyCaseFilings",
    "download_bundle": "downloadCaseBundle",
    "create_attestation": "createIntegrityAttestation",
    "read_agenda_feed": "getAgendaFeed",
    "check_agenda_feed": "checkAgendaFeed",
    "live": "getHealth",
    "ready": "getHealthReady",
}
_VERBS = {"read": "get"}


def operation_id(route: APIRoute) -> str:
    """``list_cases`` → ``listCases``; ``read_case`` → ``getCase``; overrides above."""
    if route.name in OPERATION_IDS:
        return OPERATION_IDS[route.name]
    verb, *rest = route.name.split("_")
    return _VERBS.get(verb, verb) + "".join(word.capitalize() for word in rest)


HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id (yours if you sent a valid one); quote it to support.",
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": "Strong validator of this representation: send it in If-Match to "
        "update, or in If-None-Match to get 304 when nothing changed.",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The URL of the resource created.",
        "schema": {"type": "string"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request "
        "with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer"},
    },
}

# Errors any authenticated operation can answer, whatever the route declares: a bad header
# or cursor (400), a missing credential (401), a JSON body over the limit (413), a busy or
# unreachable database (503).
_ERROR_TITLES = {
    400: "Bad request (malformed header, cursor or body)",
    401: "Missing or invalid credential",
    403: "The caller's role does not allow this",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflicts with the current state",
    412: "The resource changed since you read it (If-Match)",
    413: "The request body is larger than allowed",
    415: "Unsupported media type",
    422: "Invalid request (see `errors`)",
    503: "The database is busy or unavailable; nothing was saved",
}
_PUBLIC = {"getHealth", "getHealthReady", "createToken", "getAgendaFeed", "checkAgendaFeed"}
_FEED = {"getAgendaFeed", "checkAgendaFeed"}
_WRITES = {"post", "put", "patch", "delete"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": _ERROR_TITLES.get(status, "Error"),
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {PROBLEM_CONTENT_TYPE: {"schema": _ref("Problem")}},
    }


def _header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _has_version(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    ref = schema.get("$ref", "")
    target = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    return "version" in target.get("properties", {})


def _shape_operation(
    path: str, method: str, op: dict[str, Any], components: dict[str, Any]
) -> None:
    op_id = op["operationId"]
    responses: dict[str, Any] = op["responses"]
    public = op_id in _PUBLIC
    if public:
        op["security"] = [] if op_id not in _FEED else [{"FeedToken": []}]
    if op_id == "downloadDocument":
        op["security"] = [{"OAuth2PasswordBearer": []}, {"ApiKey": []}, {"SignedLink": []}]
    statuses = {int(code) for code in responses if code.isdigit()}
    if op_id not in {"getHealth", "getHealthReady"}:
        statuses |= {400, 503}
        if not public or op_id in _FEED:
            statuses.add(401)
        if op.get("parameters") or op.get("requestBody"):
            statuses.add(422)
        if op.get("requestBody"):
            statuses.add(413)
    idempotent = any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", []))
    for status in sorted(statuses):
        code = str(status)
        if status >= 400 and not (op_id == "getHealthReady" and status == 503):
            responses[code] = _problem_response(status) | {
                "description": responses.get(code, {}).get("description")
                or _ERROR_TITLES.get(status, "Error")
            }
            if status == 503:
                responses[code]["headers"]["Retry-After"] = _header("Retry-After")
            continue
        response = responses.setdefault(code, {"description": "OK"})
        headers = response.setdefault("headers", {})
        headers["X-Request-ID"] = _header("X-Request-ID")
        if status == 201:
            headers["Location"] = _header("Location")
        if idempotent and 200 <= status < 300:
            headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if status in (200, 201) and _has_version(schema, components):
            headers["ETag"] = _header("ETag")
        # Every JSON GET carries one (app/etags.py), and every stored file its hash.
        if (
            status == 200
            and method == "get"
            and ("application/json" in response.get("content", {}) or path.endswith("/content"))
        ):
            headers["ETag"] = _header("ETag")
        for media_type, media in response.get("content", {}).items():
            # Binary answers: say so, or generators type them as JSON.
            if not media.get("schema") and "json" not in media_type:
                media["schema"] = {"type": "string", "format": "binary"}
    if method == "get" and "ETag" in responses.get("200", {}).get("headers", {}):
        responses.setdefault(
            "304",
            {
                "description": "Not modified: the If-None-Match tag is still current",
                "headers": {"ETag": _header("ETag"), "X-Request-ID": _header("X-Request-ID")},
            },
        )


def build_openapi(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=TAGS,
        servers=[{"url": "/", "description": "This server"}],
    )
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["headers"] = HEADERS
    components["securitySchemes"] = {
        "OAuth2PasswordBearer": components.get("securitySchemes", {}).get(
            "OAuth2PasswordBearer",
            {"type": "oauth2", "flows": {"password": {"tokenUrl": f"{API_PREFIX}/auth/token"}}},
        ),
        "ApiKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`crn_…`) sent as `Authorization: Bearer <key>`.",
        },
        "SignedLink": {
            "type": "apiKey",
            "in": "query",
            "name": "signature",
            "description": "A signed download link from POST /api/v1/documents/{id}/links "
            "(with its `expires`).",
        },
        "FeedToken": {
            "type": "apiKey",
            "in": "query",
            "name": "token",
            "description": "The calendar feed's own token, from POST /api/v1/agenda/feed-token.",
        },
    }
    spec["security"] = [{"OAuth2PasswordBearer": []}, {"ApiKey": []}]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            op.pop("security", None)
            _shape_operation(path, method, op, schemas)
    _rename_schemas(spec)
    return spec


_PAGE = re.compile(r"^Page_(\w+)_$")
_FORM = re.compile(r"^Body_(\w+)$")


def _rename_schemas(spec: dict[str, Any]) -> None:
    """Names generators keep as class names: ``Page_CaseRead_`` (pydantic's name for
    ``Page[CaseRead]``) → ``CasePage``; ``Body_createToken`` (a form) → ``CreateTokenForm``."""
    schemas = spec["components"]["schemas"]
    renames = {}
    for name in list(schemas):
        if match := _PAGE.match(name):
            renames[name] = match.group(1).removesuffix("Read") + "Page"
        elif match := _FORM.match(name):
            renames[name] = match.group(1)[0].upper() + match.group(1)[1:] + "Form"
    for old, new in renames.items():
        schemas[new] = schemas.pop(old) | {"title": new}
    text = json.dumps(spec)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    spec.clear()
    spec.update(json.loads(text))


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc served from the installed package: firms run closed networks."""
    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs/static", StaticFiles(directory=static), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{TITLE} — Swagger UI",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title=f"{TITLE} — ReDoc",
            redoc_js_url="/docs/static/redoc.standalone.js",
            redoc_favicon_url="/docs/static/favicon.png",
            with_google_fonts=False,
        )
