"""Erasure: no trace of the client anywhere (every table, every blob), the chain still
verifies, the audit trail says who erased, and held or active files are refused."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from app import cli
from app.auth.permissions import Role
from app.cases.models import Case
from app.cases.stages import Stage
from app.config import Settings
from app.db import metadata
from app.documents.models import GeneratedDocument
from app.evidence import service as evidence_service
from app.personal_data import exports
from app.worker.registry import handlers
from app.worker.runner import Worker
from tests.builders import assert_problem, auth_as, client_payload
from tests.evidence import files

NAME = "Zbigniewska"
MARKERS = (NAME, "Ophélianne", "1987-03-14", "1987, 3, 14", "Impasse Imaginaire", "MARQUEUR")


def _seed(client: TestClient, headers: dict[str, str], *, last_name: str) -> dict[str, Any]:
    person = client.post(
        "/api/v1/clients",
        json=client_payload(
            last_name=last_name, first_names="Ophélianne", birth_date="1987-03-14",
            address="3 impasse Imaginaire, 93100 Montreuil", external_ref=f"DMS-{last_name}",
        ),
        headers=headers | {"Idempotency-Key": str(uuid.uuid4())},
    ).json()  # fmt: skip
    assert "id" in person, person
    case = client.post(
        "/api/v1/cases",
        json={"client_id": person["id"], "department_code": "93",
              "procedure_code": "aes_vie_privee", "aes_motif": "vie_privee_familiale",
              "booking_channel": "rdv_prefecture",
              "booking_url": "https://rdv.example/MARQUEUR-url",
              "urgency_facts": [{"kind": "employment", "fact_date": "2026-12-15",
                                 "description": "MARQUEUR-promesse d'embauche"}]},
        headers=headers | {"Idempotency-Key": str(uuid.uuid4())},
    ).json()  # fmt: skip
    assert "id" in case, case
    attempt = client.post(
        f"/api/v1/cases/{case['id']}/attempts",
        json={"attempted_at": "2026-10-05T09:12:00+02:00", "outcome": "no_slot",
              "message": "MARQUEUR-message du site"},
        headers=headers,
    )  # fmt: skip
    assert attempt.status_code == 201, attempt.text
    contact = client.post(
        f"/api/v1/cases/{case['id']}/contacts",
        json={"channel": "email", "sent_date": "2025-06-02",
              "recipient": "MARQUEUR-destinataire", "summary": "MARQUEUR-résumé"},
        headers=headers,
    )  # fmt: skip
    assert contact.status_code == 201, contact.text
    evidence = client.post(
        f"/api/v1/cases/{case['id']}/evidence",
        files={
            "file": (
                f"passeport-{last_name}.png",
                files.png(color="red" if last_name == NAME else "blue"),
                "image/png",
            )
        },
        data={"kind": "identity_document", "description": f"MARQUEUR passeport de {last_name}"},
        headers=headers,
    )
    assert evidence.status_code == 201, evidence.text
    proceeding = client.post(
        f"/api/v1/cases/{case['id']}/proceedings",
        json={"filed_date": "2025-03-03", "court_case_number": "2504512",
              "decision_date": "2025-03-20", "outcome": "rejection",
              "appointment_place": "MARQUEUR-lieu"},
        headers=headers,
    )  # fmt: skip
    assert proceeding.status_code == 201, proceeding.text
    link = client.post(
        f"/api/v1/cases/{case['id']}/upload-links", json={"note": "MARQUEUR-consigne"},
        headers=headers,
    )  # fmt: skip
    assert link.status_code == 201, link.text
    # A draft's snapshot repeats the client's identity (name, birth date, address).
    draft = client.post(
        f"/api/v1/cases/{case['id']}/documents", json={"kind": "prefecture_letter"},
        headers=headers,
    )  # fmt: skip
    assert draft.status_code == 201, draft.text
    return {"client": person, "case": case, "evidence": evidence.json(), "draft": draft.json()}


def _close(session: Session, case_id: str) -> None:
    case = session.get(Case, uuid.UUID(case_id))
    assert case is not None
    case.stage = Stage.closed
    case.closed_reason = "MARQUEUR-raison"
    session.commit()


def _every_row(session: Session) -> list[str]:
    """Every row of every table, as text, named by its table."""
    return [
        f"{table.name}: {tuple(row)!r}"
        for table in metadata.sorted_tables
        for row in session.execute(sa.select(table)).all()
    ]


def _traces(session: Session) -> list[str]:
    found = []
    for row in _every_row(session):
        table = row.partition(":")[0]
        found += [f"{table}: {m}" for m in MARKERS if m.lower() in row.lower()]
    return found


def test_erasure_leaves_no_trace_and_keeps_the_chain_and_the_counts(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    lawyer = auth_as(session, Role.lawyer)
    admin = auth_as(session, Role.admin)
    erased = _seed(client, lawyer, last_name=NAME)
    other = _seed(client, lawyer, last_name="Durand")
    client_id, case_id = erased["client"]["id"], erased["case"]["id"]
    store = client.app.state.blob_store  # type: ignore[attr-defined]
    sha = erased["evidence"]["sha256"]

    refused = client.post(
        f"/api/v1/clients/{client_id}/erasure", json={"reason": "demande art. 17"}, headers=admin
    )
    body = assert_problem(refused, 409, "erasure-refused")
    assert any("still open" in reason for reason in body["reasons"])

    _close(session, case_id)
    hold = client.put(
        f"/api/v1/cases/{case_id}/legal-hold", json={"reason": "contentieux"}, headers=lawyer
    )
    assert hold.status_code == 200
    assert hold.json()["legal_hold_reason"] == "contentieux"
    held = client.post(
        f"/api/v1/clients/{client_id}/erasure", json={"reason": "demande art. 17"}, headers=admin
    )
    assert any("legal hold" in r for r in assert_problem(held, 409, "erasure-refused")["reasons"])
    assert client.delete(f"/api/v1/cases/{case_id}/legal-hold", headers=lawyer).status_code == 204
    assert_problem(
        client.post(f"/api/v1/clients/{client_id}/erasure", json={"reason": "x" * 10},
                    headers=lawyer),
        403,
    )  # fmt: skip

    # An export made before: its ZIP repeats everything, and must go too.
    export = client.post(f"/api/v1/clients/{client_id}/exports", headers=admin).json()
    build_only = {exports.BUILD: handlers(settings)[exports.BUILD]}
    assert Worker(session_factory, build_only, name="w").run_once() == 1
    export = client.get(f"/api/v1/exports/{export['id']}", headers=admin).json()
    assert export["status"] == "ready"
    assert NAME.encode() in b"".join(store.open(export["sha256"]))

    assert _traces(session)  # the markers are there before
    done = client.post(
        f"/api/v1/clients/{client_id}/erasure", json={"reason": "demande art. 17"}, headers=admin
    )
    assert done.status_code == 201, done.text
    assert done.json()["cases"] == 1
    assert done.json()["files"] == 3  # the passport, the draft and the export
    session.expire_all()

    draft = session.get(GeneratedDocument, uuid.UUID(erased["draft"]["id"]))
    assert draft is not None
    assert (draft.snapshot, draft.options, draft.exhibit_plan) == ({}, {}, [])
    assert draft.erased_at == datetime.fromisoformat(done.json()["erased_at"])

    traces = [t for t in _traces(session) if "Durand" not in t]
    # The other client's rows carry the same free texts: only this client's must be gone.
    assert not [t for t in traces if NAME.lower() in t.lower()], traces
    erased_rows = _rows_mentioning(session, [client_id, case_id])
    assert not [m for m in MARKERS if any(m.lower() in r.lower() for r in erased_rows)]
    assert not store.exists(sha)
    assert store.exists(other["evidence"]["sha256"])
    for blob, _ in store.blobs():
        assert NAME.encode() not in b"".join(store.open(blob))

    verification = client.get(f"/api/v1/cases/{case_id}/evidence/verification", headers=admin)
    assert verification.json()["intact"] is True
    assert [item["erased"] for item in verification.json()["items"]] == [True]
    # What `creneau storage verify` checks, on this test's transaction: every case's chain and
    # every stored draft, template and filing.
    for case in session.exec(select(Case)):
        assert evidence_service.verify_case(session, store=store, case=case).intact, case.reference
    assert cli.storage.verify_files(session, store=store) == 0
    assert client.get(f"/api/v1/exports/{export['id']}", headers=admin).json()["status"] == (
        "expired"
    )
    assert not store.exists(export["sha256"])

    audit = client.get("/api/v1/audit-events", params={"resource_id": client_id}, headers=admin)
    actions = [e["action"] for e in audit.json()["items"]]
    assert "client.erase" in actions
    events = client.get("/api/v1/events", params={"types": "client.erased"}, headers=admin)
    assert [e["data"]["resource"]["id"] for e in events.json()["items"]] == [client_id]

    counts = client.get("/api/v1/statistics/prefectures/93", headers=admin).json()
    assert counts["attempts"] == 2  # both clients' attempts still count

    again = client.post(
        f"/api/v1/clients/{client_id}/erasure", json={"reason": "demande art. 17"}, headers=admin
    )
    assert_problem(again, 409, "already-erased")
    shown = client.get(f"/api/v1/clients/{client_id}", headers=admin).json()
    assert shown["last_name"] == "Effacé"
    assert shown["erased_at"] is not None


def _rows_mentioning(session: Session, ids: list[str]) -> list[str]:
    """Every row, in any table, that names the erased client or case."""
    return [
        row for row in _every_row(session) if any(i in row or uuid.UUID(i).hex in row for i in ids)
    ]
