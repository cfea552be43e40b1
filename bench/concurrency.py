"""Concurrent writers against a real server, SQLite and PostgreSQL side by side.

    .venv/bin/python -m bench.concurrency [--pg postgresql+psycopg://postgres@127.0.0.1/test]

Four rounds of 50 writers released together (threads, one connection each):
attempts, uploads, PATCH with the same If-Match, and POSTs with the same Idempotency-Key.
The goal: no 5xx at all; the losers of a race get 412 (If-Match) or the first answer / 409
(Idempotency-Key), exactly as on PostgreSQL. Then a slow-client round: 30 uploads sent at
1 KB/s while 50 quick reads run; the reads must not wait for the uploads (no connection is
held while a body streams in).
"""

import argparse
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx2 as httpx
from sqlalchemy import Engine
from sqlmodel import Session

from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.auth.security import generate_api_key
from bench.common import fresh_database, running_server
from tests.builders import make_case
from tests.evidence import files

WRITERS = 50


def _seed(db_engine: Engine) -> tuple[str, str]:
    with Session(db_engine) as session:
        user = User(email="bench@cabinet-avocats.fr", full_name="Bench", role=Role.lawyer)
        session.add(user)
        session.flush()
        new = generate_api_key()
        session.add(
            ApiKey(name="bench", role=Role.lawyer, lookup=new.lookup,
                   secret_hash=new.secret_hash, owner_id=user.id)
        )  # fmt: skip
        case_id = str(make_case(session, reference="CRN-2026-80001").id)
        session.commit()
    return new.secret, case_id


def _together(count: int, call: Callable[[httpx.Client, int], httpx.Response], base: str,
              key: str) -> tuple[Counter[int], float]:  # fmt: skip
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"},
                          timeout=60) as client:  # fmt: skip
            barrier.wait()
            status = call(client, n).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses), time.perf_counter() - started


def _rounds(base: str, key: str, case_id: str) -> list[tuple[str, Counter[int], float]]:
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    results = []

    def attempt(client: httpx.Client, n: int) -> httpx.Response:
        at = (when + timedelta(minutes=n)).isoformat()
        return client.post(
            f"/api/v1/cases/{case_id}/attempts", json={"attempted_at": at, "outcome": "no_slot"}
        )

    def upload(client: httpx.Client, n: int) -> httpx.Response:
        return client.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": (f"c{n}.png", files.png(color=f"#{n * 5:02x}4060"), "image/png")},
            data={"kind": "screenshot"},
        )

    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
        etag = client.get(f"/api/v1/cases/{case_id}").headers["etag"]

    def patch(client: httpx.Client, n: int) -> httpx.Response:
        return client.patch(f"/api/v1/cases/{case_id}", json={"site": f"guichet {n}"},
                            headers={"If-Match": etag})  # fmt: skip

    same_key = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}

    def idempotent(client: httpx.Client, n: int) -> httpx.Response:
        body = {"attempted_at": (when - timedelta(days=1)).isoformat(), "outcome": "no_slot"}
        return client.post(f"/api/v1/cases/{case_id}/attempts", json=body, headers=same_key)

    for name, call in (("attempts", attempt), ("uploads", upload), ("If-Match", patch),
                       ("Idempotency-Key", idempotent)):  # fmt: skip
        statuses, seconds = _together(WRITERS, call, base, key)
        results.append((name, statuses, seconds))
    return results


def _slow_body(size: int, rate: int) -> Iterator[bytes]:
    """A multipart body sent at ``rate`` bytes per second."""
    head = (b'--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscreenshot\r\n'
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="s.png"\r\n'
            b"Content-Type: image/png\r\n\r\n")  # fmt: skip
    data = files.png(200, 200)
    body = head + data + b"\r\n--B--\r\n"
    step = max(1, rate // 4)
    for start in range(0, len(body), step):
        yield body[start : start + step]
        time.sleep(step / rate)
    _ = size


def _slow_round(base: str, key: str, case_id: str) -> tuple[list[float], Counter[int]]:
    """30 uploads at 1 KB/s, and meanwhile 50 reads: how long do the reads take?"""
    stop = threading.Event()
    upload_statuses: list[int] = []

    headers = {"Authorization": f"Bearer {key}", "Content-Type": "multipart/form-data; boundary=B"}

    def slow_upload() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
            response = c.post(f"/api/v1/cases/{case_id}/evidence", content=_slow_body(0, 1024))
            upload_statuses.append(response.status_code)

    uploaders = [threading.Thread(target=slow_upload) for _ in range(30)]
    for thread in uploaders:
        thread.start()
    time.sleep(2)  # every upload is now streaming
    latencies = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
        for _ in range(50):
            started = time.perf_counter()
            c.get(f"/api/v1/cases/{case_id}").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    stop.set()
    for thread in uploaders:
        thread.join()
    return latencies, Counter(upload_statuses)


def run(label: str, url: str | None) -> None:
    with fresh_database(url) as db:
        key, case_id = _seed(db.engine)
        with running_server(db, workers=2) as base:
            for name, statuses, seconds in _rounds(base, key, case_id):
                errors = sum(n for s, n in statuses.items() if s >= 500)
                print(f"{label:10} {name:16} {dict(sorted(statuses.items()))}  5xx: {errors}  "
                      f"{WRITERS / seconds:6.1f} req/s")  # fmt: skip
            latencies, uploads = _slow_round(base, key, case_id)
            median, worst = statistics.median(latencies), max(latencies)
            print(f"{label:10} 30 uploads at 1 KB/s: {dict(uploads)}; 50 reads meanwhile: "
                  f"median {median:.1f} ms, max {worst:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL server URL (a fresh database is created)")
    args = parser.parse_args()
    run("SQLite", None)
    if args.pg:
        run("PostgreSQL", args.pg)


if __name__ == "__main__":
    main()
