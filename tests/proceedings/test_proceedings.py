import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.cases.stages import Stage
from tests.builders import assert_problem, auth_as, make_case


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


@pytest.mark.parametrize(
    ("department", "tribunal"),
    [("93", "montreuil"), ("92", "cergy-pontoise"), ("974", "la-reunion")],
)
def test_tribunal_defaults_to_the_competent_one(
    client: TestClient, session: Session, headers: dict[str, str], department: str, tribunal: str
) -> None:
    case = make_case(session, department_code=department, stage=Stage.interim_relief)

    response = client.post(
        f"/api/v1/cases/{case.id}/proceedings",
        json={"filed_date": "2026-03-20", "filing_channel": "telerecours"},
        headers=headers,
    )

    assert response.status_code == 201
    assert response.json()["tribunal_code"] == tribunal


def test_decision_then_appointment_closes_the_loop(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session, stage=Stage.interim_relief)
    created = client.post(
        f"/api/v1/cases/{case.id}/proceedings",
        json={"filed_date": "2026-03-20", "court_case_number": "2604512"},
        headers=headers,
    )
    url = created.headers["location"]

    decided = client.patch(
        url,
        json={
            "decision_date": "2026-04-02", "outcome": "injunction", "injunction_delay_days": 15,
            "latest_appointment_date": "2026-05-15", "astreinte_per_day_cents": 10000,
            "costs_awarded_cents": 120000, "notification_date": "2026-04-03",
        },
        headers=headers,
    )  # fmt: skip
    appointment = client.patch(
        url,
        json={
            "appointment_at": "2026-04-14T09:30:00+02:00",
            "appointment_place": "Préfecture de Bobigny, guichet 4",
        },
        headers=headers,
    )
    history = client.get(f"/api/v1/cases/{case.id}/stage-changes", headers=headers).json()["items"]

    assert decided.status_code == 200
    assert appointment.json()["appointment_at"] == "2026-04-14T07:30:00Z"
    assert (
        client.get(f"/api/v1/cases/{case.id}", headers=headers).json()["stage"]
        == "appointment_obtained"
    )
    assert (
        history[-1]["note"] == "Rendez-vous obtenu le 14 avril 2026 à 9\u00a0h\u00a030, "
        "Préfecture de Bobigny, guichet 4."
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"filed_date": "2026-03-20", "decision_date": "2026-03-19", "outcome": "rejection"},
            "decision_date",
        ),
        ({"outcome": "rejection"}, "decision_date"),
        (
            {"decision_date": "2026-03-02", "outcome": "rejection", "injunction_delay_days": 15},
            "injunction_delay_days",
        ),
        ({"court_case_number": "26-0451"}, "court_case_number"),
        ({"tribunal_code": "atlantis"}, "tribunal_code"),
        ({"hearing_at": "2026-03-25T14:00:00"}, "hearing_at"),
        ({"astreinte_per_day_cents": -5}, "astreinte_per_day_cents"),
    ],
)
def test_inconsistent_proceedings_are_422(
    client: TestClient,
    session: Session,
    headers: dict[str, str],
    payload: dict[str, object],
    field: str,
) -> None:
    case = make_case(session, stage=Stage.interim_relief)

    body = assert_problem(
        client.post(f"/api/v1/cases/{case.id}/proceedings", json=payload, headers=headers), 422
    )

    assert body["errors"][0]["loc"] == ["body", field]
