import asyncio
from collections.abc import MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, func, select

from app.auth.permissions import Role
from app.blobstore.storage import BlobStore, LocalBlobStore, S3BlobStore
from app.cases.models import Case
from app.evidence.models import Evidence
from tests.builders import auth_as, make_case, make_user, token_for
from tests.evidence import files
from tests.evidence.conftest import staged_files, stored_blobs


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


def upload(
    client: TestClient,
    case: Case,
    headers: dict[str, str],
    data: bytes,
    kind: str = "screenshot",
    **fields: str,
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/cases/{case.id}/evidence",
        files={"file": ("f", data, "application/octet-stream")},
        data={"kind": kind} | fields,
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def verification(client: TestClient, case: Case, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = client.get(
        f"/api/v1/cases/{case.id}/evidence/verification", headers=headers
    ).json()
    return body


def tamper_blob(store: BlobStore, sha256: str, data: bytes) -> None:
    if isinstance(store, LocalBlobStore):
        path = store._path(sha256)
        path.chmod(0o644)
        path.write_bytes(data)
    else:
        assert isinstance(store, S3BlobStore)
        store.client.put_object(Bucket=store.bucket, Key=store._key(sha256), Body=data)


def test_an_intact_chain_verifies(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    items = [upload(client, case, headers, d) for d in (files.png(), files.pdf(), files.text())]

    report = verification(client, case, headers)

    assert report["intact"] is True
    assert report["chain_length"] == 3
    assert [i["chain_index"] for i in report["items"]] == [1, 2, 3]
    assert items[1]["entry_hash"] != items[0]["entry_hash"]


def test_a_blob_altered_in_storage_is_flagged(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    first = upload(client, case, headers, files.png(color="red"))
    upload(client, case, headers, files.pdf())
    tamper_blob(store, first["sha256"], files.png(color="green"))

    report = verification(client, case, headers)

    assert report["intact"] is False
    assert [(i["chain_index"], i["blob_intact"], i["record_intact"]) for i in report["items"]] == [
        (1, False, True),
        (2, True, True),
    ]


def test_a_row_altered_in_the_database_is_flagged(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    first = upload(client, case, headers, files.png(), captured_at="2026-03-02T09:12:00+01:00")
    upload(client, case, headers, files.pdf())
    # Someone with database access moves the capture date back a week.
    session.execute(
        text("UPDATE evidence SET captured_at = :at WHERE id = :id"),
        {
            "at": "2026-02-23 08:12:00"
            if session.get_bind().dialect.name == "sqlite"
            else "2026-02-23T08:12:00+00:00",
            "id": first["id"].replace("-", "")
            if session.get_bind().dialect.name == "sqlite"
            else first["id"],
        },
    )
    session.expire_all()

    report = verification(client, case, headers)

    assert report["intact"] is False
    assert [(i["chain_index"], i["record_intact"], i["blob_intact"]) for i in report["items"]] == [
        (1, False, True),
        (2, True, True),
    ]


def test_removing_an_entry_is_detected(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    middle = [upload(client, case, headers, d) for d in (files.png(), files.pdf(), files.text())][1]
    session.execute(text("DELETE FROM evidence WHERE entry_hash = :h"), {"h": middle["entry_hash"]})

    report = verification(client, case, headers)

    assert report["intact"] is False
    assert [(i["chain_index"], i["link_intact"]) for i in report["items"]] == [
        (1, True),
        (3, False),
    ]


def test_removing_the_last_entry_is_detected(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    last = [upload(client, case, headers, d) for d in (files.png(), files.pdf())][1]
    session.execute(text("DELETE FROM evidence WHERE entry_hash = :h"), {"h": last["entry_hash"]})

    report = verification(client, case, headers)

    assert (report["intact"], report["head_intact"]) == (False, False)
    assert all(i["intact"] for i in report["items"])


def test_an_upload_interrupted_mid_stream_leaves_nothing(
    app: FastAPI, client: TestClient, session: Session, store: BlobStore
) -> None:
    # ``client`` puts the test's own session factory on the app: the user and case below
    # are visible to the request, which reaches the upload and sees the client hang up.
    case = make_case(session)
    token = token_for(make_user(session, role=Role.paralegal))
    boundary = b"XYZ"
    head = (
        b'--XYZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscreenshot\r\n'
        b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n"
    )
    chunks = [head, files.png()[:2000]]
    sent: list[MutableMapping[str, Any]] = []
    received = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        if chunks:
            return {"type": "http.request", "body": chunks.pop(0), "more_body": True}
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": f"/api/v1/cases/{case.id}/evidence", "raw_path": b"",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"multipart/form-data; boundary=" + boundary),
        ],
    }  # fmt: skip
    before = stored_blobs(store)

    asyncio.run(app(scope, receive, send))

    assert received == 3  # both chunks were read, then the disconnect
    assert sent[0]["status"] == 499  # answered as a client that left, not a server error
    assert session.exec(select(func.count()).select_from(Evidence)).one() == 0
    assert stored_blobs(store) == before
    assert staged_files(store) == []


def test_withdrawal_keeps_the_bytes_and_leaves_the_exhibits(
    client: TestClient, session: Session, store: BlobStore
) -> None:
    headers = auth_as(session, Role.lawyer)
    case = make_case(session)
    kept = upload(client, case, headers, files.png())
    gone = upload(client, case, headers, files.pdf(), kind="email")

    no_reason = client.post(
        f"/api/v1/evidence/{gone['id']}/withdrawal", json={"reason": " "}, headers=headers
    )
    withdrawn = client.post(
        f"/api/v1/evidence/{gone['id']}/withdrawal", json={"reason": "Doublon"}, headers=headers
    )
    twice = client.post(
        f"/api/v1/evidence/{gone['id']}/withdrawal", json={"reason": "Doublon"}, headers=headers
    )
    exhibits = client.get(f"/api/v1/cases/{case.id}/exhibits", headers=headers).json()["exhibits"]

    assert no_reason.status_code == 422
    assert withdrawn.json()["withdrawn_reason"] == "Doublon"
    assert twice.status_code == 409
    assert [e["evidence_ids"] for e in exhibits] == [[kept["id"]]]
    assert (
        client.get(f"/api/v1/evidence/{gone['id']}/content", headers=headers).content == files.pdf()
    )
    assert verification(client, case, headers)["intact"] is True
