"""The deployment, smoke-tested here without Docker: the image's steps, two replicas sharing
PostgreSQL and S3, and a separate worker.

    .venv/bin/python -m bench.smoke_deploy --pg postgresql+psycopg://postgres@127.0.0.1/postgres

1. Builds what the Dockerfile builds, outside Docker: a fresh virtualenv, the locked runtime
   (`pip install --no-deps -r requirements.txt`), then Créneau (`pip install --no-deps .`).
2. Starts a local S3 (moto's server) and creates a fresh PostgreSQL database.
3. Runs the image's command from that virtualenv, as the image does, in production mode:
   `creneau db upgrade`, then two `creneau serve` processes on two ports (each with its own
   empty data directory: nothing may be shared but the database and the bucket) and one
   `creneau worker`.
4. Checks: both replicas ready; log in on one; a file uploaded to one is served by the other;
   a document generated on one downloads from the other; the calendar link is the configured
   https address, whatever the Host header.

Exits non-zero on any failure.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import httpx2 as httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import ROOT, _free_port
from tests.evidence import files

ADMIN = ("admin@cabinet-avocats.fr", "A-long-admin-password-2026")
PUBLIC = "https://creneau.cabinet.example"


def _build(venv: Path) -> Path:
    """The Dockerfile's build stage, step for step."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
    ]
    subprocess.run([*pip, "-r", str(ROOT / "requirements.txt")], check=True)
    subprocess.run([*pip, str(ROOT)], check=True)
    return venv / "bin" / "creneau"


@contextmanager
def _database(server_url: str) -> Iterator[str]:
    name = f"creneau_smoke_{secrets.token_hex(4)}"
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _process(
    args: list[str], env: dict[str, str], cwd: Path, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("w") as out:
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=out)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _ready(base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base} not ready; see {log}:\n{log.read_text()[-2000:]}")


def run(pg: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="creneau-smoke-"))
    try:
        creneau = _build(work / "venv")
        # The image's working directory: alembic.ini and the migrations, nothing else.
        image = work / "srv"
        image.mkdir()
        shutil.copy(ROOT / "alembic.ini", image / "alembic.ini")
        shutil.copytree(ROOT / "migrations", image / "migrations")
        s3_port = _free_port()
        with (
            _process(
                [
                    str(ROOT / ".venv" / "bin" / "moto_server"),
                    "-H",
                    "127.0.0.1",
                    "-p",
                    str(s3_port),
                ],
                dict(os.environ),
                work,
                work / "s3.log",
            ),
            _database(pg) as database_url,
        ):
            endpoint = f"http://127.0.0.1:{s3_port}"
            time.sleep(1.0)
            boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="smoke",
                aws_secret_access_key="smoke-secret",
            ).create_bucket(Bucket="evidence")
            env = {k: v for k, v in os.environ.items() if not k.startswith("CRENEAU_")} | {
                "CRENEAU_ENV": "production",
                "DATABASE_URL": database_url,
                "CRENEAU_SECRET_KEY": secrets.token_urlsafe(48),
                "CRENEAU_STORAGE_BACKEND": "s3",
                "CRENEAU_S3_BUCKET": "evidence",
                "CRENEAU_S3_ENDPOINT_URL": endpoint,
                "CRENEAU_S3_REGION": "us-east-1",
                "CRENEAU_S3_ACCESS_KEY_ID": "smoke",
                "CRENEAU_S3_SECRET_ACCESS_KEY": "smoke-secret",
                "CRENEAU_REPLICAS": "2",
                "CRENEAU_PUBLIC_BASE_URL": PUBLIC,
                "CRENEAU_EMBEDDED_WORKER": "false",
                "CRENEAU_ADMIN_EMAIL": ADMIN[0],
                "CRENEAU_ADMIN_PASSWORD": ADMIN[1],
                "CRENEAU_ALEMBIC_INI": str(image / "alembic.ini"),
                "HOST": "127.0.0.1",
            }
            subprocess.run(
                [str(creneau), "db", "upgrade"],
                env=env | {"CRENEAU_DATA_DIR": str(work / "release")},
                cwd=image,
                check=True,
                capture_output=True,
            )
            ports = [_free_port(), _free_port()]
            bases = [f"http://127.0.0.1:{p}" for p in ports]
            serve = [str(creneau), "serve", "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]
            with _process(
                serve,
                env | {"PORT": str(ports[0]), "CRENEAU_DATA_DIR": str(work / "a")},
                image,
                work / "a.log",
            ):
                _ready(bases[0], work / "a.log")
                with (
                    _process(
                        serve,
                        env | {"PORT": str(ports[1]), "CRENEAU_DATA_DIR": str(work / "b")},
                        image,
                        work / "b.log",
                    ),
                    _process(
                        [str(creneau), "worker"],
                        env | {"CRENEAU_DATA_DIR": str(work / "w")},
                        image,
                        work / "worker.log",
                    ),
                ):
                    _ready(bases[1], work / "b.log")
                    _check(*bases)
        print("smoke: image steps, migrations, 2 replicas on PostgreSQL and S3, worker: all passed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check(a: str, b: str) -> None:
    token = httpx.post(f"{a}/api/v1/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    with (
        httpx.Client(base_url=a, headers=headers) as on_a,
        httpx.Client(base_url=b, headers=headers) as on_b,
    ):
        on_a.put(
            "/api/v1/firm",
            json={"name": "Cabinet Smoke", "address": "1 rue A, 75011 Paris", "city": "Paris"},
        ).raise_for_status()
        person = on_a.post(
            "/api/v1/clients",
            json={
                "civility": "madame",
                "last_name": "Smoke",
                "first_names": "Test",
                "address": "2 rue B, 93100 Montreuil",
            },
        )
        person.raise_for_status()
        case = on_b.post(
            "/api/v1/cases",
            json={
                "client_id": person.json()["id"],
                "department_code": "93",
                "procedure_code": "salarie",
                "booking_channel": "rdv_prefecture",
            },
        )
        case.raise_for_status()
        case_id = case.json()["id"]
        shot = files.png(640, 400, "#336699")
        uploaded = on_a.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": ("capture.png", shot, "image/png")},
            data={"kind": "screenshot"},
        )
        uploaded.raise_for_status()
        served = on_b.get(f"/api/v1/evidence/{uploaded.json()['id']}/content")
        assert served.status_code == 200, "the other replica cannot serve the upload"
        assert served.content == shot, "the other replica serves other bytes"
        letter = on_b.post(f"/api/v1/cases/{case_id}/documents", json={"kind": "prefecture_letter"})
        letter.raise_for_status()
        docx = on_a.get(f"/api/v1/documents/{letter.json()['id']}/content")
        assert docx.status_code == 200, "the other replica cannot serve the draft"
        assert docx.content[:2] == b"PK", "the draft is not a Word file"
        feed = on_b.post(
            "/api/v1/agenda/feed-token",
            headers={"Host": "evil.example", "X-Forwarded-Proto": "http"},
        )
        feed.raise_for_status()
        assert feed.json()["url"].startswith(f"{PUBLIC}/api/v1/agenda.ics?token="), feed.json()[
            "url"
        ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--pg", required=True, help="a PostgreSQL server URL (a fresh database is created)"
    )
    run(parser.parse_args().pg)


if __name__ == "__main__":
    main()
