"""Kill the server with SIGKILL while it takes uploads and writes, restart it, and check that
everything it acknowledged is intact.

    .venv/bin/python -m bench.fault_kill [--pg postgresql+psycopg://postgres@127.0.0.1/test]

Three uploaders and one attempt writer run against a real server; after a few seconds the
server is killed without warning (SIGKILL, as a crash or an OOM kill would). A new server is
started on the same database and storage: every upload and attempt that got a 201 must be
there, each upload's bytes must hash to what was acknowledged, `creneau storage verify` must
pass, and `creneau storage gc` then removes the staging files the crash left behind.
Exits non-zero on any loss.
"""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx2 as httpx

from bench.common import ROOT, fresh_database, running_server
from bench.concurrency import _seed
from tests.evidence import files

RUN_SECONDS = 4


@dataclass
class Load:
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (id, sha256) acknowledged
    attempts: list[str] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)


def _load(base: str, key: str, case_id: str, stop: threading.Event) -> Load:
    load = Load()
    uploads, attempts = load.uploads, load.attempts
    lock = threading.Lock()

    def uploader(n: int) -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10
        ) as c:
            i = 0
            while not stop.is_set():
                data = files.png(300, 200, color=f"#{(n * 40 + i) % 255:02x}{i % 255:02x}60")
                try:
                    r = c.post(
                        f"/api/v1/cases/{case_id}/evidence",
                        files={"file": ("c.png", data, "image/png")},
                        data={"kind": "screenshot"},
                    )
                except httpx.TransportError:
                    return  # the server died mid-request: not acknowledged
                if r.status_code == 201:
                    assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()
                    with lock:
                        uploads.append((r.json()["id"], r.json()["sha256"]))
                i += 1

    def writer() -> None:
        when = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10
        ) as c:
            i = 0
            while not stop.is_set():
                at = (when + timedelta(minutes=i)).isoformat()
                try:
                    r = c.post(
                        f"/api/v1/cases/{case_id}/attempts",
                        json={"attempted_at": at, "outcome": "no_slot"},
                    )
                except httpx.TransportError:
                    return
                if r.status_code == 201:
                    with lock:
                        attempts.append(r.json()["id"])
                i += 1

    load.threads = [threading.Thread(target=uploader, args=(n,)) for n in range(3)]
    load.threads.append(threading.Thread(target=writer))
    for thread in load.threads:
        thread.start()
    return load


def run(label: str, url: str | None) -> bool:
    with fresh_database(url) as db:
        key, case_id = _seed(db.engine)
        pid: list[int] = []
        stop = threading.Event()
        with running_server(db, pid=pid) as base:
            load = _load(base, key, case_id, stop)
            time.sleep(RUN_SECONDS)
            os.kill(pid[0], signal.SIGKILL)
            stop.set()
            for thread in load.threads:
                thread.join()
        uploads, attempts = load.uploads, load.attempts
        staged = list((db.data_dir / "blobs" / "staging").glob("*.part"))
        with (
            running_server(db) as base,
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as c,
        ):
            lost = [
                i
                for i, sha in uploads
                if hashlib.sha256(c.get(f"/api/v1/evidence/{i}/content").content).hexdigest() != sha
            ]
            listed = c.get(f"/api/v1/cases/{case_id}/attempts", params={"limit": 200}).json()
            items = listed["items"] if isinstance(listed, dict) else listed
            known = {a["id"] for a in items}
            while isinstance(listed, dict) and listed.get("next_cursor"):
                listed = c.get(
                    f"/api/v1/cases/{case_id}/attempts",
                    params={"limit": 200, "cursor": listed["next_cursor"]},
                ).json()
                known |= {a["id"] for a in listed["items"]}
            missing = [a for a in attempts if a not in known]
            chain = c.get(f"/api/v1/cases/{case_id}/evidence/verification").json()
        env = os.environ | {
            "DATABASE_URL": db.url,
            "CRENEAU_DATA_DIR": str(db.data_dir),
            "CRENEAU_SECRET_KEY": "b" * 40,
        }
        verify = subprocess.run(
            [sys.executable, "-m", "app.cli", "storage", "verify"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        gc = subprocess.run(
            [sys.executable, "-m", "app.cli", "storage", "gc", "--grace-hours", "0"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        left = list((db.data_dir / "blobs" / "staging").glob("*.part"))
    ok = not lost and not missing and chain["intact"] and verify.returncode == 0 and not left
    print(
        f"{label:10} acknowledged: {len(uploads)} uploads, {len(attempts)} attempts; "
        f"lost uploads {len(lost)}, lost attempts {len(missing)}; chain intact {chain['intact']} "
        f"({chain['chain_length']} entries); storage verify exit {verify.returncode}; "
        f"staging files left by the kill {len(staged)}, after gc {len(left)} "
        f"({gc.stdout.strip().splitlines()[-1] if gc.stdout.strip() else gc.stderr[-200:]})"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL server URL (a fresh database is created)")
    args = parser.parse_args()
    ok = run("SQLite", None)
    if args.pg:
        ok = run("PostgreSQL", args.pg) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
