"""Every class of error answers RFC 9457 problem+json, without internals."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.config import Settings
from app.main import create_app
from tests.builders import assert_problem, auth_as


def test_unknown_route_is_a_problem_404(client: TestClient) -> None:
    body = assert_problem(client.get("/api/v1/nowhere"), 404, "not-found")

    assert body["detail"] == "No resource at /api/v1/nowhere"
    assert body["instance"] == "/api/v1/nowhere"


def test_wrong_method_is_a_problem_405(client: TestClient) -> None:
    response = client.put("/health")

    body = assert_problem(response, 405, "method-not-allowed")
    assert body["detail"] == "PUT is not allowed on /health"


def test_malformed_json_is_a_problem_422(client: TestClient, session: Session) -> None:
    response = client.post(
        "/api/v1/users",
        content=b"{not json",
        headers=auth_as(session, Role.admin) | {"Content-Type": "application/json"},
    )

    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["type"] == "json_invalid"


def test_forbidden_is_a_problem_403(client: TestClient, session: Session) -> None:
    response = client.get("/api/v1/users", headers=auth_as(session, Role.paralegal))

    body = assert_problem(response, 403, "permission-denied")
    assert body["detail"] == "The paralegal role does not have the users:manage permission."


def test_unexpected_exception_is_a_bare_problem_500(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM clients WHERE name = 'Dupont'")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")

    body = assert_problem(response, 500, "internal-error")
    assert "Dupont" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


def test_every_problem_carries_the_request_id(client: TestClient) -> None:
    response = client.get("/api/v1/nowhere", headers={"X-Request-ID": "trace-42"})

    assert response.headers["x-request-id"] == "trace-42"
    assert response.json()["request_id"] == "trace-42"


def test_an_unsafe_incoming_request_id_is_replaced(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "evil id <script> with spaces"})

    assert response.headers["x-request-id"] != "evil id <script> with spaces"
    assert len(response.headers["x-request-id"]) == 32


def test_openapi_declares_problem_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()

    responses = spec["paths"]["/api/v1/users/{user_id}"]["patch"]["responses"]
    assert set(responses) >= {"200", "401", "403", "404", "409", "422"}
    assert "application/problem+json" in responses["404"]["content"]
