"""Drafts that are safe to file: local time, readiness before a petition, the letter's délai."""

import uuid
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.agenda import deadlines
from app.agenda.calendar import franc_deadline
from app.agenda.deadlines import CaseFacts, ProceedingFacts
from app.audit.models import AuditEvent
from app.auth.permissions import Role
from app.clients.models import Client
from app.policy import FirmPolicy
from tests.builders import assert_problem, auth_as, client_payload
from tests.documents.conftest import set_firm
from tests.documents.test_documents import generate, text_of
from tests.evidence import files

NNBSP = "\u202f"

# Attempts typed at La Réunion (UTC+4), at hours that fall on another day or another time of
# day in Paris: 2 h 10 on 5 November there is 23 h 10 on 4 November in Paris.
REUNION_TIMES = [
    "2026-10-20T07:30:00+04:00",
    "2026-10-23T19:45:00+04:00",
    "2026-10-27T08:15:00+04:00",
    "2026-10-30T20:05:00+04:00",
    "2026-11-03T07:40:00+04:00",
    "2026-11-05T02:10:00+04:00",
    "2026-11-09T18:30:00+04:00",
    "2026-11-12T08:00:00+04:00",
    "2026-11-14T21:15:00+04:00",
    "2026-11-17T07:05:00+04:00",
]


def _reunion_case(client: TestClient, session: Session) -> tuple[str, dict[str, str]]:
    set_firm(client, auth_as(session, Role.admin))
    headers = auth_as(session, Role.lawyer)
    person = client.post("/api/v1/clients", json=client_payload(), headers=headers).json()
    case = client.post(
        "/api/v1/cases",
        json={
            "client_id": person["id"],
            "department_code": "974",
            "procedure_code": "vie_privee_familiale",
            "booking_channel": "prefecture_site",
        },
        headers=headers,
    )
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    batch = [{"attempted_at": at, "outcome": "no_slot"} for at in REUNION_TIMES]
    attempts = client.post(
        f"/api/v1/cases/{case_id}/attempts/batch", json={"attempts": batch}, headers=headers
    ).json()["attempts"]
    for attempt, typed in zip(attempts, REUNION_TIMES, strict=True):
        shot = client.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": ("c.png", files.png(), "image/png")},
            data={"kind": "screenshot", "attempt_id": attempt["id"], "captured_at": typed},
            headers=headers,
        )
        assert shot.status_code == 201, shot.text
    return case_id, headers


def test_a_reunion_file_prints_and_counts_reunion_time(
    client: TestClient, session: Session
) -> None:
    case_id, headers = _reunion_case(client, session)

    annex = text_of(client, generate(client, case_id, headers, kind="attempts_annex"), headers)
    petition = text_of(
        client,
        generate(
            client, case_id, headers, kind="interim_relief_petition", override_reason="urgence"
        ),
        headers,
    )
    exhibits = client.get(f"/api/v1/cases/{case_id}/exhibits", headers=headers).json()["exhibits"]
    readiness = client.get(f"/api/v1/cases/{case_id}/readiness", headers=headers).json()

    nbsp = "\u00a0"
    assert f"5 novembre 2026\n2{nbsp}h{nbsp}10" in annex
    assert "\n4 novembre 2026" not in annex
    assert f"7{nbsp}h{nbsp}30" in annex  # not 4 h 30, Paris time
    assert "dates et heures en heure de La Réunion" in annex
    assert "en heure de La Réunion" in petition
    labels = [e["label"] for e in exhibits]
    assert (
        f"Capture d'écran du site de prise de rendez-vous le 5 novembre 2026 à 2{nbsp}h{nbsp}10"
        in (labels)
    )
    criteria = {c["code"]: c for t in readiness["targets"] for c in t["criteria"]}
    assert criteria["attempt_days"]["value"] == 10  # ten days there; nine in Paris
    assert criteria["attempt_time_slots"]["value"] == 2  # morning and evening there; 3 in Paris


def test_paris_files_say_nothing_about_time_zones(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)

    annex = text_of(
        client,
        generate(client, built.case["id"], built.headers, kind="attempts_annex"),
        built.headers,
    )

    assert "heure de" not in annex


def test_public_holidays_follow_the_territory() -> None:
    # 20 December 2027 (a Monday) is a holiday at La Réunion only; 27 April 2027 at Mayotte.
    assert franc_deadline(date(2027, 12, 4), 15) == date(2027, 12, 20)
    assert franc_deadline(date(2027, 12, 4), 15, "974") == date(2027, 12, 21)
    assert franc_deadline(date(2027, 4, 11), 15) == date(2027, 4, 27)
    assert franc_deadline(date(2027, 4, 11), 15, "976") == date(2027, 4, 28)
    order = ProceedingFacts(
        uuid.uuid4(), None, "injunction", date(2027, 12, 3), date(2027, 12, 4), 15, None, None, None
    )
    facts = CaseFacts(
        uuid.uuid4(), "CRN", "interim_relief", proceedings=(order,), holiday_region="974"
    )
    found = deadlines.case_deadlines(facts, FirmPolicy(), date(2027, 12, 5))
    cassation = next(d for d in found if d.kind == deadlines.DK.cassation_deadline)
    assert cassation.due_date == date(2027, 12, 21)


def test_the_reunion_case_reads_its_calendar_from_the_reference_data(
    client: TestClient, session: Session
) -> None:
    from app.agenda.facts import case_facts
    from app.cases.models import Case

    case_id, _ = _reunion_case(client, session)

    case = session.get(Case, uuid.UUID(case_id))
    assert case is not None
    assert case_facts(session, case=case).holiday_region == "974"


def test_a_weak_file_is_refused_then_drafted_under_a_lawyers_override(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=1)
    case_id = built.case["id"]
    body = {"kind": "interim_relief_petition"}

    refused = client.post(f"/api/v1/cases/{case_id}/documents", json=body, headers=built.headers)
    by_paralegal = client.post(
        f"/api/v1/cases/{case_id}/documents",
        json=body | {"override_reason": "le client perd son emploi"},
        headers=auth_as(session, Role.paralegal),
    )
    drafted = generate(
        client, case_id, built.headers, **body, override_reason="le client perd son emploi"
    )

    problem = assert_problem(refused, 409, "readiness-not-met")
    failed = {c["code"] for c in problem["failed_criteria"]}
    assert {"attempt_weeks", "attempt_span"} <= failed
    assert_problem(by_paralegal, 403, "override-not-allowed")
    assert drafted["options"]["override_reason"] == "le client perd son emploi"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "document.readiness_override")
    ).one()
    assert "attempt_span" in event.details["criteria"]
    text = text_of(client, drafted, built.headers)
    assert f"Tel est le cas{NNBSP}:" not in text  # the CE 435594 test is not claimed
    assert "1 semaines" not in text


def test_a_ready_file_is_drafted_without_override(client: TestClient, build: Any) -> None:
    built = build("93", weeks=4)

    text = text_of(
        client,
        generate(client, built.case["id"], built.headers, kind="interim_relief_petition"),
        built.headers,
    )

    assert f"Tel est le cas{NNBSP}:" in text


def test_the_letter_announces_the_wait_readiness_applies(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    # A document expiring within a month shortens the délai asked of the judge to 8 days;
    # the letter still gives the préfecture the policy's 15 days that readiness waits for.
    client_row = session.get(Client, uuid.UUID(built.case["client"]["id"]))
    assert client_row is not None
    client_row.residence_document_expiry_date = clock.today() + timedelta(days=10)
    session.add(client_row)
    session.flush()

    letter = text_of(
        client,
        generate(client, built.case["id"], built.headers, kind="prefecture_letter"),
        built.headers,
    )
    petition = generate(client, built.case["id"], built.headers, kind="interim_relief_petition")

    assert (
        f"dans un délai de {FirmPolicy().response_wait_days} jours à compter de la réception"
        in (letter)
    )
    assert petition["options"]["delay_days"] == FirmPolicy().petition_urgent_delay_days


def test_a_one_week_file_never_claims_the_case_law_test() -> None:
    from dataclasses import replace

    from app.documents.context.build import build
    from app.documents.context.types import Options
    from app.documents.sample import sample_snapshot

    sample = sample_snapshot()
    one_week = replace(sample, attempts=sample.attempts[:3])  # 2, 4 and 6 March 2026

    summary = build(one_week, Options())["attempts_summary"]
    full = build(sample, Options())["attempts_summary"]

    assert summary["weeks_text"] == "1 semaine calendaire"
    assert summary["days_text"] == "3 jours distincts"
    assert summary["meets_case_law"] is False
    assert full["meets_case_law"] is True
