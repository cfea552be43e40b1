"""The role table: every API route declares the one permission written below, each role
is held to it, and docs/security.md prints the same table."""

import re
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api import API_PREFIX
from app.auth.dependencies import Requires
from app.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from app.main import API_ROUTERS
from tests.builders import assert_problem, auth_as

# Every API route and the one permission it needs, written down here rather than read from
# the routers, so that a route declaring another permission fails. `public`: the token
# endpoint takes credentials; the calendar feed authenticates by its own token.
ROUTE_TABLE = """
GET    /agenda                                                              agenda:read
GET    /agenda.ics                                                          public
HEAD   /agenda.ics                                                          public
POST   /agenda/feed-token                                                   agenda:read
GET    /api-keys                                                            api-keys:own
POST   /api-keys                                                            api-keys:own
DELETE /api-keys/{key_id}                                                   api-keys:own
GET    /api-keys/{key_id}                                                   api-keys:own
GET    /audit-events                                                        audit:read
POST   /auth/token                                                          public
GET    /cases                                                               cases:read
POST   /cases                                                               cases:write
GET    /cases/{case_id}                                                     cases:read
PATCH  /cases/{case_id}                                                     cases:write
GET    /cases/{case_id}/attempts                                            cases:read
POST   /cases/{case_id}/attempts                                            cases:write
POST   /cases/{case_id}/attempts/batch                                      cases:write
GET    /cases/{case_id}/attempts/{attempt_id}                               cases:read
POST   /cases/{case_id}/attempts/{attempt_id}/reopening                     cases:write
POST   /cases/{case_id}/attempts/{attempt_id}/review                        cases:write
GET    /cases/{case_id}/bundle                                              cases:read
GET    /cases/{case_id}/contacts                                            cases:read
POST   /cases/{case_id}/contacts                                            cases:write
GET    /cases/{case_id}/contacts/{contact_id}                               cases:read
PATCH  /cases/{case_id}/contacts/{contact_id}                               cases:write
GET    /cases/{case_id}/documents                                           cases:read
POST   /cases/{case_id}/documents                                           documents:generate
GET    /cases/{case_id}/evidence                                            cases:read
POST   /cases/{case_id}/evidence                                            cases:write
GET    /cases/{case_id}/evidence/verification                               cases:read
GET    /cases/{case_id}/exhibits                                            cases:read
PUT    /cases/{case_id}/exhibits                                            cases:write
GET    /cases/{case_id}/filings                                             cases:read
POST   /cases/{case_id}/filings                                             documents:generate
GET    /cases/{case_id}/filings/verification                                cases:read
POST   /cases/{case_id}/integrity-attestations                              documents:generate
DELETE /cases/{case_id}/legal-hold                                          legal-holds:manage
PUT    /cases/{case_id}/legal-hold                                          legal-holds:manage
GET    /cases/{case_id}/next-actions                                        cases:read
GET    /cases/{case_id}/proceedings                                         cases:read
POST   /cases/{case_id}/proceedings                                         cases:write
GET    /cases/{case_id}/proceedings/{proceeding_id}                         cases:read
PATCH  /cases/{case_id}/proceedings/{proceeding_id}                         cases:write
GET    /cases/{case_id}/readiness                                           cases:read
GET    /cases/{case_id}/stage-changes                                       cases:read
POST   /cases/{case_id}/stage-changes                                       cases:write
GET    /cases/{case_id}/timeline                                            cases:read
GET    /cases/{case_id}/upload-links                                        cases:read
POST   /cases/{case_id}/upload-links                                        cases:write
DELETE /cases/{case_id}/upload-links/{link_id}                              cases:write
GET    /cases/{case_id}/upload-links/{link_id}                              cases:read
GET    /cases/{case_id}/upload-links/{link_id}/submissions                  cases:read
GET    /clients                                                             clients:read
POST   /clients                                                             clients:write
GET    /clients/{client_id}                                                 clients:read
PATCH  /clients/{client_id}                                                 clients:write
GET    /clients/{client_id}/access-log                                      personal-data:manage
POST   /clients/{client_id}/erasure                                         personal-data:manage
POST   /clients/{client_id}/exports                                         personal-data:manage
GET    /documents/{document_id}                                             cases:read
GET    /documents/{document_id}/content                                     cases:read
POST   /documents/{document_id}/links                                       cases:read
GET    /events                                                              events:read
GET    /evidence/{evidence_id}                                              cases:read
GET    /evidence/{evidence_id}/content                                      cases:read
POST   /evidence/{evidence_id}/reading-checks                               cases:write
POST   /evidence/{evidence_id}/withdrawal                                   cases:write
GET    /exports/{export_id}                                                 personal-data:manage
GET    /exports/{export_id}/content                                         personal-data:manage
GET    /filings/{filing_id}                                                 cases:read
GET    /filings/{filing_id}/content                                         cases:read
GET    /firm                                                                profile:read
PUT    /firm                                                                firm:edit
GET    /prefectures                                                         reference:read
GET    /prefectures/{department_code}                                       reference:read
PATCH  /prefectures/{department_code}                                       reference:edit
GET    /procedures                                                          reference:read
PATCH  /procedures/{code}                                                   reference:edit
GET    /refusal-messages                                                    reference:read
GET    /review-queue/captures                                               cases:read
GET    /review-queue/submissions                                            cases:read
POST   /refusal-messages                                                    reference:edit
DELETE /refusal-messages/{message_id}                                       reference:edit
GET    /retention/due                                                       personal-data:manage
POST   /retention/runs                                                      personal-data:manage
GET    /statistics/prefectures                                              statistics:read
GET    /statistics/prefectures/{department_code}                            statistics:read
GET    /statistics/prefectures/{department_code}/charts/{name}.{extension}  statistics:read
GET    /statistics/tribunals                                                statistics:read
GET    /templates/{kind}                                                    profile:read
PUT    /templates/{kind}                                                    templates:manage
GET    /templates/{kind}/content                                            profile:read
POST   /templates/{kind}/restorations                                       templates:manage
GET    /tribunals                                                           reference:read
GET    /tribunals/{code}                                                    reference:read
PATCH  /tribunals/{code}                                                    reference:edit
GET    /users                                                               users:manage
POST   /users                                                               users:manage
GET    /users/me                                                            profile:read
POST   /users/me/password                                                   profile:read
GET    /users/{user_id}                                                     users:manage
PATCH  /users/{user_id}                                                     users:manage
GET    /webhooks                                                            webhooks:manage
POST   /webhooks                                                            webhooks:manage
DELETE /webhooks/{webhook_id}                                               webhooks:manage
GET    /webhooks/{webhook_id}                                               webhooks:manage
PATCH  /webhooks/{webhook_id}                                               webhooks:manage
GET    /webhooks/{webhook_id}/deliveries                                    webhooks:manage
POST   /webhooks/{webhook_id}/deliveries/{delivery_id}/retry                webhooks:manage
POST   /webhooks/{webhook_id}/replay                                        webhooks:manage
POST   /webhooks/{webhook_id}/secret-rotations                              webhooks:manage
"""
PUBLIC = "public"


def _written() -> dict[tuple[str, str], str]:
    rows = [line.split() for line in ROUTE_TABLE.strip().splitlines()]
    written = {(method, API_PREFIX + path): needs for method, path, needs in rows}
    assert len(written) == len(rows), "a route is written twice"
    return written


WRITTEN = _written()
EXPECTED = {route: Permission(needs) for route, needs in WRITTEN.items() if needs != PUBLIC}
SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _required_permissions(route: APIRoute) -> list[Permission]:
    found: list[Permission] = []
    stack = list(route.dependant.dependencies)
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, Requires):
            found.append(dependant.call.permission)
        stack.extend(dependant.dependencies)
    return found


def _api_routes() -> list[tuple[str, str, APIRoute]]:
    return sorted(
        (
            (method, API_PREFIX + route.path, route)
            for router in API_ROUTERS
            for route in router.routes
            if isinstance(route, APIRoute)
            for method in route.methods or ()
        ),
        key=lambda row: (row[1], row[0]),
    )


def test_the_router_list_covers_every_api_path(app: FastAPI) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(API_PREFIX)
        for method in operations
    }

    assert documented == {(method, path) for method, path, _ in _api_routes()}


def test_every_api_route_declares_the_written_permission() -> None:
    declared = {
        (method, path): _required_permissions(route) for method, path, route in _api_routes()
    }

    assert declared == {
        route: [] if needs == PUBLIC else [Permission(needs)] for route, needs in WRITTEN.items()
    }


MATRIX = [
    (method, path, permission, role)
    for (method, path), permission in EXPECTED.items()
    for role in Role
]


@pytest.mark.parametrize(
    ("method", "path", "permission", "role"),
    MATRIX,
    ids=[f"{m} {p} as {r}" for m, p, _, r in MATRIX],
)
def test_role_matrix(
    client: TestClient,
    session: Session,
    method: str,
    path: str,
    permission: Permission,
    role: Role,
) -> None:
    url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)

    response = client.request(method, url, headers=auth_as(session, role), json={})

    if permission in ROLE_PERMISSIONS[role]:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        body = assert_problem(response, 403, "permission-denied")
        assert permission.value in body["detail"]


def test_security_doc_prints_the_enforced_table() -> None:
    rows = {}
    for line in SECURITY_DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in {p.value for p in Permission}:
            rows[Permission(cells[0])] = cells[1:]

    expected = {
        permission: ["yes" if permission in ROLE_PERMISSIONS[role] else "no" for role in Role]
        for permission in Permission
    }
    assert rows == expected
