"""How long a write request holds SQLite's write lock while it does I/O: how long every other
writer of the firm (another upload, an attempt logged, a login) is kept waiting.

    PYTHONPATH=. .venv/bin/python -m bench.write_locks [--runs 5] [--quick]

A fresh SQLite file, migrated to head, is served by the real app in-process (TestClient,
real commits) and driven through the public API only, as the first admin (created at start-up
from the settings, signed in with POST /auth/token). During each measured request a watcher
thread, on its own sqlite3 connection with no busy timeout, tries BEGIN IMMEDIATE every 2 ms
and rolls back at once: it never holds the lock itself, and the longest span during which it
was refused is the lock hold any other writer met. Measured, each after one unmeasured warm-up:

- an evidence upload (a real PNG screenshot of random pixels), plain storage;
- the same with sealed storage (CRENEAU_STORAGE_KEYS set);
- a préfecture letter drafted with the firm's statistics, on a case with attempts and a contact;
- an integrity attestation on a case holding 3 large screenshots;
- a webhook subscription whose host takes 1.5 s to resolve (socket.getaddrinfo patched).

Each upload is a new random file: identical bytes would be stored only once. The lock spans are
seen at the watcher's 2 ms step and through the GIL (the app runs in this process), so they are
good to a few milliseconds.
"""

import argparse
import base64
import io
import os
import secrets
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Environment, Settings
from app.main import create_app
from app.schema import upgrade_to_head

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "documents" / "templates"
MB = 1024 * 1024
PROBE_SECONDS = 0.002
TAIL_SECONDS = 0.02
ADMIN_EMAIL = "bench-admin@cabinet-avocats.fr"
WEBHOOK_HOST = "dms.example.org"
WEBHOOK_ADDRESS = "93.184.215.14"
RESOLVER_DELAY_SECONDS = 1.5


class LockWatcher:
    """Tries to take SQLite's write lock every 2 ms on its own connection and lets it go at
    once; ``longest`` is the longest continuous span during which it was refused (seconds)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.longest = 0.0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lock-watcher", daemon=True)

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(
                self.database, isolation_level=None, timeout=0, check_same_thread=False
            )
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        refused_since: float | None = None
        try:
            while True:
                now = time.perf_counter()
                try:
                    connection.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    if not _busy(exc):
                        raise
                    if refused_since is None:
                        refused_since = now
                else:
                    connection.execute("ROLLBACK")
                    if refused_since is not None:
                        self.longest = max(self.longest, now - refused_since)
                        refused_since = None
                    self._ready.set()
                if self._stop.wait(PROBE_SECONDS):
                    break
            if refused_since is not None:
                self.longest = max(self.longest, time.perf_counter() - refused_since)
        except BaseException as exc:
            self._error = exc
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.close()
            self._ready.set()

    def __enter__(self) -> "LockWatcher":
        self._thread.start()
        # The first probe took the lock: nothing held it when the request started.
        if not self._ready.wait(timeout=10):
            raise RuntimeError("the write lock was held before the request started")
        if self._error is not None:
            raise self._error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # A short tail: a lock taken just after the response (a late commit) is still seen.
        time.sleep(TAIL_SECONDS)
        self._stop.set()
        self._thread.join(timeout=10)
        if self._error is not None and kind is None:
            raise self._error


def _busy(exc: sqlite3.OperationalError) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    message = str(exc).lower()
    return name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in message or "busy" in message


@dataclass
class Write:
    name: str
    locks_ms: list[float] = field(default_factory=list)
    totals_ms: list[float] = field(default_factory=list)

    def line(self) -> str:
        locks = self.locks_ms
        return (
            f"{self.name:<44} {len(locks):>4}  {min(locks):8.1f} {statistics.median(locks):8.1f} "
            f"{max(locks):8.1f}  {statistics.median(self.totals_ms):11.1f}  "
            f"{statistics.median(locks) / statistics.median(self.totals_ms):6.0%}"
        )


def measure(write: Write, database: Path, send: Callable[[], httpx.Response]) -> None:
    with LockWatcher(database) as watcher:
        started = time.perf_counter()
        response = send()
        elapsed = time.perf_counter() - started
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{write.name}: {response.status_code} {response.text[:500]}")
    write.locks_ms.append(watcher.longest * 1000)
    write.totals_ms.append(elapsed * 1000)


def screenshot(megabytes: float) -> bytes:
    """A real PNG of about ``megabytes``, of random pixels: incompressible, never a duplicate."""
    side = int((megabytes * MB / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


class SlowResolver:
    """socket.getaddrinfo for the webhook's host: a slow DNS server, then a public address."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != WEBHOOK_HOST:
            return self._real(host, port, *args, **kwargs)
        time.sleep(self.delay)
        number = int(port) if port is not None else 443
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (WEBHOOK_ADDRESS, number))
        ]


@contextmanager
def slow_resolver(delay: float) -> Iterator[None]:
    resolver = SlowResolver(delay)
    socket.getaddrinfo = resolver
    try:
        yield
    finally:
        socket.getaddrinfo = resolver._real


@dataclass
class Firm:
    client: TestClient
    database: Path


@contextmanager
def firm(root: Path, *, sealed: bool, max_bytes: int) -> Iterator[Firm]:
    """A new firm: its own migrated SQLite file and data directory, the app serving it, and a
    client signed in as its first admin."""
    data_dir = root / ("sealed" if sealed else "plain")
    data_dir.mkdir()
    database = data_dir / "creneau.db"
    password = secrets.token_urlsafe(24)
    keys = f"bench:{base64.b64encode(os.urandom(32)).decode()}" if sealed else None
    settings = Settings(
        env=Environment.test,
        data_dir=data_dir,
        database_url=f"sqlite:///{database}",
        secret_key=secrets.token_urlsafe(40),
        access_token_minutes=24 * 60,
        admin_email=ADMIN_EMAIL,
        admin_password=password,
        # No background worker, no OCR: nothing but the measured request takes the lock.
        embedded_worker=False,
        readings=False,
        evidence_max_bytes=max_bytes,
        storage_keys=keys,
        log_level="WARNING",
    )
    upgrade_to_head(settings)
    with TestClient(create_app(settings)) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": password}
        )
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield Firm(client, database)


def created(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 201:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:500]}")
    body: dict[str, Any] = response.json()
    return body


def new_case(client: TestClient, n: int, *, attempts: int = 0, contact: bool = False) -> str:
    """A client and its case (Seine-Saint-Denis, admission exceptionnelle), with ``attempts``
    failed bookings over the last weeks and, if asked, a registered letter sent."""
    person = created(
        client.post(
            "/api/v1/clients",
            json={
                "civility": "madame",
                "last_name": f"Ben Salah {n}",
                "first_names": "Hélène Amira",
                "birth_date": "1990-04-12",
                "birth_place": "Sfax (Tunisie)",
                "nationality": "tunisienne",
                "address": "12 rue des Lilas, 93100 Montreuil",
                "email": f"helene.bensalah.{n}@example.com",
                "entry_date": "2019-09-01",
            },
        )
    )
    case_id = str(
        created(
            client.post(
                "/api/v1/cases",
                json={
                    "client_id": person["id"],
                    "department_code": "93",
                    "procedure_code": "aes_vie_privee",
                    "aes_motif": "vie_privee_familiale",
                    "booking_channel": "rdv_prefecture",
                },
            )
        )["id"]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    if attempts:
        batch = [
            {
                "attempted_at": (now - timedelta(hours=7 * (attempts - k) + 1)).isoformat(),
                "outcome": "no_slot",
                "message": "Il n'existe plus de plage horaire libre pour votre demande.",
                "page_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4242/",
            }
            for k in range(attempts)
        ]
        created(client.post(f"/api/v1/cases/{case_id}/attempts/batch", json={"attempts": batch}))
    if contact:
        created(
            client.post(
                f"/api/v1/cases/{case_id}/contacts",
                json={
                    "channel": "registered_letter",
                    "sent_date": (now - timedelta(days=20)).date().isoformat(),
                    "recipient": "Préfecture de la Seine-Saint-Denis, 93007 Bobigny",
                    "registered_letter_number": "1A 123 456 7890 1",
                    "summary": "Demande de rendez-vous par lettre recommandée.",
                },
            )
        )
    return case_id


def upload(client: TestClient, case_id: str, content: bytes, name: str) -> httpx.Response:
    return client.post(
        f"/api/v1/cases/{case_id}/evidence",
        files={"file": (name, content, "image/png")},
        data={"kind": "screenshot"},
    )


def measure_uploads(
    write: Write, tenant: Firm, runs: int, megabytes: float, progress: Callable[[str], None]
) -> None:
    case_id = new_case(tenant.client, 1)
    created(upload(tenant.client, case_id, screenshot(0.1), "warm-up.png"))
    for n in range(runs):
        content = screenshot(megabytes)
        progress(f"{write.name} {n + 1}/{runs}")
        measure(
            write, tenant.database, partial(upload, tenant.client, case_id, content, f"{n}.png")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per write (default 5; 3 quick)"
    )
    parser.add_argument("--quick", action="store_true", help="small files, for a fast check")
    args = parser.parse_args()
    runs: int = args.runs if args.runs is not None else (3 if args.quick else 5)
    if runs < 1:
        parser.error("--runs must be at least 1")
    upload_mb = 2.0 if args.quick else 20.0
    shot_mb = 2.0 if args.quick else 70.0 / 3
    max_bytes = int(max(upload_mb, shot_mb) * MB) + 4 * MB

    def progress(message: str) -> None:
        if sys.stderr.isatty():
            print(f"\r  … {message:<70}", end="", file=sys.stderr, flush=True)

    plain_upload = Write(f"evidence upload, {upload_mb:.0f} MiB PNG, plain")
    sealed_upload = Write(f"evidence upload, {upload_mb:.0f} MiB PNG, sealed")
    letter = Write("préfecture letter, firm statistics")
    attestation = Write(f"integrity attestation, 3 x {shot_mb:.1f} MiB")
    webhook = Write(f"webhook created, resolver {RESOLVER_DELAY_SECONDS:.1f} s")
    template = Write("firm template uploaded (rendered on a sample)")
    with tempfile.TemporaryDirectory(prefix="creneau-bench-") as tmp:
        root = Path(tmp)
        with firm(root, sealed=False, max_bytes=max_bytes) as tenant:
            client = tenant.client
            measure_uploads(plain_upload, tenant, runs, upload_mb, progress)

            case_id = new_case(client, 2, attempts=40, contact=True)
            body = {"kind": "prefecture_letter", "firm_statistics": True}
            path = f"/api/v1/cases/{case_id}/documents"
            created(client.post(path, json=body))
            for n in range(runs):
                progress(f"{letter.name} {n + 1}/{runs}")
                measure(letter, tenant.database, partial(client.post, path, json=body))

            warm_id = new_case(client, 3)
            created(upload(client, warm_id, screenshot(0.1), "warm-up.png"))
            created(client.post(f"/api/v1/cases/{warm_id}/integrity-attestations"))
            case_id = new_case(client, 4, attempts=3)
            for n in range(3):
                progress(f"uploading screenshot {n + 1}/3")
                created(upload(client, case_id, screenshot(shot_mb), f"capture-{n}.png"))
            path = f"/api/v1/cases/{case_id}/integrity-attestations"
            for n in range(runs):
                progress(f"{attestation.name} {n + 1}/{runs}")
                measure(attestation, tenant.database, partial(client.post, path))

            with slow_resolver(RESOLVER_DELAY_SECONDS):
                hook = {"url": f"https://{WEBHOOK_HOST}/hook/warm-up", "event_types": ["*"]}
                created(client.post("/api/v1/webhooks", json=hook))
                for n in range(runs):
                    progress(f"{webhook.name} {n + 1}/{runs}")
                    hook = {"url": f"https://{WEBHOOK_HOST}/hook/{n}", "event_types": ["*"]}
                    send = partial(client.post, "/api/v1/webhooks", json=hook)
                    measure(webhook, tenant.database, send)
            source = TEMPLATES.joinpath("prefecture_letter.docx").read_bytes()
            path = "/api/v1/templates/prefecture_letter"
            headers = {"content-type": "application/octet-stream"}
            for n in range(runs):
                progress(f"{template.name} {n + 1}/{runs}")
                send = partial(client.put, path, content=source, headers=headers)
                measure(template, tenant.database, send)
        with firm(root, sealed=True, max_bytes=max_bytes) as tenant:
            measure_uploads(sealed_upload, tenant, runs, upload_mb, progress)
    progress("done")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"SQLite {sqlite3.sqlite_version}, WAL; watcher probes every "
        f"{PROBE_SECONDS * 1000:.0f} ms; lock hold = longest span another writer was refused"
    )
    print(
        f"{'write':<44} {'runs':>4}  {'min':>8} {'median':>8} {'max':>8}  "
        f"{'request':>11}  {'held':>6}"
    )
    print(f"{'':<44} {'':>4}  {'lock held (ms)':>26}  {'median (ms)':>11}  {'share':>6}")
    for write in (plain_upload, sealed_upload, letter, attestation, webhook, template):
        print(write.line())


if __name__ == "__main__":
    main()
