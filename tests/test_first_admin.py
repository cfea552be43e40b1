from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app
from app.schema import upgrade_to_head
from tests.builders import PASSWORD


def _settings(tmp_path: Path, email: str) -> Settings:
    return Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'first.db'}",
        secret_key="k" * 40,
        admin_email=email,
        admin_password=PASSWORD,
    )


def test_first_admin_is_created_at_startup_only_when_no_user_exists(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "premier@cabinet-avocats.fr")
    upgrade_to_head(settings)

    with TestClient(create_app(settings)) as client:
        login = client.post(
            "/api/v1/auth/token",
            data={"username": "premier@cabinet-avocats.fr", "password": PASSWORD},
        )
    with TestClient(create_app(_settings(tmp_path, "second@cabinet-avocats.fr"))) as client:
        second = client.post(
            "/api/v1/auth/token",
            data={"username": "second@cabinet-avocats.fr", "password": PASSWORD},
        )
        users = client.get(
            "/api/v1/users", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
        ).json()

    assert login.status_code == 200
    assert second.status_code == 401
    assert [(u["email"], u["role"]) for u in users["items"]] == [
        ("premier@cabinet-avocats.fr", "admin")
    ]
