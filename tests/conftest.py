"""A real database, migrated once per run; each test inside a transaction rolled back
(``real_db``: a fresh database of its own, for tests that need real commits).

SQLite by default; set TEST_DATABASE_URL (a PostgreSQL URL in CI) to run the same
suite on another backend. Each request's commit releases a savepoint inside the
test's outer transaction, so requests see each other's writes and nothing survives.
"""

import os
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import clock, wiring
from app.config import Environment, Settings
from app.db import make_engine
from app.main import create_app
from app.schema import upgrade_to_head
from tests.builders import PINNED_NOW, TEST_SECRET_KEY


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[datetime]:
    with clock.pinned(PINNED_NOW):
        yield PINNED_NOW


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{data_dir / 'test.db'}"


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str) -> Settings:
    settings = Settings(
        env=Environment.test,
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        admin_email=None,
        admin_password=None,
        cors_origins=["http://frontend.test"],
    )
    upgrade_to_head(settings)
    return settings


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.effective_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return wiring.session_factory(connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def client(app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    previous = app.state.session_factory
    app.state.session_factory = session_factory
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.session_factory = previous


@pytest.fixture
def real_db(tmp_path: Path, database_url: str) -> Iterator[Settings]:
    """Settings for a fresh database that requests really commit to."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'race.db'}"
        admin = None
    else:
        name = f"creneau_race_{secrets.token_hex(4)}"
        admin = create_engine(
            make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    settings = Settings(
        env=Environment.test, data_dir=tmp_path, database_url=url, secret_key="r" * 40,
        admin_email=None, admin_password=None,
    )  # fmt: skip
    upgrade_to_head(settings)
    yield settings
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def live_server(app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[str]:
    """The app under uvicorn on a loopback port, on the test's transaction."""
    previous = app.state.session_factory
    app.state.session_factory = session_factory
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = running.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        app.state.session_factory = previous
