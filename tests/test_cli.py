import base64
import hashlib
import io
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
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
from app.worker.registry import PERIODIC
from tests.builders import PASSWORD, make_case, make_client
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


def _paralegal_and_case(settings: Settings) -> tuple[str, uuid.UUID]:
    """A paralegal's token and a case, committed to the CLI's database."""
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        user = User(email="para@cabinet-avocats.fr", full_name="P", role=Role.paralegal)
        session.add(user)
        session.flush()
        case_id = make_case(session).id
        session.commit()
        token = create_access_token(
            user.id, key=settings.signing_key, now=utcnow(), lifetime=timedelta(minutes=5)
        ).token
    engine.dispose()
    return token, case_id


def test_storage_verify_and_gc(cli_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    token, case_id = _paralegal_and_case(cli_settings)
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


def test_gc_keeps_every_blob_a_record_names_even_with_no_grace(
    cli_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(cli_settings.effective_database_url)
    with Session(engine) as session:
        admin = User(email="admin@cabinet-avocats.fr", full_name="A", role=Role.admin)
        session.add(admin)
        session.flush()
        client_row = make_client(session, address="12 rue des Lilas, 93100 Montreuil")
        case_id = make_case(session, client_row).id
        session.commit()
        token = create_access_token(
            admin.id, key=cli_settings.signing_key, now=utcnow(), lifetime=timedelta(minutes=5)
        ).token
    engine.dispose()
    app = create_app(cli_settings)
    store = app.state.blob_store
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        shot = client.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": ("a.png", files.png(), "image/png")},
            data={"kind": "screenshot"},
            headers=headers,
        ).json()
        source = client.get("/api/v1/templates/prefecture_letter/content", headers=headers).content
        template = client.put(
            "/api/v1/templates/prefecture_letter",
            content=source,
            headers=headers | {"Content-Type": "application/octet-stream"},
        )
        assert template.status_code == 200, template.text
        letter = client.post(
            f"/api/v1/cases/{case_id}/documents",
            json={"kind": "prefecture_letter"},
            headers=headers,
        ).json()
        petition = client.post(
            f"/api/v1/cases/{case_id}/documents",
            json={"kind": "interim_relief_petition", "override_reason": "test"},
            headers=headers,
        )
        assert petition.status_code == 201, petition.text
        filing = client.post(f"/api/v1/cases/{case_id}/filings", json={}, headers=headers)
        assert filing.status_code == 201, filing.text
    abandoned = store.staging_dir / "upload-crashed.part"
    abandoned.write_bytes(b"half an upload")
    two_days_ago = time.time() - 48 * 3600
    for path in [abandoned, *(store._path(sha) for sha, _ in store.blobs())]:
        os.utime(path, (two_days_ago, two_days_ago))

    assert cli.main(["storage", "gc", "--grace-hours", "0"]) == 0

    assert "removed 0 unreferenced blob(s)" in capsys.readouterr().out
    assert not abandoned.exists()
    with TestClient(app) as client:
        for url, sha in (
            (f"/api/v1/evidence/{shot['id']}/content", shot["sha256"]),
            (f"/api/v1/documents/{letter['id']}/content", letter["sha256"]),
            (f"/api/v1/documents/{petition.json()['id']}/content", petition.json()["sha256"]),
            ("/api/v1/templates/prefecture_letter/content", None),
            (f"/api/v1/filings/{filing.json()['id']}/content", filing.json()["sha256"]),
        ):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            if sha is not None:
                assert hashlib.sha256(response.content).hexdigest() == sha, url
    assert cli.main(["storage", "verify"]) == 0
    assert "all drafts, templates and filings intact" in capsys.readouterr().out
    # A draft whose bytes are gone is reported, not only evidence.
    path = store._path(letter["sha256"])
    path.chmod(0o644)
    path.unlink()
    assert cli.main(["storage", "verify"]) == 1
    assert f"draft {letter['id']}: bytes ALTERED OR MISSING" in capsys.readouterr().out


def test_the_worker_runs_a_batch_and_exits(
    cli_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["worker", "--once"]) == 0
    # The first batch schedules the periodic jobs (one per kind) and runs them; the next
    # finds nothing new.
    assert f"ran {len(PERIODIC)} job(s)" in capsys.readouterr().out
    assert cli.main(["worker", "--once"]) == 0
    assert "ran 0 job(s)" in capsys.readouterr().out


def test_start_up_waits_for_the_database_then_says_clearly_it_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url="postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=1",
        secret_key="k" * 40,
        database_wait_seconds=1.5,
    )
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    started = time.monotonic()

    with pytest.raises(SystemExit, match=r"the database is unreachable after 1\.5 s"):
        cli.main(["db", "upgrade"])

    assert time.monotonic() - started >= 1.4  # it did wait, and no longer than asked (+1 try)


def test_a_fresh_machine_migrates_and_serves_the_embedded_database_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        env=Environment.development, data_dir=tmp_path / "var" / "not-yet", secret_key="k" * 40
    )
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    started = time.monotonic()

    assert cli.main(["db", "upgrade"]) == 0

    assert time.monotonic() - started < 30  # no waiting on a file that is simply not there yet
    assert (tmp_path / "var" / "not-yet" / "creneau.db").exists()


def test_creating_a_user_before_any_database_says_what_to_do_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(env=Environment.test, data_dir=tmp_path / "typo", secret_key="k" * 40)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))

    code = cli.main(
        [
            "users",
            "create",
            "--email",
            "a@cabinet-avocats.fr",
            "--role",
            "admin",
            "--password-stdin",
        ]
    )

    assert code == 1
    assert "run 'creneau db upgrade'" in capsys.readouterr().err
    assert not (tmp_path / "typo" / "creneau.db").exists()


@pytest.mark.parametrize(
    ("web_concurrency", "cores", "expected"),
    [(None, 2, 2), (None, 1, 1), (None, 16, 4), (None, None, 1), ("3", 2, 3), ("1", 8, 1),
     ("many", 2, 0), ("0", 2, 0)],
)  # fmt: skip
def test_serve_starts_one_worker_per_core_unless_told(
    web_concurrency: str | None, cores: int | None, expected: int
) -> None:
    assert cli.serve.default_workers(web_concurrency, cores) == expected


def test_rotate_keys_rewraps_every_blob_then_the_old_key_can_go(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    k1 = "k1:" + base64.b64encode(b"\x01" * 32).decode()
    k2 = "k2:" + base64.b64encode(b"\x02" * 32).decode()

    def keys(value: str | None) -> Settings:
        changed = cli_settings.model_copy(
            update={"storage_keys": SecretStr(value) if value else None}
        )
        monkeypatch.setattr(cli, "get_settings", lambda: changed)
        return changed

    token, case_id = _paralegal_and_case(cli_settings)
    with TestClient(create_app(keys(k1))) as client:
        for n in range(2):
            response = client.post(
                f"/api/v1/cases/{case_id}/evidence",
                files={"file": (f"{n}.png", files.png(color=["red", "blue"][n]), "image/png")},
                data={"kind": "screenshot"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 201, response.text

    keys(None)
    assert cli.main(["storage", "rotate-keys"]) == 1  # nothing to rotate to
    keys(f"{k2},{k1}")
    assert cli.main(["storage", "rotate-keys"]) == 0
    assert "2 blob(s) sealed or rewrapped, 0 already" in capsys.readouterr().out
    keys(k2)
    assert cli.main(["storage", "verify"]) == 0
    assert cli.main(["storage", "rotate-keys"]) == 0
    assert "0 blob(s) sealed or rewrapped, 2 already" in capsys.readouterr().out
    keys(k1)  # the retired key opens nothing any more
    assert cli.main(["storage", "verify"]) == 1
