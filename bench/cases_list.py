"""Case lists at scale: 100 000 clients and cases, filtered pages of 50 over HTTP.

    .venv/bin/python -m bench.cases_list                      # SQLite
    .venv/bin/python -m bench.cases_list --database-url postgresql+psycopg://postgres@127.0.0.1/postgres

Loads the rows straight into a fresh database, starts the real server, then times
each query shape sequentially (latency) and with concurrent clients (throughput).
"""

import argparse
import json
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import Engine, insert
from sqlmodel import select

from app.auth.models import User
from app.auth.permissions import Role
from app.cases.models import Case, UrgencyFact
from app.clients.models import Client, ClientNameToken
from app.clients.service import fold, name_tokens
from app.prefectures.models import Prefecture, Procedure
from bench.common import admin_key, fresh_database, running_server, summary

LAST = [
    "Martin",
    "Bernard",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Haddad",
    "Benali",
    "Kone",
    "Silva",
    "Popescu",
    "Ivanova",
    "Chen",
]
FIRST = [
    "Aïcha",
    "Mohamed",
    "Fatou",
    "Hélène",
    "Ibrahim",
    "Mariam",
    "Yacine",
    "Élodie",
    "Omar",
    "Amadou",
    "Nadia",
    "Karim",
]
STAGES = ["attempts"] * 5 + ["prefecture_contact"] * 3 + ["interim_relief", "closed"]
CHANNELS = ["prefecture_site", "rdv_prefecture", "demarches_simplifiees", "counter"]
URGENCY = ["document_expiry", "employment", "age_deadline", "health", "family", "schooling"]


def _client_row(n: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    last, first = f"{rng.choice(LAST)}-{n}", rng.choice(FIRST)
    return {
        "id": uuid.uuid4(),
        "civility": rng.choice(["monsieur", "madame"]),
        "last_name": last,
        "first_names": first,
        "search_name": fold(f"{last} {first}"),
        "birth_place": "",
        "nationality": "",
        "address": "",
        "residence_document_type": "none",
        "has_oqtf": False,
        "oqtf_executed": False,
        "legal_aid_status": "none",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _case_row(
    n: int, client_id: uuid.UUID, rng: random.Random, now: datetime, refs: dict[str, list[Any]]
) -> dict[str, Any]:
    opened = now - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
    return {
        "id": uuid.uuid4(),
        "reference": f"CRN-{opened.year}-{n + 1:06d}",
        "client_id": client_id,
        "department_code": rng.choice(refs["departments"]),
        "site": "",
        "procedure_code": rng.choice(refs["procedures"]),
        "is_renewal": rng.random() < 0.3,
        "booking_channel": rng.choice(CHANNELS),
        "assigned_lawyer_id": rng.choice(refs["lawyers"]),
        "stage": rng.choice(STAGES),
        "opened_at": opened,
        "updated_at": opened,
        "version": 1,
    }


def load(engine: Engine, count: int, rng: random.Random) -> dict[str, Any]:
    start = time.perf_counter()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        refs: dict[str, list[Any]] = {
            "departments": list(conn.execute(select(Prefecture.department_code)).scalars()),
            "procedures": list(conn.execute(select(Procedure.code)).scalars()),
            "lawyers": [uuid.uuid4() for _ in range(20)],
        }
        conn.execute(
            insert(User),
            [
                {"id": i, "email": f"avocat{n}@cabinet-avocats.fr", "full_name": f"Avocat {n}",
                 "role": Role.lawyer, "is_active": True, "created_at": now, "updated_at": now}
                for n, i in enumerate(refs["lawyers"])
            ],
        )  # fmt: skip
        for offset in range(0, count, 5000):
            clients = [_client_row(n, rng, now) for n in range(offset, min(count, offset + 5000))]
            cases = [_case_row(offset + i, c["id"], rng, now, refs) for i, c in enumerate(clients)]
            tokens = [
                {"client_id": c["id"], "token": token}
                for c in clients
                for token in name_tokens(f"{c['last_name']} {c['first_names']}")
            ]
            facts = [
                {"id": uuid.uuid4(), "case_id": case["id"], "kind": rng.choice(URGENCY),
                 "fact_date": date.today() + timedelta(days=rng.randrange(-30, 365)),
                 "description": "Échéance"}
                for case in cases
                if rng.random() < 0.3
            ]  # fmt: skip
            conn.execute(insert(Client), clients)
            conn.execute(insert(ClientNameToken), tokens)
            conn.execute(insert(Case), cases)
            conn.execute(insert(UrgencyFact), facts)
    # What autovacuum would have done on a live database: statistics and visibility map.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    print(f"loaded {count} clients and cases in {time.perf_counter() - start:.1f} s")
    return {"lawyer": str(refs["lawyers"][0])}


def scenarios(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    soon = (date.today() + timedelta(days=30)).isoformat()
    return {
        "default (newest first)": {},
        "stage=attempts": {"stage": "attempts"},
        "tribunal=montreuil": {"tribunal": "montreuil"},
        "tribunal=bastia (rare)": {"tribunal": "bastia"},
        "department=75, renewal": {"department_code": "75", "is_renewal": "true"},
        "lawyer + stage": {"lawyer_id": context["lawyer"], "stage": "prefecture_contact"},
        "urgency before +30 days": {"urgency_before": soon},
        "search client name": {"q": "diallo-12"},
        "search first and last name": {"q": "helene martin"},
        "search reference": {"q": "CRN-2026-0123"},
        "sort by reference": {"sort": "reference"},
        "second page (cursor)": {"__second_page": True},
    }


def run(base: str, key: str, context: dict[str, Any], rounds: int, workers: int) -> list[str]:
    headers = {"Authorization": f"Bearer {key}"}
    lines = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        all_samples: list[float] = []
        for name, params in scenarios(context).items():
            query = {k: v for k, v in params.items() if not k.startswith("__")} | {"limit": 50}
            if params.get("__second_page"):
                first = http.get("/api/v1/cases", params=query).json()
                query["cursor"] = first["next_cursor"]
            http.get("/api/v1/cases", params=query).raise_for_status()  # warm-up
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = http.get("/api/v1/cases", params=query)
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            all_samples += samples
            count = len(response.json()["items"])
            lines.append(f"{name:28s} {summary(samples)}  ({count} rows)")
        lines.append(f"{'all shapes':28s} {summary(all_samples)}")

    shapes = [
        {k: v for k, v in p.items() if not k.startswith("__")} | {"limit": 50}
        for p in scenarios(context).values()
    ]
    total = rounds * len(shapes)

    local = threading.local()

    def one(i: int) -> None:
        if not hasattr(local, "http"):
            local.http = httpx.Client(base_url=base, headers=headers, timeout=30)
        local.http.get("/api/v1/cases", params=shapes[i % len(shapes)]).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(total)))
    rps = total / (time.perf_counter() - started)
    lines.append(f"throughput, {workers} concurrent clients: {rps:.0f} requests/s")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a PostgreSQL server URL; SQLite if omitted")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="concurrent clients")
    parser.add_argument("--server-workers", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(42)
    with fresh_database(args.database_url) as db:
        print(f"backend: {db.engine.dialect.name}")
        context = load(db.engine, args.count, rng)
        key = admin_key(db.engine)
        with running_server(db, workers=args.server_workers) as base:
            for line in run(base, key, context, args.rounds, args.workers):
                print(line)
    print(json.dumps({"count": args.count, "rounds": args.rounds}))


if __name__ == "__main__":
    main()
