"""Every (from, to) pair of stages, through the API."""

import itertools

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.cases.stages import Stage
from tests.builders import assert_problem, auth, auth_as, make_api_key, make_case, make_user

ALLOWED = {
    (Stage.attempts, Stage.prefecture_contact),
    (Stage.attempts, Stage.appointment_obtained),
    (Stage.attempts, Stage.closed),
    (Stage.prefecture_contact, Stage.interim_relief),
    (Stage.prefecture_contact, Stage.appointment_obtained),
    (Stage.prefecture_contact, Stage.closed),
    (Stage.interim_relief, Stage.appointment_obtained),
    (Stage.interim_relief, Stage.closed),
    (Stage.appointment_obtained, Stage.closed),
    (Stage.closed, Stage.attempts),
    (Stage.closed, Stage.prefecture_contact),
    (Stage.closed, Stage.interim_relief),
}
PAIRS = list(itertools.product(Stage, Stage))


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_table(
    client: TestClient, session: Session, current: Stage, target: Stage
) -> None:
    case = make_case(session, stage=current)
    headers = auth_as(session, Role.lawyer)

    # The readiness criteria are another rule (tests/readiness): a lawyer's override
    # takes them out of the way here.
    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": target, "note": "motif du changement", "override_reason": "test"},
        headers=headers,
    )

    if (current, target) in ALLOWED:
        assert response.status_code == 201, response.text
        assert response.json()["from_stage"] == current
        assert client.get(f"/api/v1/cases/{case.id}", headers=headers).json()["stage"] == target
    else:
        body = assert_problem(response, 409, "stage-transition-not-allowed")
        assert body["from_stage"] == current
        assert target not in body["allowed"]


@pytest.mark.parametrize(
    ("current", "target"),
    [(Stage.attempts, Stage.closed), (Stage.closed, Stage.attempts)],
    ids=["close", "reopen"],
)
def test_paralegals_neither_close_nor_reopen(
    client: TestClient, session: Session, current: Stage, target: Stage
) -> None:
    case = make_case(session, stage=current)

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": target, "note": "fin"},
        headers=auth_as(session, Role.paralegal),
    )

    assert_problem(response, 403, "stage-change-forbidden")


def test_paralegals_move_a_ready_case_forward(client: TestClient, session: Session) -> None:
    case = make_case(session)
    headers = auth_as(session, Role.paralegal)
    client.post(
        f"/api/v1/cases/{case.id}/attempts/batch",
        json={"attempts": [
            {"attempted_at": f"2026-03-{day:02d}T09:00:00+01:00", "outcome": "no_slot"}
            for day in (2, 3, 4, 9, 10)
        ]},
        headers=headers,
    )  # fmt: skip

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "prefecture_contact"},
        headers=headers,
    )

    assert response.status_code == 201


def test_closing_needs_a_reason_and_reopening_clears_it(
    client: TestClient, session: Session
) -> None:
    case = make_case(session)
    headers = auth_as(session, Role.lawyer)
    url = f"/api/v1/cases/{case.id}/stage-changes"

    no_reason = client.post(url, json={"to_stage": "closed"}, headers=headers)
    closed = client.post(
        url, json={"to_stage": "closed", "note": "Client injoignable"}, headers=headers
    )
    after_close = client.get(f"/api/v1/cases/{case.id}", headers=headers).json()
    client.post(url, json={"to_stage": "attempts", "note": "Le client est revenu"}, headers=headers)
    reopened = client.get(f"/api/v1/cases/{case.id}", headers=headers).json()

    body = assert_problem(no_reason, 422)
    assert body["errors"][0]["loc"] == ["body", "note"]
    assert closed.status_code == 201
    assert (after_close["closed_reason"], after_close["closed_at"] is not None) == (
        "Client injoignable",
        True,
    )
    assert (reopened["stage"], reopened["closed_reason"], reopened["closed_at"]) == (
        "attempts",
        None,
        None,
    )


def test_history_records_who_and_when_in_order(client: TestClient, session: Session) -> None:
    case = make_case(session)
    headers = auth_as(session, Role.lawyer)
    url = f"/api/v1/cases/{case.id}/stage-changes"
    for stage in ("prefecture_contact", "interim_relief", "appointment_obtained"):
        body = {"to_stage": stage, "note": stage, "override_reason": "dossier urgent"}
        client.post(url, json=body, headers=headers)

    history = client.get(url, headers=headers).json()["items"]

    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("attempts", "prefecture_contact"),
        ("prefecture_contact", "interim_relief"),
        ("interim_relief", "appointment_obtained"),
    ]
    assert len({h["actor_user_id"] for h in history}) == 1
    assert [h["created_at"] for h in history] == sorted(h["created_at"] for h in history)


def test_history_is_append_only(client: TestClient, session: Session) -> None:
    case = make_case(session)
    headers = auth_as(session, Role.admin)
    url = f"/api/v1/cases/{case.id}/stage-changes"

    assert_problem(client.delete(url, headers=headers), 405)
    assert_problem(client.put(url, json={}, headers=headers), 405)


def test_a_stage_change_with_a_stale_if_match_is_412(client: TestClient, session: Session) -> None:
    case = make_case(session)
    headers = auth_as(session, Role.lawyer)

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "prefecture_contact"},
        headers=headers | {"If-Match": '"7"'},
    )

    assert_problem(response, 412)


def test_an_api_key_acts_with_its_own_role(client: TestClient, session: Session) -> None:
    lawyer = make_user(session, role=Role.lawyer)
    script_key = make_api_key(session, lawyer, role=Role.paralegal)
    case = make_case(session)

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "closed", "note": "fin"},
        headers=auth(script_key),
    )

    assert_problem(response, 403, "stage-change-forbidden")
