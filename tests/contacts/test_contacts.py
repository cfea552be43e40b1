import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from tests.builders import assert_problem, auth_as, make_case


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


def letter(**overrides: object) -> dict[str, object]:
    return {
        "channel": "registered_letter",
        "sent_date": "2026-03-02",
        "recipient": "Préfecture de la Seine-Saint-Denis, bureau du séjour",
        "registered_letter_number": "1A 123 456 7890 1",
        "summary": "Demande de convocation pour le dépôt d'une demande d'admission exceptionnelle",
    } | overrides


def test_record_a_letter_then_its_acknowledgement_and_answer(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    created = client.post(f"/api/v1/cases/{case.id}/contacts", json=letter(), headers=headers)
    url = created.headers["location"]

    delivered = client.patch(
        url,
        json={"delivered_date": "2026-03-04"},
        headers=headers | {"If-Match": created.headers["etag"]},
    )
    answered = client.patch(
        url,
        json={
            "response_date": "2026-03-20",
            "response_outcome": "standard_reply",
            "response_summary": "Réponse type",
        },
        headers=headers | {"If-Match": delivered.headers["etag"]},
    )

    assert created.status_code == 201
    assert created.json()["registered_letter_number"] == "1A12345678901"
    assert delivered.json()["delivered_date"] == "2026-03-04"
    assert answered.json()["response_outcome"] == "standard_reply"
    assert answered.headers["etag"] == '"3"'
    listed = client.get(f"/api/v1/cases/{case.id}/contacts", headers=headers).json()["items"]
    assert [c["id"] for c in listed] == [created.json()["id"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delivered_date": "2026-03-01"}, "delivered_date"),
        ({"response_date": "2026-02-01"}, "response_date"),
        ({"response_outcome": "refusal"}, "response_date"),
        (
            {"channel": "email", "registered_letter_number": "1A12345678901"},
            "registered_letter_number",
        ),
        ({"registered_letter_number": "abc"}, "registered_letter_number"),
        ({"sent_date": "2999-01-01"}, "sent_date"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_inconsistent_contacts_are_422_naming_the_field(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    overrides: dict[str, object],
    field: str,
) -> None:
    case = make_case(session)

    response = client.post(
        f"/api/v1/cases/{case.id}/contacts", json=letter(**overrides), headers=headers
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", field]


def test_a_contact_of_another_case_is_not_found(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    mine, other = make_case(session), make_case(session)
    created = client.post(
        f"/api/v1/cases/{other.id}/contacts", json=letter(), headers=headers
    ).json()

    response = client.get(f"/api/v1/cases/{mine.id}/contacts/{created['id']}", headers=headers)

    assert_problem(response, 404, "contact-not-found")


def test_stale_if_match_on_a_contact_is_412(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    created = client.post(f"/api/v1/cases/{case.id}/contacts", json=letter(), headers=headers)

    response = client.patch(
        created.headers["location"], json={"summary": "x"}, headers=headers | {"If-Match": '"9"'}
    )

    assert_problem(response, 412)
