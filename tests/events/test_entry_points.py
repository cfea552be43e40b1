"""A write records its event whichever entry point made it, whatever the process imported.

Each step runs in a fresh interpreter on one real database: the API (a request through the
app), the CLI (a write through the command's sessions), a script that imports only a domain
service and the wiring, and the worker as ``creneau worker --once`` runs it (it numbers the
events and fans them out to a subscription). Before the re-fit, the same ``create_client``
recorded no event unless the process had happened to import ``app.main``.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from app.config import Environment, Settings
from app.schema import upgrade_to_head

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("admin@cabinet-exemple.fr", "a-long-enough-password-1")

CLIENT = """
from datetime import date
from app.clients.schemas import ClientCreate
data = ClientCreate(civility="madame", last_name="{name}", first_names="Amira",
                    birth_date=date(1990, 4, 12), nationality="tunisienne")
"""

API = """
from fastapi.testclient import TestClient
from app.config import get_settings
from app.main import create_app
with TestClient(create_app(get_settings())) as api:
    token = api.post("/api/v1/auth/token",
                     data={{"username": "{email}", "password": "{password}"}}).json()
    headers = {{"Authorization": "Bearer " + token["access_token"]}}
    hook = api.post("/api/v1/webhooks", headers=headers,
                    json={{"url": "http://127.0.0.1:9/hook", "event_types": ["client.created"]}})
    assert hook.status_code == 201, hook.text
    made = api.post("/api/v1/clients", headers=headers, json=data.model_dump(mode="json"))
    assert made.status_code == 201, made.text
"""

CLI = """
from app.cli.database import database
from app.clients import service
from app.config import get_settings
with database(get_settings()) as sessions, sessions() as session, session.begin():
    service.create_client(session, actor=None, data=data)
"""

SCRIPT = """
from app import wiring
from app.clients import service
from app.config import get_settings
from app.db import make_engine
sessions = wiring.session_factory(make_engine(get_settings().effective_database_url))
with sessions() as session, session.begin():
    service.create_client(session, actor=None, data=data)
"""


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _python(code: str, env: dict[str, str]) -> None:
    _run([sys.executable, "-c", dedent(code)], env)


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    settings = Settings(
        env=Environment.test,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'entry.db'}",
        secret_key="e" * 40,
    )
    upgrade_to_head(settings)
    return os.environ | {
        "CRENEAU_ENV": "test",
        "CRENEAU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": settings.effective_database_url,
        "CRENEAU_SECRET_KEY": "e" * 40,
        "CRENEAU_ADMIN_EMAIL": ADMIN[0],
        "CRENEAU_ADMIN_PASSWORD": ADMIN[1],
        "CRENEAU_EMBEDDED_WORKER": "false",
        "CRENEAU_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "PYTHONPATH": str(ROOT),
    }


def _rows(env: dict[str, str], query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return db.execute(query).fetchall()


def test_every_entry_point_records_its_events_and_the_worker_fans_them_out(
    environment: dict[str, str],
) -> None:
    email, password = ADMIN
    _python(CLIENT.format(name="Par-L-API") + API.format(email=email, password=password),
            environment)  # fmt: skip
    _python(CLIENT.format(name="Par-La-Commande") + CLI, environment)
    _python(CLIENT.format(name="Par-Un-Script") + SCRIPT, environment)

    created = _rows(environment, "SELECT position FROM events WHERE type = 'client.created'")
    assert [position for (position,) in created] == [None, None, None]  # nobody numbered yet

    _run([sys.executable, "-m", "app.cli", "worker", "--once"], environment)

    numbered = _rows(environment, "SELECT position FROM events ORDER BY position")
    assert [position for (position,) in numbered] == [1, 2, 3]
    deliveries = _rows(
        environment,
        "SELECT e.type FROM webhook_deliveries d JOIN events e ON e.id = d.event_id",
    )
    assert deliveries == [("client.created",)] * 3


def test_a_session_made_outside_the_wiring_records_nothing(
    environment: dict[str, str],
) -> None:
    """The contract, shown: sessions come from ``app.wiring`` (tests/test_architecture.py
    refuses any other session factory in app/)."""
    bare = """
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session
    from app.clients import service
    from app.config import get_settings
    from app.db import make_engine
    sessions = sessionmaker(make_engine(get_settings().effective_database_url), class_=Session)
    with sessions() as session, session.begin():
        service.create_client(session, actor=None, data=data)
    """
    _python(CLIENT.format(name="Hors-Cablage") + dedent(bare), environment)

    assert _rows(environment, "SELECT count(*) FROM clients") == [(1,)]
    assert _rows(environment, "SELECT count(*) FROM events") == [(0,)]
