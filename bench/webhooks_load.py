"""Webhooks under load on PostgreSQL: two API processes, two workers, a healthy receiver.

    .venv/bin/python -m bench.webhooks_load --pg postgresql+psycopg://postgres@127.0.0.1/postgres

Round 1 writes 1 000 events (a client, 20 cases and attempts on them, through both API
processes from 8 threads)
and checks every event reaches the receiver exactly once (counted by `webhook-id`) and is in
the change feed, in feed order, none missing. Round 2 writes 1 000 more and kills one worker
with SIGKILL while it delivers: nothing may be lost (its claimed jobs are taken over after
the lease; a delivery it sent but could not record may arrive twice, which `webhook-id`
lets receivers ignore). Prints events per second (write to last delivery) and the delay from
an event's commit to its delivery (p50, p95).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2 as httpx

from bench.common import (
    ROOT,
    BenchDatabase,
    admin_key,
    fresh_database,
    percentile,
    running_server,
)

LEASE_SECONDS = 10
CASES = 20


class Receiver:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrivals: list[tuple[str, float, float]] = []  # (webhook-id, event time, arrival)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                event = json.loads(body)
                at = datetime.fromisoformat(event["timestamp"]).timestamp()
                with receiver.lock:
                    receiver.arrivals.append((self.headers["webhook-id"], at, time.time()))
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ids(self) -> Counter[str]:
        with self.lock:
            return Counter(webhook_id for webhook_id, _, _ in self.arrivals)


def _worker(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"], env=env, cwd=ROOT, stdout=log, stderr=log
    )


def _write(
    bases: list[str], headers: dict[str, str], cases: list[str], count: int, start: datetime
) -> None:
    def one(n: int) -> None:
        base, case_id = bases[n % len(bases)], cases[n % len(cases)]
        at = (start + timedelta(minutes=n)).isoformat()
        response = httpx.post(
            f"{base}/api/v1/cases/{case_id}/attempts",
            json={"attempted_at": at, "outcome": "no_slot"},
            headers=headers,
            timeout=30,
        )
        response.raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(count)))


def _feed(base: str, headers: dict[str, str]) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        params = {"limit": 200} | ({"after": cursor} if cursor else {})
        page = httpx.get(f"{base}/api/v1/events", params=params, headers=headers, timeout=30).json()
        ids += [item["data"]["id"] for item in page["items"]]
        if not page["items"]:
            return ids
        cursor = page["next_cursor"]


def _wait_for(receiver: Receiver, wanted: set[str], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wanted <= set(receiver.ids()):
            return time.monotonic()
        time.sleep(0.1)
    missing = len(wanted - set(receiver.ids()))
    raise RuntimeError(f"{missing} events never arrived")


def _api(db: BenchDatabase) -> AbstractContextManager[str]:
    return running_server(
        db,
        CRENEAU_EMBEDDED_WORKER="false",
        CRENEAU_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        CRENEAU_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
    )


def run(pg: str) -> None:
    receiver = Receiver()
    with fresh_database(pg) as db:
        key = admin_key(db.engine)
        headers = {"Authorization": f"Bearer {key}"}
        settings_env = {
            "CRENEAU_EMBEDDED_WORKER": "false",
            "CRENEAU_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "CRENEAU_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        with _api(db) as one, _api(db) as two:
            env = (
                os.environ
                | {
                    "DATABASE_URL": db.url,
                    "CRENEAU_DATA_DIR": str(db.data_dir),
                    "CRENEAU_SECRET_KEY": "b" * 40,
                    "CRENEAU_LOG_LEVEL": "WARNING",
                }
                | settings_env
            )
            log = (db.data_dir / "workers.log").open("w")
            workers = [_worker(env, log), _worker(env, log)]
            try:
                hook = httpx.post(
                    f"{one}/api/v1/webhooks",
                    json={"url": receiver.url, "event_types": ["*"]},
                    headers=headers,
                ).json()
                client = httpx.post(
                    f"{one}/api/v1/clients",
                    json={"civility": "madame", "last_name": "Bench", "first_names": "Load"},
                    headers=headers,
                ).json()
                start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

                # Round 1: 20 cases and 979 attempts across them, with the client: 1 000 events.
                began = time.monotonic()
                cases = [
                    httpx.post(
                        f"{one}/api/v1/cases",
                        json={"client_id": client["id"], "department_code": "93",
                              "procedure_code": "etudiant", "booking_channel": "anef"},
                        headers=headers,
                    ).json()["id"]
                    for _ in range(CASES)
                ]  # fmt: skip
                _write([one, two], headers, cases, 1000 - 1 - CASES, start)
                written = time.monotonic()
                fed = _feed(one, headers)
                done = _wait_for(receiver, set(fed), timeout=300)
                counts = receiver.ids()
                duplicates = sum(n - 1 for n in counts.values() if n > 1)
                delays = [arrival - at for _, at, arrival in receiver.arrivals]
                print(f"round 1: {len(fed)} events in the feed, {len(counts)} delivered, "
                      f"{duplicates} duplicates; {len(fed) / (done - began):.0f} events/s "
                      f"(writes took {written - began:.1f} s); commit→delivery "
                      f"p50 {percentile(delays, 50) * 1000:.0f} ms, "
                      f"p95 {percentile(delays, 95) * 1000:.0f} ms", flush=True)  # fmt: skip
                assert len(set(fed)) == len(fed) == 1000, len(fed)
                assert set(counts) == set(fed)
                assert duplicates == 0

                # Round 2: 1 000 more, one worker killed while it delivers.
                before = len(receiver.arrivals)
                began = time.monotonic()
                writer = threading.Thread(
                    target=_write,
                    args=([one, two], headers, cases, 1000, start + timedelta(days=30)),
                )
                writer.start()
                while len(receiver.arrivals) < before + 200:
                    time.sleep(0.01)
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait()
                writer.join()
                fed_all = _feed(one, headers)
                new = set(fed_all) - set(fed)
                done = _wait_for(receiver, new, timeout=300 + LEASE_SECONDS)
                counts = receiver.ids()
                duplicates = sum(n - 1 for i, n in counts.items() if i in new and n > 1)
                print(f"round 2 (SIGKILL on a worker): {len(new)} new events, "
                      f"{len(new & set(counts))} delivered, {duplicates} delivered twice, "
                      f"0 lost; last delivery {done - began:.1f} s after the first write "
                      f"(lease {LEASE_SECONDS} s)", flush=True)  # fmt: skip
                assert len(new) == 1000
                deliveries = httpx.get(
                    f"{one}/api/v1/webhooks/{hook['id']}/deliveries?limit=1", headers=headers
                ).json()
                assert deliveries["items"][0]["status"] == "succeeded"
            finally:
                for worker in workers:
                    if worker.poll() is None:
                        worker.terminate()
                        worker.wait(timeout=15)
                log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="a PostgreSQL server URL")
    args = parser.parse_args()
    run(args.pg)


if __name__ == "__main__":
    main()
