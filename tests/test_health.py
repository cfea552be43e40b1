from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app


def test_liveness_needs_no_credentials(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_the_database_and_migrations(client: TestClient) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "at head"}


def test_readiness_is_503_when_migrations_are_pending(tmp_path: Path) -> None:
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'empty.db'}",
        secret_key="k" * 40,
    )

    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "migrations": "pending"}


def test_readiness_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}",
        secret_key="k" * 40,
    )

    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_cors_allows_the_configured_frontend_only(client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "GET"}

    allowed = client.options("/health", headers={"Origin": "http://frontend.test"} | preflight)
    refused = client.options("/health", headers={"Origin": "http://evil.test"} | preflight)

    assert allowed.headers["access-control-allow-origin"] == "http://frontend.test"
    assert "access-control-allow-origin" not in refused.headers
