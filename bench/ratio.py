"""Créneau's read path against the framework's own speed, in one run.

    .venv/bin/python -m bench.ratio [--pg postgresql+psycopg://postgres@127.0.0.1/test] [--rounds 3]

Starts a bare FastAPI app (one async and one sync endpoint) and Créneau under the same uvicorn
settings (one worker, loopback), loads each endpoint with wrk (2 threads, 32 connections, 5 s)
in alternated rounds, and prints one line per endpoint: the median requests/s over the rounds,
their spread, and last the ratio to the bare async endpoint of the same run.
Needs `wrk` (Debian package `wrk`).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
from sqlmodel import Session

from bench.common import _free_port, admin_key, fresh_database, running_server
from tests.builders import make_case

DURATION = "5s"
BARE_APP = textwrap.dedent(
    """
    from fastapi import FastAPI
    app = FastAPI()

    @app.get("/async")
    async def bare_async() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/sync")
    def bare_sync() -> dict[str, str]:
        return {"status": "ok"}
    """
)


@contextmanager
def bare_server(tmp: Path) -> Iterator[str]:
    (tmp / "bare_app.py").write_text(BARE_APP)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=tmp,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/async", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(url: str, key: str | None = None) -> float:
    args = ["wrk", "-t2", "-c32", f"-d{DURATION}", url]
    if key:
        args[1:1] = ["-H", f"Authorization: Bearer {key}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error answers\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def run(label: str, url: str | None, rounds: int) -> None:
    with fresh_database(url) as db:
        key = admin_key(db.engine)
        with Session(db.engine) as session:
            case_id = str(make_case(session, reference="CRN-2026-90001").id)
            session.commit()
        results: dict[str, list[float]] = defaultdict(list)
        with (
            bare_server(db.data_dir) as bare,
            running_server(db, CRENEAU_EMBEDDED_WORKER="false") as app,
        ):
            endpoints = [
                ("bare async", f"{bare}/async", None),
                ("bare sync", f"{bare}/sync", None),
                ("GET /health", f"{app}/health", None),
                ("GET /api/v1/users/me", f"{app}/api/v1/users/me", key),
                ("GET /api/v1/cases/{id}", f"{app}/api/v1/cases/{case_id}", key),
                ("GET /api/v1/cases?limit=50", f"{app}/api/v1/cases?limit=50", key),
                (
                    "GET /api/v1/cases/{id}/readiness",
                    f"{app}/api/v1/cases/{case_id}/readiness",
                    key,
                ),
            ]
            for _ in range(rounds):
                for name, target, credential in endpoints:
                    results[name].append(wrk(target, credential))
        base = statistics.median(results["bare async"])
        for name, _, _ in endpoints:
            samples = results[name]
            median = statistics.median(samples)
            print(
                f"{label:10} {name:34} {median:8.0f} req/s  "
                f"({min(samples):.0f} to {max(samples):.0f})  ratio {median / base:.3f}"
            )


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL server URL (a fresh database is created)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    run("SQLite", None, args.rounds)
    if args.pg:
        run("PostgreSQL", args.pg, args.rounds)


if __name__ == "__main__":
    main()
