from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.permissions import Role
from app.cases.models import Case, UrgencyFact, UrgencyKind
from app.cases.stages import Stage
from app.clock import today
from app.config import Settings
from app.contacts.models import ContactChannel, PrefectureContact
from app.policy import FirmPolicy
from app.readiness.service import ReadinessGuard
from tests.builders import assert_problem, auth_as, make_case, make_client, make_user


def ready_case(
    session: Session, http: TestClient, headers: dict[str, str], **case_fields: Any
) -> Case:
    """Four weeks of attempts with screenshots, mornings and afternoons, an e-mail sent long
    ago, an urgency date."""
    case = make_case(session, stage=Stage.prefecture_contact, **case_fields)
    start = today() - timedelta(days=26)
    batch = [
        {
            "attempted_at": f"{start + timedelta(days=d)}T{'09' if d % 4 else '15'}:10:00+01:00",
            "outcome": "no_slot",
        }
        for d in range(0, 26, 2)
    ]
    attempts = http.post(
        f"/api/v1/cases/{case.id}/attempts/batch", json={"attempts": batch}, headers=headers
    ).json()
    for attempt in attempts["attempts"]:
        http.post(
            f"/api/v1/cases/{case.id}/evidence",
            files={"file": ("c.png", _png(), "image/png")},
            data={"kind": "screenshot", "attempt_id": attempt["id"]},
            headers=headers,
        )
    user = make_user(session)
    session.add(
        PrefectureContact(
            case_id=case.id,
            channel=ContactChannel.email,
            sent_date=start,
            created_by_user_id=user.id,
        )
    )
    session.add(
        UrgencyFact(
            case_id=case.id,
            kind=UrgencyKind.employment,
            fact_date=today() + timedelta(days=20),
            description="Fin de la promesse d'embauche",
        )
    )
    session.flush()
    return case


def _png() -> bytes:
    from tests.evidence import files

    return files.png()


def test_readiness_lists_each_criterion_in_french(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.paralegal)
    case = make_case(session)

    body = client.get(f"/api/v1/cases/{case.id}/readiness", headers=headers).json()

    assert body["stage"] == "attempts"
    assert body["tribunal_code"] == "montreuil"
    assert [t["stage"] for t in body["targets"]] == ["prefecture_contact", "interim_relief"]
    interim = body["targets"][1]
    assert interim["ready"] is False
    count = next(c for c in interim["criteria"] if c["code"] == "attempt_count")
    assert count == {
        "code": "attempt_count", "label": "Nombre de tentatives infructueuses", "value": 0,
        "threshold": 10, "passed": False,
        "explanation": "0 tentative infructueuse\u202f; il en faut au moins 10.",
    }  # fmt: skip
    assert (
        "Envoyer un courrier recommandé avec accusé de réception à la préfecture."
        in interim["next_steps"]
    )


def test_a_ready_file_moves_on_without_override(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.paralegal)
    case = ready_case(session, client, headers)

    readiness = client.get(f"/api/v1/cases/{case.id}/readiness", headers=headers).json()
    moved = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "interim_relief"},
        headers=headers,
    )

    assert [c["code"] for c in readiness["targets"][0]["criteria"] if not c["passed"]] == []
    assert moved.status_code == 201


def test_failing_criteria_refuse_the_move_with_409(client: TestClient, session: Session) -> None:
    case = make_case(session, stage=Stage.prefecture_contact)

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "interim_relief"},
        headers=auth_as(session, Role.lawyer),
    )

    body = assert_problem(response, 409, "readiness-not-met")
    assert "attempt_weeks" in [c["code"] for c in body["failed_criteria"]]
    assert body["blockers"] == []


def _attempts_on(client: TestClient, case: Case, days: list[int], headers: dict[str, str]) -> None:
    batch = [
        {"attempted_at": f"2026-03-{d:02d}T09:00:00+01:00", "outcome": "no_slot"} for d in days
    ]
    response = client.post(
        f"/api/v1/cases/{case.id}/attempts/batch", json={"attempts": batch}, headers=headers
    )
    assert response.status_code == 201, response.text


def test_writing_to_the_prefecture_is_refused_before_enough_attempts(
    client: TestClient, session: Session
) -> None:
    headers = auth_as(session, Role.lawyer)
    case = make_case(session, stage=Stage.attempts)
    _attempts_on(client, case, [2, 3, 4, 9], headers)  # four attempts over two ISO weeks

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "prefecture_contact"},
        headers=headers,
    )

    body = assert_problem(response, 409, "readiness-not-met")
    assert body["detail"] == (
        "Not ready for prefecture_contact: attempt_count. "
        "A lawyer may move on anyway with an override_reason."
    )
    assert body["to_stage"] == "prefecture_contact"
    assert [(c["code"], c["value"], c["threshold"]) for c in body["failed_criteria"]] == [
        ("attempt_count", 4, 5)
    ]
    assert body["blockers"] == []
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).json()["stage"] == "attempts"


def test_writing_to_the_prefecture_is_allowed_after_enough_attempts(
    client: TestClient, session: Session
) -> None:
    headers = auth_as(session, Role.lawyer)
    case = make_case(session, stage=Stage.attempts)
    _attempts_on(client, case, [2, 3, 4, 9, 10], headers)  # five attempts over two ISO weeks

    response = client.post(
        f"/api/v1/cases/{case.id}/stage-changes",
        json={"to_stage": "prefecture_contact"},
        headers=headers,
    )

    assert response.status_code == 201, response.text
    assert (response.json()["from_stage"], response.json()["to_stage"]) == (
        "attempts",
        "prefecture_contact",
    )
    assert response.json()["override_reason"] is None


def test_only_a_lawyer_can_override_and_it_is_recorded(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, stage=Stage.prefecture_contact)
    url = f"/api/v1/cases/{case.id}/stage-changes"
    move = {"to_stage": "interim_relief", "override_reason": "Titre expirant dans 5 jours"}

    by_paralegal = client.post(url, json=move, headers=auth_as(session, Role.paralegal))
    by_lawyer = client.post(url, json=move, headers=auth_as(session, Role.lawyer))

    assert_problem(by_paralegal, 403, "override-not-allowed")
    assert by_lawyer.status_code == 201
    assert by_lawyer.json()["override_reason"] == "Titre expirant dans 5 jours"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "case.readiness_override")
    ).one()
    assert event.details["to"] == "interim_relief"
    assert "attempt_count" in event.details["criteria"]


def test_blockers_are_not_overridden_by_a_paralegal(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.paralegal)
    person = make_client(session, has_oqtf=True, oqtf_executed=False)
    case = ready_case(session, client, headers, client=person)
    url = f"/api/v1/cases/{case.id}/stage-changes"

    refused = client.post(url, json={"to_stage": "interim_relief"}, headers=headers)
    by_paralegal = client.post(
        url, json={"to_stage": "interim_relief", "override_reason": "x"}, headers=headers
    )
    by_lawyer = client.post(
        url,
        json={
            "to_stage": "interim_relief",
            "override_reason": "OQTF exécutée, justificatif à venir",
        },
        headers=auth_as(session, Role.lawyer),
    )

    body = assert_problem(refused, 409, "readiness-not-met")
    assert [b["code"] for b in body["blockers"]] == ["unexecuted_oqtf"]
    assert body["failed_criteria"] == []
    assert_problem(by_paralegal, 403, "override-not-allowed")
    assert by_lawyer.status_code == 201


def test_the_tribunal_policy_applies(
    client: TestClient,
    session: Session,
    app: FastAPI,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = auth_as(session, Role.paralegal)
    policy = FirmPolicy(tribunals={"montreuil": {"min_attempt_weeks": 6}})
    monkeypatch.setattr(settings, "policy", policy)
    # Starlette's State does not survive monkeypatch's undo: restore it by hand.
    guard = app.state.stage_guard
    app.state.stage_guard = ReadinessGuard(policy)
    try:
        at_montreuil = ready_case(session, client, headers, department_code="93")
        in_paris = ready_case(session, client, headers, department_code="75")

        def failing(case: Case) -> list[str]:
            body = client.get(f"/api/v1/cases/{case.id}/readiness", headers=headers).json()
            return [c["code"] for c in body["targets"][0]["criteria"] if not c["passed"]]

        assert failing(at_montreuil) == ["attempt_weeks"]
        assert failing(in_paris) == []
        move = {"to_stage": "interim_relief"}
        url = f"/api/v1/cases/{at_montreuil.id}/stage-changes"
        assert_problem(client.post(url, json=move, headers=headers), 409)
    finally:
        app.state.stage_guard = guard


def test_ready_for_lists_the_files_to_file_this_week(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)
    ready = ready_case(session, client, headers, reference="CRN-2026-90001")
    thin = make_case(session, reference="CRN-2026-90002", stage=Stage.prefecture_contact)
    make_case(session, reference="CRN-2026-90003", stage=Stage.closed)

    ready_list = client.get(
        "/api/v1/cases", params={"ready_for": "interim_relief"}, headers=headers
    ).json()
    not_ready = client.get(
        "/api/v1/cases", params={"not_ready_for": "interim_relief"}, headers=headers
    ).json()
    both = client.get(
        "/api/v1/cases",
        params={"ready_for": "interim_relief", "not_ready_for": "interim_relief"},
        headers=headers,
    )

    assert [c["reference"] for c in ready_list["items"]] == [ready.reference]
    assert [c["reference"] for c in not_ready["items"]] == [thin.reference]
    assert_problem(both, 422)


def test_ready_for_pages_through_many_candidates(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)
    for n in range(7):
        make_case(session, reference=f"CRN-2026-8{n:04d}", stage=Stage.prefecture_contact)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, str | int] = {"not_ready_for": "interim_relief", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/cases", params=params, headers=headers).json()
        assert "items" in page, page
        seen += [c["reference"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == [f"CRN-2026-8{n:04d}" for n in range(7)]
