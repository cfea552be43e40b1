"""The API against its own OpenAPI document: schemathesis over every operation (CI leg).

    .venv/bin/python -m bench.fuzz_api [--pg postgresql+psycopg://postgres@127.0.0.1/postgres]
        [--max-examples 8]

Starts the real server on a fresh database, seeds one record of each kind through the API
(a client, a case, an attempt, a contact, a proceeding, a screenshot, a document), so that
path parameters name real ids and the run reaches past 404s, then runs schemathesis with an
admin API key and the checks the contract promises: no server error, only declared status
codes, declared content types and response bodies that match their schemas. Exits non-zero
on any failure; the report lands in the printed directory.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx2 as httpx

from bench.common import ROOT, admin_key, fresh_database, running_server
from tests.builders import client_payload
from tests.evidence import files

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


def _seed(base: str, key: str) -> dict[str, str]:
    """One record of each kind, through the API; the ids schemathesis puts in paths."""
    api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"})

    def post(path: str, **kwargs: object) -> dict[str, str]:
        response = api.post(path, **kwargs)  # type: ignore[arg-type]
        response.raise_for_status()
        body: dict[str, str] = response.json()
        return body

    client = post("/clients", json=client_payload())
    case = post(
        "/cases",
        json={
            "client_id": client["id"],
            "department_code": "93",
            "procedure_code": "aes_vie_privee",
            "aes_motif": "vie_privee_familiale",
            "booking_channel": "rdv_prefecture",
        },
    )
    case_path = f"/cases/{case['id']}"
    attempt = post(
        f"{case_path}/attempts",
        json={"attempted_at": "2026-11-16T09:12:00+01:00", "outcome": "no_slot"},
    )
    contact = post(
        f"{case_path}/contacts",
        json={
            "channel": "registered_letter",
            "sent_date": "2026-11-17",
            "recipient": "Préfecture de la Seine-Saint-Denis, bureau du séjour",
            "summary": "Demande de convocation",
        },
    )
    proceeding = post(
        f"{case_path}/proceedings",
        json={"filed_date": "2026-11-20", "filing_channel": "telerecours"},
    )
    evidence = post(
        f"{case_path}/evidence",
        data={"kind": "screenshot", "attempt_id": attempt["id"]},
        files={"file": ("capture.png", files.png(), "image/png")},
    )
    document = post(f"{case_path}/documents", json={"kind": "exhibit_inventory"})
    post(
        f"{case_path}/documents",
        json={
            "kind": "interim_relief_petition",
            "override_reason": "Contract run: a petition drafted for an incomplete file",
        },
    )
    filing = post(f"{case_path}/filings", json={})
    # A second user and key for the operations that deactivate or revoke: never the ones
    # this run authenticates with.
    user = post(
        "/users",
        json={
            "email": "paralegal@cabinet-avocats.fr",
            "full_name": "Paralegal",
            "role": "paralegal",
            "password": "A-long-paralegal-password-2026",
        },
    )
    spare_key = post("/api-keys", json={"name": "spare", "role": "paralegal"})
    # Nothing listens there: deliveries fail and are retried, as they would.
    webhook = post("/webhooks", json={"url": "http://127.0.0.1:9/hooks", "event_types": ["*"]})
    return {
        "client_id": client["id"],
        "case_id": case["id"],
        "attempt_id": attempt["id"],
        "contact_id": contact["id"],
        "proceeding_id": proceeding["id"],
        "evidence_id": evidence["id"],
        "document_id": document["id"],
        "filing_id": filing["id"],
        "user_id": user["id"],
        "key_id": spare_key["id"],
        "webhook_id": webhook["id"],
        "department_code": "93",
    }


def _config(ids: dict[str, str], path: Path) -> None:
    lines = ["[parameters]"]
    lines += [f'"path.{name}" = "{value}"' for name, value in ids.items()]
    # `code` names a tribunal in one path and a procedure type in another.
    for pattern, code in (("/api/v1/tribunals/", "montreuil"), ("/api/v1/procedures/", "etudiant")):
        lines += [
            "",
            "[[operations]]",
            f'include-path-regex = "^{pattern}"',
            f'parameters = {{ "path.code" = "{code}" }}',
        ]
    path.write_text("\n".join(lines) + "\n")


def run(pg: str | None, max_examples: int) -> int:
    with fresh_database(pg) as db:
        key = admin_key(db.engine)
        with running_server(db, CRENEAU_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8") as base:
            ids = _seed(base, key)
            report = Path(tempfile.mkdtemp(prefix="creneau-fuzz-"))
            config = report / "schemathesis.toml"
            _config(ids, config)
            command = [
                str(ROOT / ".venv" / "bin" / "schemathesis"),
                "--config-file",
                str(config),
                "run",
                f"{base}/openapi.json",
                "--header",
                f"Authorization: Bearer {key}",
                "--checks",
                CHECKS,
                "--max-examples",
                str(max_examples),
                "--seed",
                "20261127",
                "--phases",
                "examples,coverage,fuzzing",
                "--workers",
                "1",
                "--generation-allow-x00",
                "false",
                "--generation-database",
                "none",
                "--report",
                "junit",
                "--report-dir",
                str(report),
                "--no-color",
            ]
            print(f"== schemathesis, report in {report}", flush=True)
            return subprocess.run(command, cwd=ROOT, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--max-examples", type=int, default=25)
    args = parser.parse_args()
    sys.exit(run(args.pg, args.max_examples))


if __name__ == "__main__":
    main()
