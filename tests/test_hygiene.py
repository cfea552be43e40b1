"""Hostile input is a 4xx, never a 500; every answer carries the headers personal data needs."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.config import Settings
from app.main import create_app
from tests.builders import (
    PASSWORD,
    assert_problem,
    auth,
    auth_as,
    client_payload,
    make_case,
    make_user,
    token_for,
)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("attempts", {"attempted_at": "0001-01-01T00:00:00+01:00",
                      "outcome": "no_slot"}, "attempted_at"),
        ("attempts/batch", {"attempts": [{"attempted_at": "0001-01-01T00:30:00+14:00",
                                          "outcome": "no_slot"}]}, "attempted_at"),
        ("proceedings", {"hearing_at": "9999-12-31T23:59:59+00:00"}, "hearing_at"),
        ("proceedings", {"appointment_at": "9999-12-31T23:00:00-14:00"}, "appointment_at"),
    ],
)  # fmt: skip
def test_dates_out_of_any_file_are_a_422(
    client: TestClient, session: Session, path: str, body: dict[str, Any], field: str
) -> None:
    case = make_case(session)

    response = client.post(
        f"/api/v1/cases/{case.id}/{path}", json=body, headers=auth_as(session, Role.lawyer)
    )

    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"][-1] == field
    assert "1900" in problem["errors"][0]["msg"]


def test_far_dates_cannot_be_stored_to_break_a_view_later(
    client: TestClient, session: Session
) -> None:
    headers = auth_as(session, Role.lawyer)
    person = client.post("/api/v1/clients", json=client_payload(), headers=headers).json()
    case = client.post(
        "/api/v1/cases",
        json={"client_id": person["id"], "department_code": "93", "procedure_code": "salarie",
              "booking_channel": "rdv_prefecture",
              "urgency_facts": [{"kind": "other", "fact_date": "9999-12-31", "description": "x"}]},
        headers=headers,
    )  # fmt: skip
    agenda = client.get("/api/v1/agenda", params={"from": "9999-12-31"}, headers=headers)

    assert assert_problem(case, 422)["errors"][0]["loc"][-1] == "fact_date"
    assert_problem(agenda, 422)


@pytest.mark.parametrize("value", ["yes", 1, "true", 0])
def test_booleans_are_true_or_false(client: TestClient, session: Session, value: Any) -> None:
    response = client.post(
        "/api/v1/clients",
        json=client_payload(has_oqtf=value),
        headers=auth_as(session, Role.lawyer),
    )

    assert assert_problem(response, 422)["errors"][0]["loc"][-1] == "has_oqtf"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/api/v1/cases?q=Ben%00Salah", ["query", "q"]),
        ("/api/v1/cases?department_code=9%003", ["query", "department_code"]),
        ("/api/v1/prefectures/9%003", ["path"]),
        ("/api/v1/audit-events?action=a%00", ["query", "action"]),
    ],
)
def test_control_characters_in_paths_and_queries_are_a_422(
    client: TestClient, session: Session, url: str, where: list[str]
) -> None:
    response = client.get(url, headers=auth_as(session, Role.admin))

    assert assert_problem(response, 422)["errors"][0]["loc"] == where


def test_a_nul_in_a_login_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "admin\x00@cabinet.fr", "password": "x" * 12}
    )

    assert_problem(response, 422)


def test_json_bodies_are_limited_before_they_are_read(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)
    huge = client_payload(address="x" * (2 * 1024 * 1024))

    declared = client.post("/api/v1/clients", json=huge, headers=headers)
    streamed = client.post(
        "/api/v1/clients",
        content=iter([b'{"civility": "madame", "address": "', b"x" * (2 * 1024 * 1024), b'"}']),
        headers=headers | {"Content-Type": "application/json"},
    )

    assert_problem(declared, 413, "payload-too-large")
    assert_problem(streamed, 413, "payload-too-large")


def test_every_answer_says_nosniff_and_api_answers_are_not_stored(
    client: TestClient, session: Session
) -> None:
    headers = auth_as(session, Role.lawyer)

    clients = client.get("/api/v1/clients", headers=headers)
    health = client.get("/health")
    missing = client.get("/api/v1/nowhere", headers=headers)

    for response in (clients, health, missing):
        assert response.headers["x-content-type-options"] == "nosniff"
    assert clients.headers["cache-control"] == "no-store"
    assert missing.headers["cache-control"] == "no-store"


def test_docs_can_be_turned_off(settings: Settings) -> None:
    closed = create_app(settings.model_copy(update={"public_docs": False}))

    with TestClient(closed) as client:
        statuses = [client.get(p).status_code for p in ("/docs", "/redoc", "/openapi.json")]

    assert statuses == [404, 404, 404]


def test_wrong_current_passwords_count_toward_lockout(client: TestClient, session: Session) -> None:
    user = make_user(session, password=PASSWORD, email="guess@cabinet-avocats.fr")
    headers = auth(token_for(user))
    body = {"current_password": "not the password!", "new_password": "Another-long-pass-2026!"}

    answers = [
        client.post("/api/v1/users/me/password", json=body, headers=headers) for _ in range(10)
    ]
    login = client.post(
        "/api/v1/auth/token", data={"username": "guess@cabinet-avocats.fr", "password": PASSWORD}
    )

    assert {a.status_code for a in answers} == {422}
    assert_problem(login, 401)  # locked: the right password no longer opens the account
