"""One filing, consistent and kept: the plan check, fileable exhibits, reproducible bytes."""

import hashlib
import io
import json
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app import clock
from app.auth.models import User
from app.auth.permissions import Role
from app.evidence import wholefile
from tests.builders import assert_problem, auth, auth_as, token_for
from tests.documents.test_documents import generate
from tests.evidence import files


def _upload(
    client: TestClient, case_id: str, headers: dict[str, str], name: str, data: bytes, **form: str
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        files={"file": (name, data)},
        data=form,
        headers=headers,
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _bundle(client: TestClient, case_id: str, headers: dict[str, str]) -> bytes:
    response = client.get(f"/api/v1/cases/{case_id}/bundle", headers=headers)
    assert response.status_code == 200, response.text
    return response.content


def test_a_bundle_never_ships_a_petition_whose_exhibits_changed(
    client: TestClient, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    petition = generate(client, case_id, headers, kind="interim_relief_petition")
    # A residence permit sorts before the screenshots: every capture moves up one number.
    _upload(client, case_id, headers, "titre.pdf", files.pdf(), kind="residence_document")

    stale = client.get(f"/api/v1/cases/{case_id}/bundle", headers=headers)

    problem = assert_problem(stale, 409, "stale-petition")
    assert problem["petition_id"] == petition["id"]
    kinds = {c["change"] for c in problem["changes"]}
    assert {"added", "renumbered"} <= kinds
    assert problem["exhibit_plan_hash"] != petition["exhibit_plan_hash"]
    fresh = generate(client, case_id, headers, kind="interim_relief_petition")
    assert fresh["exhibit_plan_hash"] == problem["exhibit_plan_hash"]
    archive = zipfile.ZipFile(io.BytesIO(_bundle(client, case_id, headers)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exhibit_plan_hash"] == fresh["exhibit_plan_hash"]
    assert manifest["petition"]["id"] == fresh["id"]


def test_the_exhibit_list_gives_the_current_plan_hash(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)
    petition = generate(client, built.case["id"], built.headers, kind="interim_relief_petition")

    exhibits = client.get(f"/api/v1/cases/{built.case['id']}/exhibits", headers=built.headers)

    assert exhibits.json()["plan_hash"] == petition["exhibit_plan_hash"]


def test_emails_and_texts_are_filed_as_pdfs_showing_what_they_say(
    client: TestClient, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    mail = _upload(client, case_id, headers, "mail.eml", files.eml(), kind="email")
    note = _upload(client, case_id, headers, "releve.txt", files.text(), kind="other")
    generate(client, case_id, headers, kind="interim_relief_petition")

    archive = zipfile.ZipFile(io.BytesIO(_bundle(client, case_id, headers)))
    manifest = json.loads(archive.read("manifest.json"))

    by_evidence = {f["evidence_sha256"][0]: f for f in manifest["files"] if "exhibit" in f}
    mail_pdf = PdfReader(io.BytesIO(archive.read(by_evidence[mail["sha256"]]["name"])))
    text = mail_pdf.pages[0].extract_text()
    assert "De : Client <client@example.com>" in text
    assert "À : pref-sejour@seine-saint-denis.gouv.fr" in text
    assert "Objet : Demande de rendez-vous" in text
    assert mail["sha256"] in text.replace("\n", "")
    note_pdf = PdfReader(io.BytesIO(archive.read(by_evidence[note["sha256"]]["name"])))
    assert "aucun créneau disponible" in note_pdf.pages[0].extract_text()
    assert not [n for n in archive.namelist() if n.endswith((".eml", ".txt"))]


def test_an_image_that_cannot_become_a_pdf_is_refused_at_upload_or_a_409_naming_it(
    client: TestClient, build: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    url = f"/api/v1/cases/{case_id}/evidence"
    dot = {"file": ("dot.png", files.png(1, 1))}

    refused = client.post(url, files=dot, data={"kind": "other"}, headers=headers)
    # One stored before uploads checked sizes: the bundle names it instead of breaking.
    monkeypatch.setattr(wholefile, "check", lambda *_args, **_kw: None)
    legacy = client.post(
        url, files=dot, data={"kind": "other", "description": "Point"}, headers=headers
    )
    monkeypatch.undo()
    generate(client, case_id, headers, kind="interim_relief_petition")
    response = client.get(f"/api/v1/cases/{case_id}/bundle", headers=headers)

    assert_problem(refused, 415, "unsupported-content")
    assert legacy.status_code == 201
    problem = assert_problem(response, 409, "unfileable-exhibit")
    exhibits = client.get(f"/api/v1/cases/{case_id}/exhibits", headers=headers).json()["exhibits"]
    point = next(e for e in exhibits if e["label"] == "Point")
    assert problem["exhibit"] == point["number"]
    assert problem["file_name"] == point["file_name"]


def test_the_same_data_give_the_same_bytes_any_day(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    _upload(client, case_id, headers, "mail.eml", files.eml(), kind="email")
    generate(client, case_id, headers, kind="interim_relief_petition")

    first = _bundle(client, case_id, headers)
    me = client.get("/api/v1/users/me", headers=headers).json()
    with clock.pinned(clock.now() + timedelta(days=3, hours=5)):
        later = auth(token_for(session.get(User, uuid.UUID(me["id"]))))  # type: ignore[arg-type]
        second = _bundle(client, case_id, later)

    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["name"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for name, sha in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == sha


def test_a_frozen_filing_is_kept_byte_for_byte_and_chained(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    generate(client, case_id, headers, kind="interim_relief_petition")
    expected = _bundle(client, case_id, headers)

    first = client.post(
        f"/api/v1/cases/{case_id}/filings",
        json={"docket_number": "2615595", "note": "Déposé sur Télérecours"},
        headers=headers,
    )
    assert first.status_code == 201, first.text
    filing = first.json()
    # The file moves on: a new exhibit, a new petition, a second filing.
    _upload(client, case_id, headers, "mail.eml", files.eml(), kind="email")
    generate(client, case_id, headers, kind="interim_relief_petition")
    second = client.post(f"/api/v1/cases/{case_id}/filings", json={}, headers=headers).json()
    kept = client.get(f"/api/v1/filings/{filing['id']}/content", headers=headers)
    check = client.get(f"/api/v1/cases/{case_id}/filings/verification", headers=headers).json()
    listed = client.get(f"/api/v1/cases/{case_id}/filings", headers=headers).json()["items"]

    assert kept.status_code == 200
    assert kept.content == expected
    assert kept.headers["etag"] == f'"{filing["sha256"]}"'
    assert kept.headers["content-length"] == str(len(expected))
    assert kept.headers["content-disposition"] == (
        f'attachment; filename="Depot_{clock.today().isoformat()}_1.zip"'
    )
    assert filing["sha256"] == hashlib.sha256(expected).hexdigest()
    assert filing["size"] == len(expected)
    assert filing["tribunal_code"] == "montreuil"
    assert filing["filed_on"] == clock.today().isoformat()
    assert filing["manifest"]["exhibit_plan_hash"] == filing["exhibit_plan_hash"]
    assert second["chain_index"] == 2
    assert second["sha256"] != filing["sha256"]
    assert [f["id"] for f in listed] == [filing["id"], second["id"]]
    assert check == {"case_id": case_id, "filings": 2, "intact": True, "blobs_intact": True}


def test_a_filing_needs_a_current_petition_and_a_valid_date(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id, headers = built.case["id"], built.headers
    url = f"/api/v1/cases/{case_id}/filings"

    assert_problem(client.post(url, json={}, headers=headers), 409, "petition-missing")
    generate(client, case_id, headers, kind="interim_relief_petition")
    future = (clock.today() + timedelta(days=1)).isoformat()
    problem = assert_problem(client.post(url, json={"filed_on": future}, headers=headers), 422)
    assert problem["errors"][0]["loc"][-1] == "filed_on"
    assert client.get(url, headers=headers).json()["items"] == []
    reader = auth_as(session, Role.paralegal)
    assert client.post(url, json={}, headers=reader).status_code == 201
