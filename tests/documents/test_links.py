"""Signed download links: a DMS connector fetches a draft without a user's credential."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app import clock
from tests.builders import assert_problem


def _document(client: TestClient, build: Any) -> tuple[dict[str, Any], dict[str, str]]:
    built = build("93", weeks=2)
    url = f"/api/v1/cases/{built.case['id']}/documents"
    created = client.post(url, json={"kind": "exhibit_inventory"}, headers=built.headers)
    assert created.status_code == 201, created.text
    return created.json(), built.headers


def test_a_signed_link_opens_one_document_until_it_expires(client: TestClient, build: Any) -> None:
    document, headers = _document(client, build)
    with_token = client.get(f"/api/v1/documents/{document['id']}/content", headers=headers)

    link = client.post(
        f"/api/v1/documents/{document['id']}/links",
        json={"expires_in_seconds": 600},
        headers=headers,
    ).json()
    path = link["url"].removeprefix("http://127.0.0.1:8000")
    fetched = client.get(path)  # no Authorization header
    signature = path.rsplit("signature=", 1)[1]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    tampered = client.get(path.replace(signature, flipped))
    clock.pin(clock.now() + timedelta(minutes=11))
    expired = client.get(path)

    assert fetched.status_code == 200
    assert fetched.content == with_token.content
    assert_problem(tampered, 401, "not-authenticated")
    assert_problem(expired, 401, "not-authenticated")


def test_without_a_link_the_download_still_needs_a_credential(
    client: TestClient, build: Any
) -> None:
    document, _ = _document(client, build)

    assert_problem(client.get(f"/api/v1/documents/{document['id']}/content"), 401)
