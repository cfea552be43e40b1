"""The firm's statistics over a seeded dataset whose answers are computed here, by hand."""

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pydantic import TypeAdapter
from sqlmodel import Session

from app.attempts.models import AttemptOutcome, BookingAttempt, ReviewStatus
from app.auth.permissions import Role
from app.cases.models import StageChange
from app.cases.stages import Stage
from app.contacts.models import ContactChannel, PrefectureContact
from app.proceedings.models import DecisionOutcome, Proceeding
from app.statistics.schemas import PrefectureStatistics, TribunalStatistics
from tests.builders import auth_as, make_case, make_user

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.fixture
def lawyer(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


@pytest.fixture
def seeded(session: Session) -> dict[str, Any]:
    actor = make_user(session, role=Role.lawyer)
    a, b, c = (make_case(session, department_code="93") for _ in range(3))
    other = make_case(session, department_code="75")

    def attempt(
        case: Any, when: str, outcome: AttemptOutcome, status: ReviewStatus = ReviewStatus.accepted
    ) -> None:
        session.add(
            BookingAttempt(
                case_id=case.id,
                attempted_at=at(when),
                outcome=outcome,
                recorded_by_user_id=actor.id,
                review_status=status,
            )
        )

    def obtained(case: Any, when: str) -> None:
        session.add(
            StageChange(
                case_id=case.id,
                from_stage=Stage.attempts,
                to_stage=Stage.appointment_obtained,
                actor_user_id=actor.id,
                created_at=at(when),
            )
        )

    attempt(a, "2026-11-02T09:00", AttemptOutcome.no_slot)  # Monday
    attempt(a, "2026-11-02T09:30", AttemptOutcome.no_slot)
    attempt(a, "2026-11-03T14:00", AttemptOutcome.error)  # Tuesday
    attempt(a, "2026-11-04T20:00", AttemptOutcome.slot_offered)  # Wednesday
    attempt(a, "2026-11-04T21:00", AttemptOutcome.no_slot, ReviewStatus.submitted)  # not counted
    obtained(a, "2026-11-12T10:00")
    attempt(b, "2026-11-09T09:10", AttemptOutcome.no_slot)  # Monday
    session.add(
        PrefectureContact(
            case_id=b.id,
            channel=ContactChannel.email,
            sent_date=date(2026, 11, 10),
            created_by_user_id=actor.id,
        )
    )
    obtained(b, "2026-11-29T09:10")
    attempt(c, "2026-11-05T08:00", AttemptOutcome.no_slot)  # Thursday
    session.add(
        Proceeding(
            case_id=c.id,
            tribunal_code="montreuil",
            filed_date=date(2026, 11, 10),
            decision_date=date(2026, 11, 17),
            outcome=DecisionOutcome.injunction,
            astreinte_per_day_cents=10000,
            appointment_at=at("2026-11-27T10:00"),
            created_by_user_id=actor.id,
        )
    )
    obtained(c, "2026-11-27T08:00")
    attempt(other, "2026-11-02T09:00", AttemptOutcome.no_slot)
    attempt(other, "2026-11-02T10:00", AttemptOutcome.no_slot)
    session.flush()
    return {"a": a, "b": b, "c": c}


def test_figures_for_a_prefecture_match_the_hand_count(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    body = client.get("/api/v1/statistics/prefectures/93", headers=lawyer).json()

    assert body["attempts"] == 6
    assert body["outcomes"] == {"no_slot": 4, "error": 1, "slot_offered": 1}
    assert body["refusal_rate"] == round(5 / 6, 4)
    assert (body["clients"], body["cases"], body["small"]) == (3, 3, True)
    heat = body["attempts_by_weekday_hour"]
    assert heat[0][9] == 3  # Monday 9 h: two for A, one for B (Paris time)
    assert (heat[1][14], heat[2][20], heat[3][8]) == (1, 1, 1)
    assert sum(map(sum, heat)) == 6
    rates = body["refusal_rate_by_weekday_hour"]
    assert (rates[0][9], rates[2][20], rates[0][0]) == (1.0, 0.0, None)
    days = body["days_to_appointment"]
    expected = {
        "attempts": at("2026-11-12T10:00") - at("2026-11-02T09:00"),
        "letter": at("2026-11-29T09:10") - at("2026-11-09T09:10"),
        "refere": at("2026-11-27T08:00") - at("2026-11-05T08:00"),
    }
    for route, span in expected.items():
        assert days[route]["n"] == 1
        assert days[route]["median_days"] == round(span / timedelta(days=1), 1)
        assert days[route]["p90_days"] == days[route]["median_days"]
    referes = body["referes"]
    assert (referes["filed"], referes["outcomes"], referes["astreintes_ordered"]) == (
        1,
        {"injunction": 1},
        1,
    )
    assert referes["days_filing_to_order"]["median_days"] == 7.0
    with_readiness = client.get(
        "/api/v1/statistics/prefectures/93", params={"readiness": "true"}, headers=lawyer
    ).json()
    assert with_readiness["open_cases"] == 3  # none is ready: one or two attempts each
    assert with_readiness["ready_for_refere_share"] == 0.0
    assert "open_cases" not in body
    to_appointment = at("2026-11-27T10:00") - datetime(2026, 11, 17, tzinfo=ZoneInfo("UTC"))
    assert referes["days_order_to_appointment"]["median_days"] == round(
        to_appointment / timedelta(days=1), 1
    )


def test_medians_and_p90_over_several_cases(
    client: TestClient, session: Session, lawyer: dict[str, str]
) -> None:
    actor = make_user(session, role=Role.lawyer)
    spans = [3, 8, 10, 15, 40]  # days from the first attempt to the appointment
    for n, span in enumerate(spans):
        case = make_case(session, department_code="13")
        first = at(f"2026-10-0{n + 1}T09:00")
        session.add(
            BookingAttempt(
                case_id=case.id,
                attempted_at=first,
                outcome=AttemptOutcome.no_slot,
                recorded_by_user_id=actor.id,
            )
        )
        session.add(
            StageChange(
                case_id=case.id,
                from_stage=Stage.attempts,
                to_stage=Stage.appointment_obtained,
                actor_user_id=actor.id,
                created_at=first + timedelta(days=span),
            )
        )
    session.flush()

    days = client.get("/api/v1/statistics/prefectures/13", headers=lawyer).json()[
        "days_to_appointment"
    ]["attempts"]

    ordered = sorted(spans)  # nearest rank: the ceil(n * p)-th value
    assert days == {
        "n": 5,
        "median_days": float(ordered[2]),
        "p90_days": float(ordered[4]),
        "small": False,
    }


def test_csv_for_outside_the_firm_blanks_small_counts(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    inside = client.get(
        "/api/v1/statistics/prefectures/93", headers=lawyer | {"Accept": "text/csv"}
    )
    outside = client.get(
        "/api/v1/statistics/prefectures/93",
        params={"external": "true"},
        headers=lawyer | {"Accept": "text/csv"},
    )

    rows = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(inside.text))}
    blanked = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(outside.text))}
    assert inside.headers["content-type"].startswith("text/csv")
    assert rows["attempts"] == "6"
    assert rows["clients"] == "3"
    assert blanked["attempts"] == "6"  # above the threshold (5)
    assert blanked["clients"] == ""  # 3 people: too few to leave the firm


def test_charts_are_images_with_content(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    for name in ("refusals", "days-to-appointment", "refere-outcomes"):
        png = client.get(f"/api/v1/statistics/prefectures/93/charts/{name}.png", headers=lawyer)
        svg = client.get(f"/api/v1/statistics/prefectures/93/charts/{name}.svg", headers=lawyer)
        again = client.get(f"/api/v1/statistics/prefectures/93/charts/{name}.png", headers=lawyer)

        image = Image.open(io.BytesIO(png.content))
        assert png.headers["content-type"] == "image/png"
        assert image.width > 400
        assert image.height > 200
        assert sum(1 for n in image.convert("L").histogram() if n) > 10  # not blank
        assert svg.text.lstrip().startswith("<?xml")
        assert again.content == png.content  # same data, same bytes


def test_paralegals_see_no_statistics(
    client: TestClient, session: Session, seeded: dict[str, Any]
) -> None:
    paralegal = auth_as(session, Role.paralegal)

    assert client.get("/api/v1/statistics/prefectures", headers=paralegal).status_code == 403


def test_tribunal_figures_gather_their_prefectures(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    tribunals = client.get("/api/v1/statistics/tribunals", headers=lawyer).json()

    by_code = {t["tribunal_code"]: t for t in tribunals}
    assert by_code["montreuil"]["attempts"] == 6  # the 93
    assert by_code["paris"]["attempts"] == 2  # the 75


def test_a_list_says_what_each_prefecture_says_alone(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    listed = client.get("/api/v1/statistics/prefectures", headers=lawyer).json()
    alone = {
        code: client.get(f"/api/v1/statistics/prefectures/{code}", headers=lawyer).json()
        for code in ("93", "75")
    }

    by_code = {item["department_code"]: item for item in listed}
    assert by_code["93"] == alone["93"]
    assert by_code["75"] == alone["75"]


def test_unknown_filters_are_refused_not_a_500(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str]
) -> None:
    odd = client.get(
        "/api/v1/statistics/prefectures/93",
        params={"booking_channel": "carrier-pigeon", "from": "2000-01-01T00:00:00Z"},
        headers=lawyer,
    )
    unknown_procedure = client.get(
        "/api/v1/statistics/prefectures/93", params={"procedure": "0" * 60}, headers=lawyer
    )

    assert odd.status_code == 422
    assert unknown_procedure.status_code == 200
    assert unknown_procedure.json()["attempts"] == 0


@pytest.mark.parametrize("readiness", [False, True])
def test_every_answer_is_what_openapi_publishes(
    client: TestClient, seeded: dict[str, Any], lawyer: dict[str, str], readiness: bool
) -> None:
    """The service builds plain dicts; the published models forbid undeclared keys, so a figure
    added without its schema fails here (and in the contract's response checks)."""
    params = {"readiness": "true"} if readiness else {}
    answers = {
        path: client.get(f"/api/v1/statistics/{path}", params=params, headers=lawyer).json()
        for path in ("prefectures", "prefectures/93", "prefectures/75", "tribunals")
    }

    prefectures = TypeAdapter(list[PrefectureStatistics]).validate_python(answers["prefectures"])
    assert [p.department_code for p in prefectures] == ["75", "93"]
    assert PrefectureStatistics.model_validate(answers["prefectures/93"]).referes.filed == 1
    # No référé at the 75: the empty figures are described too.
    assert PrefectureStatistics.model_validate(answers["prefectures/75"]).referes.filed == 0
    tribunals = TypeAdapter(list[TribunalStatistics]).validate_python(answers["tribunals"])
    assert {t.tribunal_code for t in tribunals} == {"montreuil", "paris"}
    assert all((p.open_cases is not None) == readiness for p in prefectures)
