"""Shared plumbing for benchmarks: a migrated database, a real server, latency stats."""

import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.auth import security
from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.config import Environment, Settings
from app.db import make_engine
from app.schema import upgrade_to_head

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BenchDatabase:
    url: str
    data_dir: Path
    engine: Engine


@contextmanager
def fresh_database(base_url: str | None) -> Iterator[BenchDatabase]:
    """A new, migrated database: a SQLite file, or a new database on the given PostgreSQL server."""
    with tempfile.TemporaryDirectory(prefix="creneau-bench-") as tmp:
        data_dir = Path(tmp)
        if base_url is None:
            url = f"sqlite:///{data_dir / 'bench.db'}"
            admin = None
        else:
            parsed = make_url(base_url)
            name = f"creneau_bench_{secrets.token_hex(4)}"
            admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = parsed.set(database=name).render_as_string(hide_password=False)
        settings = Settings(
            env=Environment.test, data_dir=data_dir, database_url=url, secret_key="b" * 40
        )
        upgrade_to_head(settings)
        engine = make_engine(url)
        try:
            yield BenchDatabase(url=url, data_dir=data_dir, engine=engine)
        finally:
            engine.dispose()
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


def admin_key(engine: Engine) -> str:
    with Session(engine) as session:
        user = User(email="bench@cabinet-avocats.fr", full_name="Bench", role=Role.admin)
        session.add(user)
        session.flush()
        new = security.generate_api_key()
        session.add(
            ApiKey(
                name="bench",
                role=Role.admin,
                lookup=new.lookup,
                secret_hash=new.secret_hash,
                owner_id=user.id,
            )
        )
        session.commit()
    return new.secret


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    db: BenchDatabase, *, workers: int = 1, pid: list[int] | None = None, **env: str
) -> Iterator[str]:
    """The real app under uvicorn in a child process, on a loopback port."""
    port = _free_port()
    child_env = (
        os.environ
        | {
            "DATABASE_URL": db.url,
            "CRENEAU_DATA_DIR": str(db.data_dir),
            "CRENEAU_SECRET_KEY": "b" * 40,
            "CRENEAU_LOG_LEVEL": "WARNING",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        | env
    )
    log = (db.data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--workers", str(workers)],
        env=child_env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    if pid is not None:
        pid.append(process.pid)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"server did not start; see {db.data_dir / 'server.log'}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def summary(samples_ms: list[float]) -> str:
    return (
        f"p50 {percentile(samples_ms, 50):6.1f} ms  p95 {percentile(samples_ms, 95):6.1f} ms  "
        f"mean {statistics.fmean(samples_ms):6.1f} ms"
    )
