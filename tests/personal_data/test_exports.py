"""A client's export: built by the worker, everything about the client and nothing about
anyone else, a JSON that validates against the published schema, a README in French naming
every file, downloaded through a signed link that the access log records."""

import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import clock
from app.auth.permissions import Role
from app.config import Settings
from app.personal_data import exports
from app.personal_data.export_format import schema_text
from app.worker.registry import handlers
from app.worker.runner import Worker
from tests.builders import assert_problem, auth_as

SCHEMA_FILE = Path(__file__).parents[2] / "docs" / "schemas" / "client-export.schema.json"


def _export(client: TestClient, admin: dict[str, str], client_id: str) -> dict[str, Any]:
    asked = client.post(
        f"/api/v1/clients/{client_id}/exports",
        headers=admin | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "queued"
    assert asked.json()["download_url"] is None
    assert asked.headers["Location"] == f"/api/v1/exports/{asked.json()['id']}"
    return dict(asked.json())


def _run_worker(factory: sessionmaker[Session], settings: Settings) -> None:
    """The worker, for exports only (the screenshots' readings wait in the same queue)."""
    build_only = {exports.BUILD: handlers(settings)[exports.BUILD]}
    assert Worker(factory, build_only, name="w").run_once() == 1


def _download(client: TestClient, url: str) -> zipfile.ZipFile:
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}")  # no credential: the link is enough
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_an_export_holds_everything_about_the_client_and_nothing_else(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    build: Any,
) -> None:
    admin = auth_as(session, Role.admin)
    mine = build(person={"last_name": "Zbigniewska", "first_names": "Ophélianne"})
    other = build(person={"last_name": "Durandelle", "first_names": "Gaspard"})
    case_id = mine.case["id"]
    client_id = mine.case["client"]["id"]
    letter = client.post(
        f"/api/v1/cases/{case_id}/documents", json={"kind": "prefecture_letter"},
        headers=mine.headers,
    )  # fmt: skip
    assert letter.status_code == 201, letter.text
    evidence = client.get(
        f"/api/v1/cases/{case_id}/evidence", params={"limit": 200}, headers=mine.headers
    ).json()["items"]
    contacts = client.get(f"/api/v1/cases/{case_id}/contacts", headers=mine.headers).json()
    assert client.get(f"/api/v1/clients/{client_id}", headers=mine.headers).status_code == 200

    asked = _export(client, admin, client_id)
    _run_worker(session_factory, settings)
    ready = client.get(f"/api/v1/exports/{asked['id']}", headers=admin).json()
    assert ready["status"] == "ready", ready["error"]
    assert ready["files"] == len(evidence) + 1
    archive = _download(client, ready["download_url"])

    names = archive.namelist()
    assert names[:3] == ["LISEZMOI.txt", "donnees.json", "schema.json"]
    data = json.loads(archive.read("donnees.json"))
    # The JSON validates against the schema in the ZIP, which is the one published in docs/.
    schema = json.loads(archive.read("schema.json"))
    assert archive.read("schema.json").decode() == SCHEMA_FILE.read_text() == schema_text()
    jsonschema.Draft202012Validator(schema).validate(data)

    assert data["client"]["id"] == client_id
    assert data["client"]["last_name"] == "Zbigniewska"
    (case,) = data["cases"]
    assert case["case"]["id"] == case_id
    assert {a["id"] for a in case["attempts"]} == {a["id"] for a in mine.attempts}
    assert {c["id"] for c in case["contacts"]} == {c["id"] for c in contacts["items"]}
    assert {e["id"] for e in case["evidence"]} == {e["id"] for e in evidence}
    assert [d["id"] for d in case["documents"]] == [letter.json()["id"]]
    # Every file is in the ZIP, byte for byte, and the README says what each one is.
    readme = archive.read("LISEZMOI.txt").decode()
    listed = [e["file"] for e in case["evidence"]] + [d["file"] for d in case["documents"]]
    store = client.app.state.blob_store  # type: ignore[attr-defined]
    for item in listed:
        assert archive.read(item["path"]) == b"".join(store.open(item["sha256"]))
        assert item["path"] in readme
    assert len(names) == 3 + len(listed)
    assert "données personnelles" in readme.lower()
    trail = {e["action"] for e in data["audit"]}
    assert {"client.create", "case.create", "evidence.create", "document.generate"} <= trail
    assert {e["resource_id"] for e in data["audit"]} <= {
        client_id, case_id, letter.json()["id"], *(e["id"] for e in evidence),
        *(a["id"] for a in mine.attempts), *(c["id"] for c in contacts["items"]),
    }  # fmt: skip
    assert [e["action"] for e in data["access"]] == ["client.read"]

    # Nothing about the other client: not their name, not one of their ids.
    everything = b"".join(archive.read(name) for name in names)
    assert b"Durandelle" not in everything
    assert other.case["id"].encode() not in everything
    assert other.case["client"]["id"].encode() not in everything
    for attempt in other.attempts:
        assert attempt["id"].encode() not in everything

    # The export itself is recorded: asked in the audit trail, downloaded in the access log.
    audit = client.get(
        "/api/v1/audit-events", params={"resource_id": client_id, "action": "client.export"},
        headers=admin,
    ).json()["items"]  # fmt: skip
    assert [e["details"]["export_id"] for e in audit] == [asked["id"]]
    log = client.get(f"/api/v1/clients/{client_id}/access-log", headers=admin).json()["items"]
    assert [(e["action"], e["via"]) for e in log] == [
        ("export.download", "signed_link"),
        ("client.read", "credential"),
    ]


def test_exports_are_for_admins_and_their_links_cannot_be_forged(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    build: Any,
) -> None:
    admin = auth_as(session, Role.admin)
    lawyer = auth_as(session, Role.lawyer)
    client_id = build().case["client"]["id"]
    refused = client.post(f"/api/v1/clients/{client_id}/exports", headers=lawyer)
    assert_problem(refused, 403)
    assert_problem(client.post(f"/api/v1/clients/{uuid.uuid4()}/exports", headers=admin), 404)

    asked = _export(client, admin, client_id)
    early = client.get(f"/api/v1/exports/{asked['id']}/content", headers=admin)
    assert_problem(early, 409, "export-unavailable")
    _run_worker(session_factory, settings)
    url = urlsplit(
        client.get(f"/api/v1/exports/{asked['id']}", headers=admin).json()["download_url"]
    )
    forged = url.query.replace("signature=", "signature=0")[:-1]
    assert_problem(client.get(f"{url.path}?{forged}"), 401)
    other = f"/api/v1/exports/{uuid.uuid4()}/content?{url.query}"
    assert_problem(client.get(other), 401)
    assert_problem(client.get(f"/api/v1/exports/{asked['id']}", headers=lawyer), 403)
    with_credential = client.get(f"/api/v1/exports/{asked['id']}/content", headers=admin)
    assert with_credential.status_code == 200

    # After its days, the ZIP is deleted and the export says so.
    store = client.app.state.blob_store  # type: ignore[attr-defined]
    sha = client.get(f"/api/v1/exports/{asked['id']}", headers=admin).json()["sha256"]
    assert store.exists(sha)
    with clock.pinned(clock.now() + timedelta(days=settings.policy.export_days, minutes=1)):
        with session_factory() as worker_session:
            assert exports.expire(worker_session, store=store) == 1
            worker_session.commit()
        admin = auth_as(session, Role.admin)  # a token of this day
        gone = client.get(f"/api/v1/exports/{asked['id']}", headers=admin).json()
        assert gone["status"] == "expired"
        assert gone["download_url"] is None
        assert_problem(client.get(f"{url.path}?{url.query}"), 401)  # the link expired too
        late = client.get(f"/api/v1/exports/{asked['id']}/content", headers=admin)
        assert_problem(late, 409, "export-unavailable")
    assert not store.exists(sha)
