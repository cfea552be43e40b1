"""Statistics over 100 000 attempts from 10 000 cases, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.statistics [--pg postgresql+psycopg://postgres@127.0.0.1/postgres]

Seeds 10 000 cases in four départements (half in the 93), 100 000 attempts spread over a year
at every hour, stage changes to an appointment for a fifth of the cases, letters and référés,
then times the statistics of the 93 (the largest), of all préfectures and of the tribunals
through the real server: p50 and p95 over 20 calls each.
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2 as httpx
import sqlalchemy as sa

from app.attempts.models import BookingAttempt
from app.auth.models import User
from app.cases.models import Case, StageChange
from app.clients.models import Client
from app.contacts.models import PrefectureContact
from app.db import new_id
from app.proceedings.models import Proceeding
from app.statistics import charts
from bench.common import admin_key, fresh_database, percentile, running_server

CASES = 10_000
ATTEMPTS = 100_000
DEPARTMENTS = ("93", "93", "75", "92", "13")
TABLES = {
    "clients": Client.__tablename__, "cases": Case.__tablename__,
    "booking_attempts": BookingAttempt.__tablename__, "stage_changes": StageChange.__tablename__,
    "prefecture_contacts": PrefectureContact.__tablename__,
    "proceedings": Proceeding.__tablename__,
}  # fmt: skip


def _seed(engine: sa.Engine) -> None:
    rng = random.Random(2026)
    t = {
        model.__tablename__: model.__table__  # type: ignore[union-attr]
        for model in (
            User,
            Client,
            Case,
            BookingAttempt,
            StageChange,
            PrefectureContact,
            Proceeding,
        )
    }
    with engine.begin() as conn:
        user = conn.execute(sa.select(t["users"].c.id)).scalar_one()
        start = datetime(2025, 11, 1, tzinfo=UTC)
        clients, cases, attempts, changes, contacts, proceedings = [], [], [], [], [], []
        for n in range(CASES):
            client_id, case_id = new_id(), new_id()
            clients.append({
                "id": client_id, "civility": "madame", "last_name": f"Bench{n}",
                "first_names": "Stat", "search_name": f"bench{n} stat", "birth_place": "",
                "nationality": "", "address": "", "residence_document_type": "none",
                "has_oqtf": False, "oqtf_executed": False, "legal_aid_status": "none",
                "version": 1, "created_at": start, "updated_at": start,
            })  # fmt: skip
            department = DEPARTMENTS[n % len(DEPARTMENTS)]
            first = start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60))
            cases.append({
                "id": case_id, "reference": f"CRN-B-{n:06d}", "client_id": client_id,
                "department_code": department, "site": "", "procedure_code": "etudiant",
                "is_renewal": False, "booking_channel": "anef", "file_complete": False,
                "stage": "appointment_obtained" if n % 5 == 0 else "attempts",
                "opened_at": first, "version": 1, "updated_at": first,
            })  # fmt: skip
            for k in range(ATTEMPTS // CASES):
                at = first + timedelta(days=k * 3, minutes=rng.randrange(0, 24 * 60))
                attempts.append({
                    "id": new_id(), "case_id": case_id, "attempted_at": at,
                    "outcome": "slot_offered" if rng.random() < 0.03 else "no_slot",
                    "message": "", "procedure_selected": "", "device": "mobile",
                    "recorded_by_user_id": user, "created_at": at, "source": "firm",
                    "review_status": "accepted",
                })  # fmt: skip
            if n % 5 == 0:
                changes.append({
                    "id": new_id(), "case_id": case_id, "from_stage": "attempts",
                    "to_stage": "appointment_obtained", "note": "", "actor_user_id": user,
                    "created_at": first + timedelta(days=rng.randrange(20, 200)),
                })  # fmt: skip
            if n % 3 == 0:
                contacts.append({
                    "id": new_id(), "case_id": case_id, "channel": "email",
                    "sent_date": (first + timedelta(days=10)).date(), "recipient": "",
                    "summary": "", "response_summary": "", "response_outcome": "none",
                    "version": 1, "created_by_user_id": user, "created_at": first,
                    "updated_at": first,
                })  # fmt: skip
            if n % 10 == 0:
                filed = (first + timedelta(days=40)).date()
                proceedings.append({
                    "id": new_id(), "case_id": case_id, "tribunal_code": "montreuil",
                    "filed_date": filed, "decision_date": filed + timedelta(days=10),
                    "outcome": "injunction", "astreinte_per_day_cents": 5000,
                    "appointment_at": datetime.combine(
                        filed + timedelta(days=30), datetime.min.time(), UTC
                    ),
                    "appointment_place": "", "version": 1, "created_by_user_id": user,
                    "created_at": first, "updated_at": first,
                })  # fmt: skip
        for table, rows in (("clients", clients), ("cases", cases), ("booking_attempts", attempts),
                            ("stage_changes", changes), ("prefecture_contacts", contacts),
                            ("proceedings", proceedings)):  # fmt: skip
            for offset in range(0, len(rows), 5000):
                conn.execute(t[TABLES[table]].insert(), rows[offset : offset + 5000])


def _time(base: str, headers: dict[str, str], path: str, rounds: int = 20) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = httpx.get(f"{base}{path}", headers=headers, timeout=120)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def save_charts(base: str, headers: dict[str, str], folder: Path) -> None:
    """The charts docs/statistics.md shows, drawn from this dataset."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("refusals", "days-to-appointment"):
        chart = httpx.get(f"{base}/api/v1/statistics/prefectures/93/charts/{name}.png",
                          headers=headers, timeout=120)  # fmt: skip
        chart.raise_for_status()
        (folder / f"statistics-{name}.png").write_bytes(chart.content)
    rng = random.Random(7)
    first = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
    attempts = [
        (first + timedelta(days=rng.randrange(0, 24), hours=rng.randrange(0, 15),
                           minutes=rng.randrange(0, 60)), "no_slot")
        for _ in range(26)
    ] + [(first + timedelta(days=12, hours=3), "site_unavailable")]  # fmt: skip
    (folder / "attempts-chart.png").write_bytes(
        charts.attempts_chart(attempts, ZoneInfo("Europe/Paris"))
    )


def run(pg: str | None, chart_folder: Path | None = None) -> None:
    label = "PostgreSQL" if pg else "SQLite"
    with fresh_database(pg) as db:
        key = admin_key(db.engine)
        started = time.perf_counter()
        _seed(db.engine)
        print(f"{label}: seeded {CASES} cases, {ATTEMPTS} attempts in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        headers = {"Authorization": f"Bearer {key}"}
        with running_server(db, CRENEAU_EMBEDDED_WORKER="false") as base:
            if chart_folder is not None:
                save_charts(base, headers, chart_folder)
            for path in ("/api/v1/statistics/prefectures/93", "/api/v1/statistics/prefectures",
                         "/api/v1/statistics/tribunals"):  # fmt: skip
                _time(base, headers, path, rounds=2)  # warm
                times = _time(base, headers, path)
                print(f"{label}: GET {path}: p50 {percentile(times, 50):.0f} ms, "
                      f"p95 {percentile(times, 95):.0f} ms", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL (default: SQLite only)")
    parser.add_argument("--charts", type=Path, help="also write the docs' charts here")
    args = parser.parse_args()
    run(None, args.charts)
    if args.pg:
        run(args.pg)


if __name__ == "__main__":
    main()
