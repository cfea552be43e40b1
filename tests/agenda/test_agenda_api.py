import uuid
from datetime import date, timedelta

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import User
from app.auth.permissions import Role
from app.cases.models import UrgencyFact, UrgencyKind
from app.cases.stages import Stage
from app.clock import today
from app.contacts.models import ContactChannel, PrefectureContact
from app.proceedings.models import DecisionOutcome, Proceeding
from tests.builders import (
    PINNED_NOW,
    assert_problem,
    auth,
    auth_as,
    make_case,
    make_client,
    make_user,
    token_for,
)


def _letter(session: Session, case_id: uuid.UUID, delivered: date, user_id: uuid.UUID) -> None:
    session.add(
        PrefectureContact(
            case_id=case_id,
            channel=ContactChannel.registered_letter,
            sent_date=delivered - timedelta(days=2),
            delivered_date=delivered,
            created_by_user_id=user_id,
        )
    )
    session.flush()


def _injunction(session: Session, case_id: uuid.UUID, notified: date, user_id: uuid.UUID) -> None:
    session.add(
        Proceeding(
            case_id=case_id,
            tribunal_code="montreuil",
            decision_date=notified,
            outcome=DecisionOutcome.injunction,
            notification_date=notified,
            injunction_delay_days=15,
            astreinte_per_day_cents=10000,
            created_by_user_id=user_id,
        )
    )
    session.flush()


@pytest.fixture
def firm(session: Session) -> dict[str, User]:
    lawyer = make_user(session, role=Role.lawyer)
    other = make_user(session, role=Role.lawyer)
    now = today()
    mine = make_case(
        session,
        reference="CRN-2026-00101",
        assigned_lawyer_id=lawyer.id,
        stage=Stage.prefecture_contact,
    )
    theirs = make_case(
        session, reference="CRN-2026-00102", assigned_lawyer_id=other.id, stage=Stage.interim_relief
    )
    closed = make_case(
        session, reference="CRN-2026-00103", assigned_lawyer_id=lawyer.id, stage=Stage.closed
    )
    _letter(session, mine.id, now - timedelta(days=5), lawyer.id)  # answer due in 10 days
    _injunction(session, theirs.id, now - timedelta(days=3), other.id)
    _letter(session, closed.id, now - timedelta(days=5), lawyer.id)
    return {"lawyer": lawyer, "other": other}


def test_agenda_lists_open_files_deadlines_in_the_window(
    client: TestClient, session: Session, firm: dict[str, User]
) -> None:
    headers = auth_as(session, Role.paralegal)

    found = client.get(
        "/api/v1/agenda", params={"to": (today() + timedelta(days=20)).isoformat()}, headers=headers
    ).json()

    assert [(d["reference"], d["kind"]) for d in found] == [
        ("CRN-2026-00101", "response_due"),
        ("CRN-2026-00102", "compliance_due"),
        ("CRN-2026-00102", "cassation_deadline"),
    ]
    assert found[0]["due_date"] == (today() + timedelta(days=10)).isoformat()
    assert found[1]["due_date"] == (today() + timedelta(days=12)).isoformat()
    assert "CRN-2026-00103" not in {d["reference"] for d in found}


def test_agenda_filters_by_lawyer_and_kind(
    client: TestClient, session: Session, firm: dict[str, User]
) -> None:
    headers = auth_as(session, Role.lawyer)
    lawyer = firm["lawyer"]

    mine = client.get(
        "/api/v1/agenda", params={"lawyer_id": str(lawyer.id)}, headers=headers
    ).json()
    cassation = client.get(
        "/api/v1/agenda", params={"kind": "cassation_deadline"}, headers=headers
    ).json()

    assert [(d["reference"], d["kind"]) for d in mine] == [("CRN-2026-00101", "response_due")]
    assert [d["reference"] for d in cassation] == ["CRN-2026-00102"]


def test_agenda_window_is_validated(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)

    backwards = client.get(
        "/api/v1/agenda", params={"from": "2026-03-10", "to": "2026-03-01"}, headers=headers
    )
    too_long = client.get(
        "/api/v1/agenda", params={"from": "2026-01-01", "to": "2027-06-01"}, headers=headers
    )

    assert_problem(backwards, 422)
    assert_problem(too_long, 422)


def test_the_calendar_feed_parses_and_follows_its_token(
    client: TestClient, session: Session, firm: dict[str, User]
) -> None:
    lawyer = firm["lawyer"]
    headers = auth(token_for(lawyer))
    first = client.post("/api/v1/agenda/feed-token", headers=headers).json()
    feed = client.get("/api/v1/agenda.ics", params={"token": first["token"]})

    calendar = icalendar.Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert first["url"] == f"http://127.0.0.1:8000/api/v1/agenda.ics?token={first['token']}"
    assert calendar["prodid"] == "-//Créneau//Échéances//FR"
    assert [str(e["summary"]) for e in events] == [
        "CRN-2026-00101 \u2013 réponse attendue de la préfecture"
    ]
    assert str(events[0]["url"]).startswith("http://127.0.0.1:8000/api/v1/cases/")
    assert str(events[0]["transp"]) == "TRANSPARENT"
    assert events[0].decoded("dtstart") == today() + timedelta(days=10)
    assert str(events[0]["uid"]).endswith("@creneau")
    assert "Ben Salah" not in feed.text

    second = client.post("/api/v1/agenda/feed-token", headers=headers).json()
    assert_problem(client.get("/api/v1/agenda.ics", params={"token": first["token"]}), 401)
    assert client.get("/api/v1/agenda.ics", params={"token": second["token"]}).status_code == 200
    assert_problem(client.get("/api/v1/agenda.ics", params={"token": "crnfeed_0000_guess"}), 401)


def test_next_actions_and_deadlines_of_one_case(client: TestClient, session: Session) -> None:
    lawyer = make_user(session, role=Role.lawyer)
    case = make_case(
        session,
        client=make_client(session, residence_document_expiry_date=today() + timedelta(days=20)),
    )
    _letter(session, case.id, today() - timedelta(days=20), lawyer.id)

    body = client.get(
        f"/api/v1/cases/{case.id}/next-actions", headers=auth(token_for(lawyer))
    ).json()

    assert [a["code"] for a in body["actions"]] == [
        "consider_interim_relief",
        "document_expiring",
        "keep_trying",
    ]
    assert {d["kind"] for d in body["deadlines"]} == {"response_due", "document_expiry"}


def test_agenda_items_have_exactly_the_documented_fields(
    client: TestClient, session: Session, firm: dict[str, User]
) -> None:
    from app.agenda.schemas import DeadlineRead

    found = client.get("/api/v1/agenda", headers=auth_as(session, Role.admin)).json()

    assert found
    for item in found:
        assert DeadlineRead.model_validate(item).model_dump(mode="json") == item


def test_the_feed_carries_no_free_text_and_no_host_from_the_request(
    client: TestClient,
    session: Session,
    firm: dict[str, User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    lawyer = firm["lawyer"]
    case = make_case(session, assigned_lawyer_id=lawyer.id)
    session.add(
        UrgencyFact(case_id=case.id, kind=UrgencyKind.health, fact_date=today() + timedelta(days=5),
                    description="Opération de Zorglub à l'hôpital")
    )  # fmt: skip
    session.add(
        Proceeding(case_id=case.id, tribunal_code="montreuil",
                   hearing_at=PINNED_NOW + timedelta(days=3), created_by_user_id=lawyer.id)
    )  # fmt: skip
    session.flush()
    headers = auth(token_for(lawyer))

    token = client.post(
        "/api/v1/agenda/feed-token", headers=headers | {"Host": "evil.example:666"}
    ).json()
    with caplog.at_level("INFO"):
        feed = client.get("/api/v1/agenda.ics", params={"token": token["token"]})
    head = client.head("/api/v1/agenda.ics", params={"token": token["token"]})

    assert "evil.example" not in token["url"]
    assert "/api/v1/agenda.ics" in caplog.text  # the access line is there…
    assert token["token"] not in caplog.text  # …without the token
    assert "Zorglub" not in feed.text
    calendar = icalendar.Calendar.from_ical(feed.content)
    kinds = {str(e.decoded("categories")[0]): e for e in calendar.walk("VEVENT")}
    assert str(kinds["urgency"]["summary"]).endswith("échéance d'un élément d'urgence")
    assert str(kinds["hearing"]["transp"]) == "OPAQUE"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert head.status_code == 200
    assert head.content == b""
