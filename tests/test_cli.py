import io
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import cli
from app.auth import security
from app.auth.models import User
from app.config import Environment, Settings
from app.db import make_engine
from app.schema import upgrade_to_head
from tests.builders import PASSWORD


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
