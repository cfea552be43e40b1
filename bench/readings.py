"""Screenshot readings: how long Tesseract takes per capture, and whether uploads slow down.

    .venv/bin/python -m bench.readings [--captures 20] [--uploads 40]

1. Reads drawn captures (phone and desktop, clean and noisy JPEG) with the engine the worker
   uses, one after the other: mean and p95 seconds per capture.
2. Uploads screenshots one at a time to a real server (SQLite, embedded worker on, as `make
   run`), with readings on and then off, two alternated rounds each: upload latency p50/p95.
   With readings on, the worker reads while uploads go on; the upload itself only adds a job.
"""

import argparse
import statistics
import time

import httpx2 as httpx

from app.evidence.reading import ocr
from bench.common import admin_key, fresh_database, percentile, running_server
from tests.evidence.reading import screens


def _capture(n: int) -> bytes:
    """Phone and desktop, clean PNG and noisy JPEG, in turn."""
    kind = n % 4
    if kind == 0:
        return screens.phone(f"09:{n % 60:02d}")
    if kind == 1:
        return screens.phone(f"10:{n % 60:02d}", noise=True, jpeg=True)
    if kind == 2:
        return screens.desktop(f"14:{n % 60:02d}")
    return screens.desktop(f"15:{n % 60:02d}", noise=True, jpeg=True)


def _captures(count: int) -> list[bytes]:
    return [_capture(n) for n in range(count)]


def _named(n: int, image: bytes) -> tuple[str, bytes, str]:
    if image.startswith(b"\xff\xd8"):
        return f"capture-{n}.jpg", image, "image/jpeg"
    return f"capture-{n}.png", image, "image/png"


def reading_times(count: int) -> list[float]:
    times = []
    for image in _captures(count):
        started = time.perf_counter()
        ocr.read_text(image)
        times.append(time.perf_counter() - started)
    return times


def upload_latencies(uploads: int, readings: bool) -> list[float]:
    images = _captures(4)
    with fresh_database(None) as db:
        key = admin_key(db.engine)
        headers = {"Authorization": f"Bearer {key}"}
        with running_server(db, CRENEAU_READINGS=str(readings).lower(),
                            CRENEAU_EMBEDDED_WORKER="true") as base:  # fmt: skip
            client = httpx.post(
                f"{base}/api/v1/clients",
                json={"civility": "madame", "last_name": "Bench", "first_names": "Ocr"},
                headers=headers,
            ).json()
            case = httpx.post(
                f"{base}/api/v1/cases",
                json={"client_id": client["id"], "department_code": "93",
                      "procedure_code": "etudiant", "booking_channel": "anef"},
                headers=headers,
            ).json()  # fmt: skip
            latencies = []
            for n in range(uploads):
                started = time.perf_counter()
                response = httpx.post(
                    f"{base}/api/v1/cases/{case['id']}/evidence",
                    data={"kind": "screenshot", "description": f"capture {n}"},
                    files={"file": _named(n, images[n % 4])},
                    headers=headers,
                    timeout=60,
                )
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
            return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=40)
    args = parser.parse_args()
    print(f"engine: {ocr.engine()}")
    times = reading_times(args.captures)
    print(f"reading: {len(times)} captures, mean {statistics.mean(times):.2f} s, "
          f"p95 {percentile(times, 95):.2f} s", flush=True)  # fmt: skip
    results: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(2):
        for readings in (True, False):
            results[readings] += upload_latencies(args.uploads, readings)
    for readings, latencies in results.items():
        ms = [x * 1000 for x in latencies]
        state = "on " if readings else "off"
        p50, p95 = percentile(ms, 50), percentile(ms, 95)
        print(f"upload with readings {state}: {len(ms)} uploads, p50 {p50:.0f} ms, "
              f"p95 {p95:.0f} ms", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
