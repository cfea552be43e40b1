import re
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.permissions import Role
from app.cases.models import UrgencyFact, UrgencyKind
from tests.builders import PINNED_NOW, assert_problem, auth_as, make_client, make_user


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


def case_payload(client_id: uuid.UUID, **overrides: object) -> dict[str, object]:
    return {
        "client_id": str(client_id),
        "department_code": "93",
        "procedure_code": "aes_vie_privee",
        "aes_motif": "vie_privee_familiale",
        "booking_channel": "rdv_prefecture",
        "booking_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1234/",
        "urgency_facts": [
            {
                "kind": "employment",
                "fact_date": "2026-12-15",
                "description": "Promesse d'embauche caduque au 15 décembre",
            }
        ],
    } | overrides


def test_open_a_case_with_a_generated_reference(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)
    lawyer = make_user(session, role=Role.lawyer)

    response = client.post(
        "/api/v1/cases",
        json=case_payload(person.id, department_code="2a", assigned_lawyer_id=str(lawyer.id)),
        headers=headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"CRN-\d{4}-\d{5}", body["reference"])
    assert body["department_code"] == "2A"
    assert body["tribunal_code"] == "bastia"
    assert body["stage"] == "attempts"
    assert body["client"]["last_name"] == "Ben Salah"
    assert body["urgency_facts"][0]["kind"] == "employment"
    assert response.headers["etag"] == '"1"'
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.resource_id == body["id"])
    ).all()
    assert actions == ["case.create"]


def test_references_follow_each_other_and_are_never_reused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)

    refs = [
        client.post("/api/v1/cases", json=case_payload(person.id), headers=headers).json()[
            "reference"
        ]
        for _ in range(3)
    ]

    numbers = [int(r.rsplit("-", 1)[1]) for r in refs]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert refs[0].startswith(f"CRN-{PINNED_NOW.year}-")


def test_the_reference_year_is_the_year_in_paris(client: TestClient, session: Session) -> None:
    person = make_client(session)

    # 23 h 30 UTC on New Year's Eve is already 0 h 30 on 1 January in Paris.
    with clock.pinned(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)):
        headers = auth_as(session, Role.paralegal)
        response = client.post("/api/v1/cases", json=case_payload(person.id), headers=headers)

    assert response.status_code == 201, response.text
    assert response.json()["reference"].startswith("CRN-2027-")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"client_id": "00000000-0000-4000-8000-000000000000"}, "client_id"),
        ({"department_code": "20"}, "department_code"),
        ({"procedure_code": "tourisme"}, "procedure_code"),
        ({"booking_channel": "pigeon"}, "booking_channel"),
        ({"booking_url": "ftp://example.org"}, "booking_url"),
        ({"assigned_lawyer_id": "00000000-0000-4000-8000-000000000000"}, "assigned_lawyer_id"),
        (
            {"urgency_facts": [{"kind": "health", "fact_date": "2026-13-01", "description": "x"}]},
            "urgency_facts",
        ),
    ],
)
def test_invalid_case_fields_are_422_naming_the_field(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    overrides: dict[str, object],
    field: str,
) -> None:
    person = make_client(session)

    response = client.post(
        "/api/v1/cases", json=case_payload(person.id) | overrides, headers=headers
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"][:2] == ["body", field]
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.create")).all() == []


def test_a_paralegal_cannot_be_assigned_as_the_lawyer(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    paralegal = make_user(session, role=Role.paralegal)
    person = make_client(session)

    response = client.post(
        "/api/v1/cases",
        json=case_payload(person.id, assigned_lawyer_id=str(paralegal.id)),
        headers=headers,
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "assigned_lawyer_id"]


def test_patch_honours_if_match_and_replaces_urgency_facts(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)
    created = client.post("/api/v1/cases", json=case_payload(person.id), headers=headers)
    url = f"/api/v1/cases/{created.json()['id']}"
    etag = created.headers["etag"]
    facts = [
        {"kind": "document_expiry", "fact_date": "2027-01-10", "description": "Fin du récépissé"}
    ]

    first = client.patch(
        url, json={"is_renewal": True, "urgency_facts": facts}, headers=headers | {"If-Match": etag}
    )
    second = client.patch(
        url, json={"site": "Sous-préfecture du Raincy"}, headers=headers | {"If-Match": etag}
    )

    assert first.status_code == 200
    assert first.json()["is_renewal"] is True
    assert [f["kind"] for f in first.json()["urgency_facts"]] == ["document_expiry"]
    assert_problem(second, 412)
    stored = session.exec(
        select(UrgencyFact).where(UrgencyFact.case_id == uuid.UUID(created.json()["id"]))
    ).all()
    assert [f.kind for f in stored] == [UrgencyKind.document_expiry]
    assert client.get(url, headers=headers).json()["site"] == ""


def test_if_match_compares_strongly_and_star_matches(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)
    created = client.post("/api/v1/cases", json=case_payload(person.id), headers=headers).json()
    url = f"/api/v1/cases/{created['id']}"

    # RFC 9110 §13.1.1: a weak tag never matches If-Match, even of the current version.
    weak = client.patch(url, json={"site": "A"}, headers=headers | {"If-Match": 'W/"1"'})
    star = client.patch(url, json={"site": "B"}, headers=headers | {"If-Match": "*"})
    listed = client.patch(url, json={"site": "C"}, headers=headers | {"If-Match": '"9", "2"'})

    assert weak.status_code == 412
    assert "weak" in weak.json()["detail"].lower()
    assert (star.status_code, listed.status_code) == (200, 200)
    assert listed.headers["etag"] == '"3"'


def test_stage_cannot_be_patched_directly(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    person = make_client(session)
    created = client.post("/api/v1/cases", json=case_payload(person.id), headers=headers).json()

    response = client.patch(
        f"/api/v1/cases/{created['id']}", json={"stage": "closed"}, headers=headers
    )

    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "stage"]


def test_deactivated_lawyer_cannot_be_assigned(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    gone: User = make_user(session, role=Role.lawyer, is_active=False)
    person = make_client(session)

    response = client.post(
        "/api/v1/cases",
        json=case_payload(person.id, assigned_lawyer_id=str(gone.id)),
        headers=headers,
    )

    assert_problem(response, 422)
