"""Créneau's read path against the framework's own speed, in one run.

    .venv/bin/python -m bench.ratio [--pg postgresql+psycopg://postgres@127.0.0.1/test]
                                    [--rounds 3] [--workers 1] [--cases 100000]

Loads a firm of 100 000 clients and cases (as `bench.cases_list` does), starts a bare FastAPI
app (one async and one sync endpoint) and Créneau under the same uvicorn settings (same number
of workers, loopback), loads each endpoint with wrk (2 threads, 32 connections, 5 s) in
alternated rounds, and prints one line per endpoint: the median requests/s over the rounds,
their spread, the p95 latency of 50 sequential requests, and last the ratio to the bare async
endpoint of the same run. Needs `wrk` (Debian package `wrk`).
"""

import argparse
import os
import random
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
from sqlmodel import Session, col, select

from app.cases.models import Case
from bench import cases_list
from bench.common import _free_port, admin_key, fresh_database, percentile, running_server

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
def bare_server(tmp: Path, workers: int) -> Iterator[str]:
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
            "--workers",
            str(workers),
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


def p95_ms(url: str, key: str | None) -> float:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    samples = []
    with httpx.Client(headers=headers, timeout=30) as http:
        http.get(url).raise_for_status()
        for _ in range(50):
            started = time.perf_counter()
            http.get(url).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 95)


def run(label: str, url: str | None, rounds: int, workers: int, cases: int) -> None:
    with fresh_database(url) as db:
        context = cases_list.load(db.engine, cases, random.Random(42))
        key = admin_key(db.engine)
        with Session(db.engine) as session:
            case_id = str(session.exec(select(Case.id).order_by(col(Case.reference))).first())
        results: dict[str, list[float]] = defaultdict(list)
        with (
            bare_server(db.data_dir, workers) as bare,
            running_server(db, workers=workers, CRENEAU_EMBEDDED_WORKER="false") as app,
        ):
            endpoints = [
                ("bare async", f"{bare}/async", None),
                ("bare sync", f"{bare}/sync", None),
                ("GET /health", f"{app}/health", None),
                ("GET /api/v1/users/me", f"{app}/api/v1/users/me", key),
                ("GET /api/v1/cases/{id}", f"{app}/api/v1/cases/{case_id}", key),
                ("GET /api/v1/cases?limit=50", f"{app}/api/v1/cases?limit=50", key),
                (
                    "GET /api/v1/cases?lawyer_id&stage",
                    f"{app}/api/v1/cases?limit=50&stage=prefecture_contact"
                    f"&lawyer_id={context['lawyer']}",
                    key,
                ),
                (
                    "GET /api/v1/cases/{id}/readiness",
                    f"{app}/api/v1/cases/{case_id}/readiness",
                    key,
                ),
            ]
            latency = {name: p95_ms(target, credential) for name, target, credential in endpoints}
            for _ in range(rounds):
                for name, target, credential in endpoints:
                    results[name].append(wrk(target, credential))
        base = statistics.median(results["bare async"])
        print(f"{label}, {cases} cases, {workers} worker(s), {rounds} rounds")
        for name, _, _ in endpoints:
            samples = results[name]
            median = statistics.median(samples)
            print(
                f"{label:10} {name:34} {median:8.0f} req/s  "
                f"({min(samples):.0f} to {max(samples):.0f})  p95 {latency[name]:5.1f} ms  "
                f"ratio {median / base:.3f}",
                flush=True,
            )


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL server URL (a fresh database is created)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    run("SQLite", None, args.rounds, args.workers, args.cases)
    if args.pg:
        run("PostgreSQL", args.pg, args.rounds, args.workers, args.cases)


if __name__ == "__main__":
    main()
