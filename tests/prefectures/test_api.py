import copy

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.permissions import Role
from app.prefectures.models import Prefecture
from migrations import reference_data
from tests.builders import assert_problem, auth_as


@pytest.fixture
def reader(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    return auth_as(session, Role.admin)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("2A", "2A"), ("2a", "2A"), ("974", "974"), ("01", "01"), ("1", "01"), ("93", "93")],
)
def test_codes_are_accepted_in_their_usual_forms(
    client: TestClient, reader: dict[str, str], typed: str, canonical: str
) -> None:
    response = client.get(f"/api/v1/prefectures/{typed}", headers=reader)

    assert response.status_code == 200
    assert response.json()["department_code"] == canonical


def test_a_prefecture_embeds_its_competent_tribunal(
    client: TestClient, reader: dict[str, str]
) -> None:
    body = client.get("/api/v1/prefectures/93", headers=reader).json()

    assert body["defendant"] == "le préfet de la Seine-Saint-Denis"
    assert body["chef_lieu"] == "Bobigny"
    assert body["tribunal"]["code"] == "montreuil"
    assert body["tribunal"]["name"] == "tribunal administratif de Montreuil"


def test_paris_is_defended_by_the_prefet_de_police(
    client: TestClient, reader: dict[str, str]
) -> None:
    body = client.get("/api/v1/prefectures/75", headers=reader).json()

    assert body["defendant"] == "le préfet de police"
    assert body["salutation"] == "Monsieur le Préfet de police"
    assert body["tribunal"]["name"] == "tribunal administratif de Paris"


@pytest.mark.parametrize("code", ["20", "96", "2C", "abc", "0", "9740", "%20"])
def test_unknown_codes_are_a_problem_404(
    client: TestClient, reader: dict[str, str], code: str
) -> None:
    assert_problem(
        client.get(f"/api/v1/prefectures/{code}", headers=reader), 404, "prefecture-not-found"
    )


def test_filter_by_tribunal_and_search_by_name(client: TestClient, reader: dict[str, str]) -> None:
    by_tribunal = client.get(
        "/api/v1/prefectures", params={"tribunal": "cergy-pontoise"}, headers=reader
    )
    by_name = client.get("/api/v1/prefectures", params={"q": "savoie"}, headers=reader)

    assert [p["department_code"] for p in by_tribunal.json()["items"]] == ["92", "95"]
    assert [p["department_name"] for p in by_name.json()["items"]] == ["Savoie", "Haute-Savoie"]


def test_lists_are_in_departement_order_across_pages(
    client: TestClient, reader: dict[str, str]
) -> None:
    codes: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 40} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/prefectures", params=params, headers=reader).json()
        codes += [p["department_code"] for p in page["items"]]
        pages += 1
        if (cursor := page["next_cursor"]) is None:
            break

    assert pages == 3
    assert codes[:3] == ["01", "02", "03"]
    assert codes[18:22] == ["19", "2A", "2B", "21"]
    assert len(codes) == len(set(codes)) == 108


def test_tribunals_and_procedures_are_listed(client: TestClient, reader: dict[str, str]) -> None:
    tribunals = client.get("/api/v1/tribunals?limit=200", headers=reader).json()["items"]
    guadeloupe = client.get("/api/v1/tribunals/Guadeloupe", headers=reader).json()
    procedures = client.get("/api/v1/procedures?limit=200", headers=reader).json()["items"]

    assert len(tribunals) == 42
    assert guadeloupe["name"] == "tribunal administratif de la Guadeloupe"
    assert {p["code"]: p["channel"] for p in procedures}["etudiant"] == "anef"
    assert_problem(
        client.get("/api/v1/tribunals/atlantis", headers=reader), 404, "tribunal-not-found"
    )


def test_admin_edits_contact_data_and_it_is_audited(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    response = client.patch(
        "/api/v1/prefectures/2a",
        json={
            "foreigners_service_address": "Palais Lantivy, 20000 Ajaccio",
            "foreigners_service_email": "pref-etrangers@corse-du-sud.gouv.fr",
            "booking_urls": ["https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/"],
            "salutation": "Madame la Préfète",
        },
        headers=admin,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["salutation"] == "Madame la Préfète"
    assert body["edited_fields"] == [
        "booking_urls", "foreigners_service_address", "foreigners_service_email", "salutation",
    ]  # fmt: skip
    event = session.exec(select(AuditEvent).where(AuditEvent.resource_id == "2A")).one()
    assert (event.action, event.details) == ("prefecture.update", {"fields": body["edited_fields"]})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"foreigners_service_email": "not an email"}, "foreigners_service_email"),
        ({"booking_urls": ["javascript:alert(1)"]}, "booking_urls"),
        ({"salutation": None}, "salutation"),
        ({"defendant": "le préfet de nulle part"}, "defendant"),
    ],
)
def test_invalid_edits_are_422_naming_the_field(
    client: TestClient, admin: dict[str, str], payload: dict[str, object], field: str
) -> None:
    body = assert_problem(client.patch("/api/v1/prefectures/13", json=payload, headers=admin), 422)

    assert body["errors"][0]["loc"][:2] == ["body", field]


def test_procedure_channel_is_editable(client: TestClient, admin: dict[str, str]) -> None:
    response = client.patch("/api/v1/procedures/salarie", json={"channel": "anef"}, headers=admin)

    assert response.status_code == 200
    assert response.json()["channel"] == "anef"
    assert response.json()["edited_fields"] == ["channel"]


def test_a_firms_edit_survives_a_later_data_migration(
    client: TestClient, session: Session, connection: Connection, admin: dict[str, str]
) -> None:
    client.patch(
        "/api/v1/prefectures/69",
        json={"foreigners_service_address": "Adresse saisie par le cabinet"},
        headers=admin,
    )
    later = copy.deepcopy(reference_data.load("2026-11-26"))
    [rhone] = [p for p in later["prefectures"] if p["department_code"] == "69"]
    rhone["chef_lieu"] = "Lyon (corrigé)"
    rhone["foreigners_service_address"] = "Adresse venant d'une révision ultérieure"
    rhone["foreigners_service_email"] = "etrangers@rhone.gouv.fr"

    reference_data.apply(connection, later)

    session.expire_all()
    row = session.get(Prefecture, "69")
    assert row is not None
    assert row.chef_lieu == "Lyon (corrigé)"
    assert row.foreigners_service_address == "Adresse saisie par le cabinet"
    assert row.foreigners_service_email == "etrangers@rhone.gouv.fr"
