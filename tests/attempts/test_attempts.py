from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.attempts.models import BookingAttempt
from app.auth.permissions import Role
from tests.builders import PINNED_NOW, assert_problem, auth_as, make_case

MESSAGE = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


def attempt(at: str = "2026-03-02T09:12:00+01:00", **overrides: object) -> dict[str, object]:
    return {
        "attempted_at": at,
        "outcome": "no_slot",
        "message": MESSAGE,
        "page_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1/",
        "procedure_selected": "Admission exceptionnelle au séjour",
        "device": "desktop",
    } | overrides


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(BookingAttempt)).one()


def test_an_attempt_is_stored_in_utc(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)

    response = client.post(f"/api/v1/cases/{case.id}/attempts", json=attempt(), headers=headers)

    assert response.status_code == 201
    assert response.json()["attempted_at"] == "2026-03-02T08:12:00Z"
    assert response.json()["recorded_by_user_id"]


def test_the_same_attempt_twice_is_not_duplicated(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/attempts"

    first = client.post(url, json=attempt(), headers=headers)
    # The same instant written with another offset is the same attempt.
    again = client.post(url, json=attempt("2026-03-02T08:12:00Z"), headers=headers)
    other_outcome = client.post(url, json=attempt(outcome="error"), headers=headers)

    assert (first.status_code, again.status_code, other_outcome.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert count(session) == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-03-02T09:12:00", "time zone"),
        ((PINNED_NOW + timedelta(hours=1)).isoformat(), "future"),
        ("yesterday", "datetime"),
    ],
)
def test_naive_future_or_garbled_times_are_422(
    client: TestClient, session: Session, headers: dict[str, str], value: str, message: str
) -> None:
    case = make_case(session)

    response = client.post(
        f"/api/v1/cases/{case.id}/attempts", json=attempt(value), headers=headers
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "attempted_at"]
    assert message in body["errors"][0]["msg"]


def test_a_batch_of_1000_is_accepted(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    batch = [attempt((start + timedelta(hours=3 * n)).isoformat()) for n in range(1000)]

    response = client.post(
        f"/api/v1/cases/{case.id}/attempts/batch", json={"attempts": batch}, headers=headers
    )

    assert response.status_code == 201
    assert (response.json()["created"], response.json()["duplicates"]) == (1000, 0)
    assert count(session) == 1000


def test_one_bad_row_refuses_the_whole_batch_naming_its_index(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    batch = [attempt(f"2026-03-{d:02d}T10:00:00+01:00") for d in range(1, 21)]
    batch[17]["attempted_at"] = "2026-03-18T10:00:00"
    batch[3]["outcome"] = "maybe"

    response = client.post(
        f"/api/v1/cases/{case.id}/attempts/batch", json={"attempts": batch}, headers=headers
    )

    body = assert_problem(response, 422)
    assert [e["loc"] for e in body["errors"]] == [
        ["body", "attempts", 3, "outcome"],
        ["body", "attempts", 17, "attempted_at"],
    ]
    assert count(session) == 0


def test_a_batch_over_1000_is_refused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    batch = [attempt() for _ in range(1001)]

    body = assert_problem(
        client.post(
            f"/api/v1/cases/{case.id}/attempts/batch", json={"attempts": batch}, headers=headers
        ),
        422,
    )

    assert body["errors"][0]["loc"] == ["body", "attempts"]


def test_a_batch_skips_attempts_already_recorded(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/attempts"
    client.post(url, json=attempt("2026-03-02T09:12:00+01:00"), headers=headers)
    batch = [
        attempt("2026-03-02T09:12:00+01:00"),
        attempt("2026-03-03T09:12:00+01:00"),
        attempt("2026-03-03T09:12:00+01:00"),
    ]

    response = client.post(f"{url}/batch", json={"attempts": batch}, headers=headers)

    assert (response.json()["created"], response.json()["duplicates"]) == (1, 2)
    ids = [a["id"] for a in response.json()["attempts"]]
    assert ids[1] == ids[2]
    assert count(session) == 2


def test_idempotency_key_replays_the_first_answer(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/attempts/batch"
    body = {
        "attempts": [attempt("2026-03-02T09:12:00+01:00"), attempt("2026-03-09T14:30:00+01:00")]
    }
    keyed = headers | {"Idempotency-Key": "scan-2026-03-09-batch-1"}

    first = client.post(url, json=body, headers=keyed)
    retry = client.post(url, json=body, headers=keyed)
    changed = client.post(
        url, json={"attempts": [attempt("2026-03-10T09:00:00+01:00")]}, headers=keyed
    )

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert_problem(changed, 422, "idempotency-key-reused")
    assert count(session) == 2


def test_an_idempotency_key_reused_on_another_case_is_refused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    first_case, second_case = make_case(session), make_case(session)
    keyed = headers | {"Idempotency-Key": "scan-2026-03-02"}

    first = client.post(f"/api/v1/cases/{first_case.id}/attempts", json=attempt(), headers=keyed)
    # The same key and body, another URL: not a retry of the first request.
    second = client.post(f"/api/v1/cases/{second_case.id}/attempts", json=attempt(), headers=keyed)

    assert first.status_code == 201, first.text
    assert first.json()["case_id"] == str(first_case.id)
    body = assert_problem(second, 422, "idempotency-key-reused")
    assert body["detail"] == (
        "Send a new Idempotency-Key for a new request; "
        "a retry must repeat the same method, path and body."
    )
    assert count(session) == 1


def test_idempotency_keys_belong_to_their_user(client: TestClient, session: Session) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/attempts"
    key = {"Idempotency-Key": "same-key"}

    alice = client.post(
        url,
        json=attempt("2026-03-02T09:12:00+01:00"),
        headers=auth_as(session, Role.paralegal) | key,
    )
    bob = client.post(
        url,
        json=attempt("2026-03-03T09:12:00+01:00"),
        headers=auth_as(session, Role.paralegal) | key,
    )

    assert (alice.status_code, bob.status_code) == (201, 201)
    assert count(session) == 2


def test_attempts_are_listed_oldest_first_with_a_cursor(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    url = f"/api/v1/cases/{case.id}/attempts"
    batch = [attempt(f"2026-03-{d:02d}T10:00:00+01:00") for d in (5, 1, 3, 2, 4)]
    client.post(f"{url}/batch", json={"attempts": batch}, headers=headers)

    first = client.get(url, params={"limit": 3}, headers=headers).json()
    second = client.get(
        url, params={"limit": 3, "cursor": first["next_cursor"]}, headers=headers
    ).json()

    days = [a["attempted_at"][:10] for a in first["items"] + second["items"]]
    assert days == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    assert second["next_cursor"] is None


def test_unknown_case_is_a_404(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/cases/00000000-0000-4000-8000-000000000000/attempts",
        json=attempt(),
        headers=headers,
    )

    assert_problem(response, 404, "case-not-found")
