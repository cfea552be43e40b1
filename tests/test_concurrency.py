"""Concurrent writers and database faults against a real database file, with real commits.

The rest of the suite runs each test inside one rolled-back transaction, which cannot show
two requests racing. Here the app gets a database of its own (SQLite in a temporary
directory, or a fresh PostgreSQL database when TEST_DATABASE_URL is set) and several
threads call it at once.
"""

import logging
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import db
from app.auth.permissions import Role
from app.config import Environment, Settings
from app.db import make_engine
from app.main import create_app
from tests.builders import PINNED_NOW, auth, client_payload, make_case, make_user, token_for

WRITERS = 20


def _seed(settings: Settings) -> tuple[dict[str, str], str]:
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        lawyer = make_user(session, role=Role.lawyer)
        case_id = str(make_case(session).id)
        session.commit()
        headers = auth(token_for(lawyer, minutes=30, key=settings.signing_key))
    engine.dispose()
    return headers, case_id


def _at_once(
    count: int, call: Callable[[TestClient, int], httpx2.Response], app: FastAPI
) -> list[httpx2.Response]:
    """``count`` requests released together, each from its own thread and client."""
    barrier = threading.Barrier(count)
    results: list[httpx2.Response | None] = [None] * count

    def run(n: int) -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            barrier.wait()
            results[n] = call(client, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def _statuses(responses: list[httpx2.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def test_concurrent_writers_are_never_a_5xx(real_db: Settings) -> None:
    app = create_app(real_db)
    headers, case_id = _seed(real_db)

    def attempt(client: TestClient, n: int) -> httpx2.Response:
        when = (PINNED_NOW - timedelta(hours=n + 1)).isoformat()
        return client.post(
            f"/api/v1/cases/{case_id}/attempts",
            json={"attempted_at": when, "outcome": "no_slot"},
            headers=headers,
        )

    def new_client(client: TestClient, n: int) -> httpx2.Response:
        return client.post(
            "/api/v1/clients", json=client_payload(last_name=f"Race{n}"), headers=headers
        )

    attempts = _at_once(WRITERS, attempt, app)
    clients = _at_once(WRITERS, new_client, app)

    assert _statuses(attempts) == {201: WRITERS}, [r.text for r in attempts if r.status_code != 201]
    assert _statuses(clients) == {201: WRITERS}


def test_if_match_losers_get_412_not_500(real_db: Settings) -> None:
    app = create_app(real_db)
    headers, case_id = _seed(real_db)
    with TestClient(app) as client:
        etag = client.get(f"/api/v1/cases/{case_id}", headers=headers).headers["etag"]

    def patch(client: TestClient, n: int) -> httpx2.Response:
        return client.patch(
            f"/api/v1/cases/{case_id}", json={"site": f"guichet {n}"},
            headers=headers | {"If-Match": etag},
        )  # fmt: skip

    responses = _at_once(WRITERS, patch, app)

    assert _statuses(responses) == {200: 1, 412: WRITERS - 1}, [r.text for r in responses]


def test_one_idempotency_key_creates_once(real_db: Settings) -> None:
    app = create_app(real_db)
    headers, case_id = _seed(real_db)
    key = {"Idempotency-Key": f"race-{uuid.uuid4()}"}
    body = {"attempted_at": (PINNED_NOW - timedelta(hours=3)).isoformat(), "outcome": "no_slot"}

    def same(client: TestClient, n: int) -> httpx2.Response:
        return client.post(f"/api/v1/cases/{case_id}/attempts", json=body, headers=headers | key)

    responses = _at_once(WRITERS, same, app)

    statuses = _statuses(responses)
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1  # replays give the first answer; a request still running is a 409
    with TestClient(app) as client:
        listed = client.get(f"/api/v1/cases/{case_id}/attempts", headers=headers).json()
    assert len(listed["items"] if isinstance(listed, dict) else listed) == 1


def test_a_busy_database_answers_503_with_retry_after_and_logs_no_data(
    real_db: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if not real_db.effective_database_url.startswith("sqlite"):
        pytest.skip("the write lock is SQLite's")
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    app = create_app(real_db)
    headers, _ = _seed(real_db)
    path = make_url(real_db.effective_database_url).database
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with TestClient(app) as client, caplog.at_level(logging.INFO):
            busy = client.post(
                "/api/v1/clients", json=client_payload(last_name="Zorglub"), headers=headers
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with TestClient(app) as client:
        later = client.post(
            "/api/v1/clients", json=client_payload(last_name="Zorglub"), headers=headers
        )

    assert busy.status_code == 503, busy.text
    assert busy.headers["content-type"] == "application/problem+json"
    assert busy.json()["type"].endswith("/database-busy")
    assert busy.headers["retry-after"] == "1"
    assert later.status_code == 201
    assert "Zorglub" not in caplog.text
    assert "helene.bensalah" not in caplog.text


def test_an_unreachable_database_answers_503(tmp_path: Path) -> None:
    settings = Settings(
        env=Environment.test, data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'gone' / 'nowhere.db'}", secret_key="g" * 40,
        admin_email=None, admin_password=None,
    )  # fmt: skip
    app = create_app(settings)
    token = {"Authorization": "Bearer crn_0123456789ab_" + "x" * 43}

    with TestClient(app) as client:
        response = client.get("/api/v1/cases", headers=token)

    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("/database-unavailable")
    assert response.headers["retry-after"] == "5"


def test_a_lost_race_on_a_unique_value_is_a_409_and_logs_no_value(
    real_db: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(real_db.effective_database_url)
    with Session(engine) as session:
        admin = make_user(session, role=Role.admin)
        session.commit()
        headers = auth(token_for(admin, minutes=30, key=real_db.signing_key))
    engine.dispose()
    app = create_app(real_db)
    body = {"email": "claire.secret@cabinet-avocats.fr", "full_name": "Claire Secret",
            "role": "lawyer", "password": "Another-long-pass-2026!"}  # fmt: skip

    def create(client: TestClient, n: int) -> httpx2.Response:
        return client.post("/api/v1/users", json=body, headers=headers)

    with caplog.at_level(logging.INFO):
        responses = _at_once(8, create, app)

    assert _statuses(responses)[201] == 1
    assert set(_statuses(responses)) <= {201, 409}, [r.text for r in responses]
    assert "claire.secret" not in caplog.text
    assert "Claire Secret" not in caplog.text


def test_database_errors_are_summarised_without_their_values(real_db: Settings) -> None:
    from app.errors import db_error_summary

    engine = make_engine(real_db.effective_database_url)
    with Session(engine) as session:
        make_user(session, email="claire.secret@cabinet-avocats.fr")
        session.commit()
    with pytest.raises(IntegrityError) as caught, Session(engine) as session:
        make_user(session, email="claire.secret@cabinet-avocats.fr")
    engine.dispose()

    summary = db_error_summary(caught.value)
    assert "claire.secret" not in summary
    assert "IntegrityError" in summary or "UniqueViolation" in summary


def test_concurrent_wrong_passwords_are_all_counted(real_db: Settings) -> None:
    from sqlmodel import select

    from app.auth.models import User
    from tests.builders import PASSWORD

    engine = make_engine(real_db.effective_database_url)
    with Session(engine) as session:
        make_user(session, email="target@cabinet-avocats.fr", password=PASSWORD)
        session.commit()
    app = create_app(real_db)
    wrong = {"username": "target@cabinet-avocats.fr", "password": "not the password"}

    def guess(client: TestClient, n: int) -> httpx2.Response:
        return client.post("/api/v1/auth/token", data=wrong)

    responses = _at_once(8, guess, app)

    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == "target@cabinet-avocats.fr")).one()
    engine.dispose()
    assert _statuses(responses) == {401: 8}
    assert user.failed_logins == 8  # no lost increment


def test_replicas_starting_together_create_one_first_admin(real_db: Settings) -> None:
    from sqlmodel import func, select

    from app.auth.models import User

    settings = real_db.model_copy(
        update={
            "admin_email": "first@cabinet-avocats.fr",
            "admin_password": SecretStr("A-long-admin-pass-2026"),
        }
    )
    apps = [create_app(settings) for _ in range(4)]
    barrier = threading.Barrier(len(apps))
    errors: list[BaseException] = []

    def start(app: FastAPI) -> None:
        barrier.wait()
        try:
            with TestClient(app):
                pass
        except BaseException as exc:  # a start-up that crashes is the failure
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        admins = session.exec(select(func.count()).select_from(User)).one()
    engine.dispose()
    assert errors == []
    assert admins == 1
