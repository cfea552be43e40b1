"""The API contract: the OpenAPI document as generators read it, and the HTTP rules it
declares (problem types, headers, conditional requests, idempotency, lists, sync)."""

import importlib
import json
import pkgutil
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from sqlmodel import Session

import app
from app import clock
from app.auth.permissions import Role
from app.errors import _HTTP_SLUGS, AppError
from app.openapi import TAGS
from tests.builders import auth_as, client_payload, make_case, make_client
from tests.evidence import files

ROOT = Path(__file__).resolve().parent.parent
API_DOC = (ROOT / "docs" / "api.md").read_text()
VERBS = (
    "get|list|create|update|delete|upload|download|verify|withdraw|revoke|restore|rotate|check|reopen"
    "|change|retry|replay|review"
)


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.admin)


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/openapi.json").json()
    return body


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]


def test_the_document_is_valid_openapi_with_names_generators_keep(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["info"]["title"] == "Creneau API"
    assert spec["info"]["title"].isascii()
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) for name in spec["components"]["schemas"])
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text
    assert "app__" not in text


def test_every_operation_has_an_id_a_summary_and_a_known_tag(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    tags = {tag["name"] for tag in TAGS}

    assert len(ids) == len(set(ids))
    for method, path, op in _operations(spec):
        assert re.fullmatch(rf"({VERBS})[A-Z][A-Za-z]*", op["operationId"]), (method, path)
        assert op.get("summary"), (method, path)
        assert op.get("tags"), (method, path)
        assert set(op["tags"]) <= tags, (method, path)
    assert {tag["name"] for tag in spec["tags"]} == tags
    assert all(tag["description"] for tag in spec["tags"])


def test_every_error_answer_is_a_typed_problem(spec: dict[str, Any]) -> None:
    for method, path, op in _operations(spec):
        for status, response in op["responses"].items():
            if int(status) < 400 or op["operationId"] == "getHealthReady":
                continue
            assert response["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (method, path, status)
            assert "X-Request-ID" in response["headers"]
            if status == "503":
                assert "Retry-After" in response["headers"]


def test_headers_are_declared_where_they_are_sent(spec: dict[str, Any]) -> None:
    for method, path, op in _operations(spec):
        responses = op["responses"]
        takes_key = any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
        if "201" in responses:
            assert "Location" in responses["201"]["headers"], (method, path)
            # Rotating the feed address and restoring a template have nothing to replay
            # (a new secret; a restoration twice is a restoration): the key is a 400 there.
            if op["operationId"] not in {"rotateFeedToken", "restoreTemplate"}:
                assert takes_key, f"{method} {path} creates without Idempotency-Key"
        if takes_key:
            assert "Idempotent-Replayed" in responses["201"]["headers"]
    case = spec["paths"]["/api/v1/cases/{case_id}"]
    assert "ETag" in case["get"]["responses"]["200"]["headers"]
    assert "304" in case["get"]["responses"]
    assert "ETag" in case["patch"]["responses"]["200"]["headers"]


def test_docs_list_every_operation_by_its_stable_id(spec: dict[str, Any]) -> None:
    documented = set(re.findall(r"^\| `(\w+)` \| ([A-Z]+) \| `(/[^`]*)` \|$", API_DOC, re.M))
    served = {(op["operationId"], m.upper(), p) for m, p, op in _operations(spec)}

    assert documented == served


def _problem_types_in_code() -> dict[str, int]:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        importlib.import_module(module.name)
    found: dict[str, int] = {AppError.slug: AppError.status}

    def walk(cls: type[AppError]) -> None:
        for sub in cls.__subclasses__():
            found[sub.slug] = sub.status
            walk(sub)

    walk(AppError)
    found |= {slug: status for status, slug in _HTTP_SLUGS.items()}
    # Slugs written where an answer is built outside the exception classes.
    for source in (ROOT / "app").rglob("*.py"):
        for line in source.read_text().splitlines():
            if "slug=" in line or "_SLUG =" in line:
                for slug in re.findall(r'"([a-z]+(?:-[a-z]+)+|[a-z]+)"', line):
                    found.setdefault(slug, 0)
    return found


def test_the_problem_catalogue_matches_the_code() -> None:
    documented = {
        slug: int(status)
        for slug, status in re.findall(r"^\| `([a-z-]+)` \| (\d{3}) \|", API_DOC, re.M)
    }
    in_code = _problem_types_in_code()

    assert set(documented) == set(in_code)
    for slug, status in in_code.items():
        if status:
            assert documented[slug] == status, slug


def test_a_405_names_every_method_of_the_path(client: TestClient, headers: dict[str, str]) -> None:
    response = client.delete(f"/api/v1/cases/{uuid.uuid4()}", headers=headers)

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH"}


def test_if_none_match_gives_304_until_the_case_changes(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}"
    first = client.get(url, headers=headers)
    tag = first.headers["etag"]

    same = client.get(url, headers=headers | {"If-None-Match": tag})
    weak = client.get(url, headers=headers | {"If-None-Match": f"W/{tag}"})
    client.post(
        f"{url}/attempts",
        json={"attempted_at": "2026-11-16T09:12:00+01:00", "outcome": "no_slot"},
        headers=headers,
    )
    after = client.get(url, headers=headers | {"If-None-Match": tag})

    assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", tag)
    assert weak.status_code == 304  # If-None-Match compares weakly
    assert after.status_code == 200
    assert after.headers["etag"] != tag
    assert after.json()["updated_at"] > first.json()["updated_at"]


def test_a_client_renamed_changes_its_cases_etag(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}"
    tag = client.get(url, headers=headers).headers["etag"]

    client.patch(f"/api/v1/clients/{case.client_id}", json={"last_name": "Kone"}, headers=headers)
    again = client.get(url, headers=headers | {"If-None-Match": tag})

    assert again.status_code == 200
    assert again.json()["client"]["last_name"] == "Kone"


def test_the_same_key_creates_one_client_and_replays(
    client: TestClient, headers: dict[str, str]
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    payload = client_payload()
    reordered = dict(reversed(list(payload.items())))

    first = client.post("/api/v1/clients", json=payload, headers=headers | key)
    again = client.post("/api/v1/clients", json=reordered, headers=headers | key)
    other = client.post(
        "/api/v1/clients", json=client_payload(last_name="Autre"), headers=headers | key
    )
    listed = client.get("/api/v1/clients", headers=headers).json()["items"]

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert len(listed) == 1


def test_the_same_key_uploads_one_piece_of_evidence(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/evidence"
    key = {"Idempotency-Key": "upload-1"}
    image = files.png()

    def upload(content: bytes) -> Any:
        return client.post(
            url,
            data={"kind": "screenshot"},
            files={"file": ("capture.png", content, "image/png")},
            headers=headers | key,
        )

    first, again, other = upload(image), upload(image), upload(files.png(color="black"))
    listed = client.get(url, headers=headers).json()["items"]

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert len(listed) == 1


def test_an_api_key_replay_never_shows_the_secret(
    client: TestClient, headers: dict[str, str]
) -> None:
    key = {"Idempotency-Key": "key-1"}
    body = {"name": "scanner", "role": "paralegal"}

    first = client.post("/api/v1/api-keys", json=body, headers=headers | key)
    again = client.post("/api/v1/api-keys", json=body, headers=headers | key)

    assert first.json()["secret"]
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["secret"] is None
    assert client.get(first.headers["location"], headers=headers).json()["id"] == first.json()["id"]


def test_a_key_where_it_cannot_be_honoured_is_a_400(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)
    key = {"Idempotency-Key": "patch-1"}

    patched = client.patch(
        f"/api/v1/clients/{person.id}", json={"birth_place": "Dakar"}, headers=headers | key
    )

    assert patched.status_code == 400
    assert patched.json()["type"].endswith("/idempotency-key-not-supported")
    assert client.get(f"/api/v1/clients/{person.id}", headers=headers).json()["birth_place"] != (
        "Dakar"
    )


def test_every_201_says_where_the_resource_is(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    attempt = client.post(
        f"/api/v1/cases/{case.id}/attempts",
        json={"attempted_at": "2026-11-16T09:12:00+01:00", "outcome": "no_slot"},
        headers=headers,
    )
    user = client.post(
        "/api/v1/users",
        json={
            "email": "nouvelle@cabinet-avocats.fr",
            "full_name": "Nouvelle",
            "role": "paralegal",
            "password": "A-long-password-for-her-2026",
        },
        headers=headers,
    )

    for created in (attempt, user):
        assert created.status_code == 201
        assert client.get(created.headers["location"], headers=headers).json() == created.json()


def test_lists_page_with_cursors_under_a_case(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/contacts"
    for day in ("2026-11-02", "2026-11-02", "2026-11-09"):
        client.post(
            url,
            json={
                "channel": "email",
                "sent_date": day,
                "recipient": "Préfecture",
                "summary": "RDV",
            },
            headers=headers,
        )
    seen: list[str] = []
    cursor = ""
    while True:
        page = client.get(url, params={"limit": 1, "cursor": cursor}, headers=headers).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert len(seen) == len(set(seen)) == 3
    bad = client.get(url, params={"cursor": "not-ours"}, headers=headers)
    assert bad.status_code == 400
    assert bad.json()["type"].endswith("/invalid-cursor")


def test_external_refs_are_unique_and_found(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    first = client.post(
        "/api/v1/clients", json=client_payload(external_ref="DMS-42"), headers=headers
    )
    second = client.post(
        "/api/v1/clients", json=client_payload(external_ref="DMS-42"), headers=headers
    )
    found = client.get("/api/v1/clients", params={"external_ref": "DMS-42"}, headers=headers)
    case = make_case(session)
    tagged = client.patch(
        f"/api/v1/cases/{case.id}", json={"external_ref": "MATTER 7"}, headers=headers
    )
    by_ref = client.get("/api/v1/cases", params={"external_ref": "MATTER 7"}, headers=headers)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["holder_id"] == first.json()["id"]
    assert [c["id"] for c in found.json()["items"]] == [first.json()["id"]]
    assert tagged.json()["external_ref"] == "MATTER 7"
    assert [c["id"] for c in by_ref.json()["items"]] == [str(case.id)]


def test_updated_since_finds_the_case_whose_evidence_changed(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    quiet, busy = make_case(session), make_case(session)
    clock.pin(clock.now() + timedelta(minutes=5))
    mark = clock.now().isoformat()
    client.post(
        f"/api/v1/cases/{busy.id}/evidence",
        data={"kind": "screenshot"},
        files={"file": ("capture.png", files.png(), "image/png")},
        headers=headers,
    )

    changed = client.get("/api/v1/cases", params={"updated_since": mark}, headers=headers)

    assert [c["id"] for c in changed.json()["items"]] == [str(busy.id)]
    assert quiet.id != busy.id


def test_request_examples_are_valid_bodies(spec: dict[str, Any]) -> None:
    from app.attempts.schemas import AttemptCreate
    from app.auth.schemas import ApiKeyCreate
    from app.cases.schemas import CaseCreate, StageChangeCreate
    from app.clients.schemas import ClientCreate
    from app.contacts.schemas import ContactCreate
    from app.documents.schemas import DocumentCreate
    from app.proceedings.schemas import ProceedingCreate

    models = (
        AttemptCreate, ApiKeyCreate, CaseCreate, StageChangeCreate, ClientCreate,
        ContactCreate, DocumentCreate, ProceedingCreate,
    )  # fmt: skip
    for model in models:
        examples = spec["components"]["schemas"][model.__name__]["examples"]
        for example in examples:
            model.model_validate(example)


def test_resources_without_a_version_get_a_strong_etag_from_their_body(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    tribunal = client.get("/api/v1/tribunals/montreuil", headers=headers)
    tag = tribunal.headers["etag"]

    again = client.get("/api/v1/tribunals/montreuil", headers=headers | {"If-None-Match": tag})
    client.patch(
        "/api/v1/tribunals/montreuil", json={"address": "7 rue Catherine Puig"}, headers=headers
    )
    edited = client.get("/api/v1/tribunals/montreuil", headers=headers | {"If-None-Match": tag})

    assert not tag.startswith("W/")
    assert again.status_code == 304
    assert edited.status_code == 200
    assert edited.headers["etag"] != tag
