"""The role table: every API route declares one permission, each role is held to it,
and docs/security.md prints the same table."""

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

# The token endpoint takes credentials; the calendar feed authenticates by its own token.
PUBLIC_ROUTES = {
    ("POST", "/api/v1/auth/token"),
    ("GET", "/api/v1/agenda.ics"),
    ("HEAD", "/api/v1/agenda.ics"),
}
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


def test_every_api_route_declares_exactly_one_permission() -> None:
    undeclared = [
        (method, path)
        for method, path, route in _api_routes()
        if (method, path) not in PUBLIC_ROUTES and len(_required_permissions(route)) != 1
    ]

    assert undeclared == []


MATRIX = [
    (method, path, _required_permissions(route)[0], role)
    for method, path, route in _api_routes()
    if (method, path) not in PUBLIC_ROUTES
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
