from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import select

from app import wiring
from app.auth import service as auth_service
from app.auth.models import User
from app.auth.permissions import Role
from app.auth.schemas import UserCreate
from app.config import Environment, Settings
from app.db import make_engine
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


def test_a_first_admin_another_worker_creates_meanwhile_is_no_error(real_db: Settings) -> None:
    """Each worker of a server creates the first admin at start-up. On PostgreSQL, a worker can
    count no user, then find the admin another worker committed since: that must be a quiet
    no, not an error that fails the worker's start-up (and makes uvicorn stop the server)."""
    if not real_db.effective_database_url.startswith("postgresql"):
        pytest.skip("on SQLite the first admin is created under the write lock: no interleaving")
    engine = make_engine(real_db.effective_database_url)
    factory = wiring.session_factory(engine)
    other = UserCreate(email="premier@cabinet-avocats.fr", full_name="Administrator",
                       role=Role.admin, password=PASSWORD)  # fmt: skip

    def other_worker_commits(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "count(*)" in statement.lower() and not fired:
            fired.append(statement)
            with factory() as elsewhere:
                auth_service.create_user(elsewhere, actor=None, data=other)
                elsewhere.commit()

    fired: list[str] = []
    event.listen(engine, "after_cursor_execute", other_worker_commits)
    try:
        with factory() as session:
            created = auth_service.ensure_first_admin(
                session, email="premier@cabinet-avocats.fr", password=PASSWORD
            )
            session.commit()
        with factory() as session:
            admins = session.exec(select(User.email)).all()
    finally:
        engine.dispose()

    assert fired, "the other worker never ran"
    assert created is None
    assert admins == ["premier@cabinet-avocats.fr"]
