"""Batches of 1 000 attempts, and the agenda of a firm with 10 000 open cases.

.venv/bin/python -m bench.attempts_agenda
.venv/bin/python -m bench.attempts_agenda --database-url postgresql+psycopg://postgres@127.0.0.1/postgres
"""

import argparse
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from app.auth.models import User
from app.auth.permissions import Role
from app.cases.models import Case, UrgencyFact
from app.clients.models import Client
from app.contacts.models import PrefectureContact
from app.events import service as events
from app.prefectures.models import Prefecture
from app.proceedings.models import Proceeding
from bench.common import admin_key, fresh_database, running_server, summary

MESSAGE = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."


@dataclass(frozen=True)
class Mix:
    """How a firm's open files are spread; shares are fractions of the cases."""

    stages: tuple[str, ...]
    letter_share: float
    letter_age_days: int
    injunction_share: float
    injunction_age_days: int
    hearing_share: float
    expiry_span_days: tuple[int, int]
    urgency_share: float
    urgency_span_days: int


MIXES = {
    # What a busy firm looks like: half the files still at the attempts stage, letters for the
    # others, one file in twenty under an injunction, documents expiring over two years.
    "realistic": Mix(
        stages=("attempts",) * 10 + ("prefecture_contact",) * 7 + ("interim_relief",) * 3,
        letter_share=1.0,
        letter_age_days=60,
        injunction_share=0.05,
        injunction_age_days=60,
        hearing_share=0.10,
        expiry_span_days=(0, 730),
        urgency_share=0.5,
        urgency_span_days=365,
    ),
    # A stress case: every file with a recent letter, a third under a fresh injunction.
    "dense": Mix(
        stages=("attempts", "prefecture_contact", "interim_relief"),
        letter_share=1.0,
        letter_age_days=120,
        injunction_share=1 / 3,
        injunction_age_days=60,
        hearing_share=0.0,
        expiry_span_days=(-30, 400),
        urgency_share=1.0,
        urgency_span_days=200,
    ),
}


def load_firm(engine: Engine, cases: int, mix: Mix, rng: random.Random) -> None:
    now = datetime.now(UTC)
    today = date.today()
    common = {"created_at": now, "updated_at": now, "version": 1}
    with engine.begin() as conn:
        departments = list(conn.execute(select(Prefecture.department_code)).scalars())
        lawyer = uuid.uuid4()
        conn.execute(
            insert(User),
            [{"id": lawyer, "email": "avocat@cabinet-avocats.fr", "full_name": "Avocat",
              "role": Role.lawyer, "is_active": True, "created_at": now, "updated_at": now}],
        )  # fmt: skip
        rows: dict[type, list[dict[str, Any]]] = {
            t: [] for t in (Client, Case, PrefectureContact, Proceeding, UrgencyFact)
        }
        for n in range(cases):
            client_id, case_id = uuid.uuid4(), uuid.uuid4()
            stage = rng.choice(mix.stages)
            expiry = today + timedelta(days=rng.randrange(*mix.expiry_span_days))
            rows[Client].append(
                common | {"id": client_id, "civility": "madame", "last_name": f"Client-{n}",
                "first_names": "A", "search_name": f"client-{n} a", "birth_place": "",
                "nationality": "", "address": "", "residence_document_type": "recepisse",
                "residence_document_expiry_date": expiry, "has_oqtf": False,
                "oqtf_executed": False, "legal_aid_status": "none"}
            )  # fmt: skip
            rows[Case].append(
                common | {"id": case_id, "reference": f"CRN-2026-{n + 1:05d}",
                "client_id": client_id, "department_code": rng.choice(departments), "site": "",
                "procedure_code": "aes_vie_privee", "aes_motif": "vie_privee_familiale",
                "is_renewal": False, "file_complete": False,
                "booking_channel": "rdv_prefecture", "assigned_lawyer_id": lawyer,
                "stage": stage, "opened_at": now}
            )  # fmt: skip
            if stage != "attempts" and rng.random() < mix.letter_share:
                sent = today - timedelta(days=rng.randrange(1, mix.letter_age_days))
                rows[PrefectureContact].append(
                    common | {"id": uuid.uuid4(), "case_id": case_id,
                    "channel": "registered_letter", "sent_date": sent, "recipient": "",
                    "delivered_date": sent + timedelta(days=2), "summary": "",
                    "response_summary": "", "response_outcome": "none",
                    "created_by_user_id": lawyer}
                )  # fmt: skip
            # executemany wants every row to carry the same keys
            proceeding = common | dict.fromkeys(
                ("filed_date", "hearing_at", "decision_date", "outcome", "injunction_delay_days",
                 "astreinte_per_day_cents", "notification_date"),
            ) | {"id": uuid.uuid4(), "case_id": case_id, "tribunal_code": "montreuil",
                 "appointment_place": "", "created_by_user_id": lawyer}  # fmt: skip
            if rng.random() < mix.injunction_share:
                notified = today - timedelta(days=rng.randrange(0, mix.injunction_age_days))
                rows[Proceeding].append(
                    proceeding | {"filed_date": notified - timedelta(days=20),
                    "decision_date": notified, "outcome": "injunction",
                    "injunction_delay_days": 15, "astreinte_per_day_cents": 10000,
                    "notification_date": notified}
                )  # fmt: skip
            elif rng.random() < mix.hearing_share:
                hearing = now + timedelta(days=rng.randrange(1, 30), hours=rng.randrange(0, 8))
                rows[Proceeding].append(
                    proceeding | {"filed_date": today - timedelta(days=10), "hearing_at": hearing}
                )
            if rng.random() < mix.urgency_share:
                rows[UrgencyFact].append(
                    {"id": uuid.uuid4(), "case_id": case_id, "kind": "employment",
                     "fact_date": today + timedelta(days=rng.randrange(0, mix.urgency_span_days)),
                     "description": "Échéance"}
                )  # fmt: skip
        for table, batch in rows.items():
            for offset in range(0, len(batch), 5000):
                conn.execute(insert(table), batch[offset : offset + 5000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    if engine.dialect.name == "sqlite":
        # The load's pages leave the write-ahead log now, as they would have long before in a
        # firm's database: otherwise the first batch timed pays for checkpointing them.
        engine.dispose()
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def settle(engine: Engine, timeout: float = 120) -> None:
    """Wait until the server's worker has numbered the batches' 10 000 events: the agenda is
    timed on its own, not racing that burst for the same process (it doubled the p95)."""
    deadline = time.monotonic() + timeout
    with Session(engine) as session:
        while events.has_unnumbered(session):
            session.rollback()
            assert time.monotonic() < deadline, "the worker did not number the events"
            time.sleep(0.2)


def batch_of(n: int, start: datetime) -> dict[str, Any]:
    return {
        "attempts": [
            {
                "attempted_at": (start + timedelta(minutes=37 * i)).isoformat(),
                "outcome": "no_slot",
                "message": MESSAGE,
                "page_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/",
                "procedure_selected": "Admission exceptionnelle au séjour",
            }
            for i in range(n)
        ]
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--mix", choices=sorted(MIXES), default="realistic")
    args = parser.parse_args()
    with fresh_database(args.database_url) as db:
        print(f"backend: {db.engine.dialect.name}, {args.cases} open cases, {args.mix} mix")
        load_firm(db.engine, args.cases, MIXES[args.mix], random.Random(7))
        key = admin_key(db.engine)
        with (
            running_server(db) as base,
            httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60
            ) as http,
        ):
            case_ids = [
                c["id"] for c in http.get("/api/v1/cases", params={"limit": 20}).json()["items"]
            ]
            # One warm-up batch on another case, as the agenda gets one warm-up call: the first
            # write after start-up is the slowest (0.8 to 0.9 s on SQLite, against 0.3 s after).
            warm = http.post(f"/api/v1/cases/{case_ids[-1]}/attempts/batch",
                             json=batch_of(1000, datetime(2024, 1, 1, tzinfo=UTC)))  # fmt: skip
            assert warm.status_code == 201, warm.text
            batch_ms = []
            for n, case_id in enumerate(case_ids[: args.rounds // 2]):
                start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=40 * n)
                began = time.perf_counter()
                response = http.post(
                    f"/api/v1/cases/{case_id}/attempts/batch", json=batch_of(1000, start)
                )
                batch_ms.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 201, response.text
                assert response.json()["created"] == 1000
            print(
                f"batch of 1000 attempts         {summary(batch_ms)}  max {max(batch_ms):6.1f} ms"
            )
            settle(db.engine)
            for label, days in (("agenda, 30 days (default)", 30), ("agenda, 90 days", 90)):
                end = (date.today() + timedelta(days=days)).isoformat()
                http.get("/api/v1/agenda", params={"to": end}).raise_for_status()
                samples = []
                for _ in range(args.rounds):
                    began = time.perf_counter()
                    response = http.get("/api/v1/agenda", params={"to": end})
                    samples.append((time.perf_counter() - began) * 1000)
                    response.raise_for_status()
                print(f"{label:30s} {summary(samples)}  ({len(response.json())} deadlines)")


if __name__ == "__main__":
    main()
