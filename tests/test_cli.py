import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import cli
from app.auth import security
from app.auth.models import User
from app.auth.permissions import Role
from app.auth.security import create_access_token
from app.config import Environment, Settings
from app.db import make_engine, utcnow
from app.main import create_app
from app.schema import upgrade_to_head
from tests.builders import PASSWORD, make_case
from tests.evidence import files


@pytest.fixture
def cli_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI commits for real, so it gets a database of its own."""
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'cli.db'}",
        secret_key="k" * 40,
    )
    upgrade_to_head(settings)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    return settings


def _users(settings: Settings) -> list[User]:
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        users = list(session.exec(select(User)).all())
    engine.dispose()
    return users


def test_users_create_reads_the_password_from_stdin(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))

    code = cli.main(
        [
            "users",
            "create",
            "--email",
            "Admin@Cabinet-Avocats.fr",
            "--role",
            "admin",
            "--password-stdin",
        ]
    )

    assert code == 0
    [user] = _users(cli_settings)
    assert (user.email, user.role) == ("admin@cabinet-avocats.fr", "admin")
    assert security.verify_password(PASSWORD, user.password_hash)
    assert PASSWORD not in capsys.readouterr().out


def test_users_create_refuses_a_weak_password(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))

    code = cli.main(
        [
            "users",
            "create",
            "--email",
            "a@cabinet-avocats.fr",
            "--role",
            "lawyer",
            "--password-stdin",
        ]
    )

    assert code == 2
    assert "password" in capsys.readouterr().err
    assert _users(cli_settings) == []


def test_users_create_refuses_a_duplicate(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        "users",
        "create",
        "--email",
        "a@cabinet-avocats.fr",
        "--role",
        "lawyer",
        "--password-stdin",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(args) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))

    assert cli.main(args) == 1
    assert len(_users(cli_settings)) == 1


def test_storage_verify_and_gc(cli_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(cli_settings.effective_database_url)
    with Session(engine) as session:
        user = User(email="para@cabinet-avocats.fr", full_name="P", role=Role.paralegal)
        session.add(user)
        session.flush()
        case_id = make_case(session).id
        session.commit()
        token = create_access_token(
            user.id, key=cli_settings.signing_key, now=utcnow(), lifetime=timedelta(minutes=5)
        ).token
    engine.dispose()
    app = create_app(cli_settings)
    store = app.state.blob_store
    with TestClient(app) as client:
        kept = client.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": ("a.png", files.png(), "image/png")},
            data={"kind": "screenshot"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    orphan_old, orphan_young = store.stage(), store.stage()
    orphan_old.write(files.pdf())
    orphan_young.write(files.text())
    old_sha, young_sha = store.publish(orphan_old), store.publish(orphan_young)
    two_days_ago = time.time() - 48 * 3600
    os.utime(store._path(old_sha), (two_days_ago, two_days_ago))

    assert cli.main(["storage", "verify"]) == 0
    assert cli.main(["storage", "gc", "--grace-hours", "24"]) == 0
    remaining = {sha for sha, _ in store.blobs()}
    path = store._path(kept["sha256"])
    path.chmod(0o644)
    path.write_bytes(files.png(color="black"))
    damaged = cli.main(["storage", "verify"])

    assert remaining == {kept["sha256"], young_sha}
    assert damaged == 1
    assert "ALTERED OR MISSING" in capsys.readouterr().out
