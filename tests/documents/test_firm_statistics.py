"""The optional paragraph of the firm's own figures for the préfecture, in letters."""

import io
from datetime import timedelta
from typing import Any

import docx
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.attempts.models import AttemptOutcome, BookingAttempt
from app.auth.permissions import Role
from tests.builders import make_case, make_user


def _text(client: TestClient, document: dict[str, Any], headers: dict[str, str]) -> str:
    content = client.get(f"/api/v1/documents/{document['id']}/content", headers=headers).content
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _others(session: Session, people: int) -> int:
    """Other clients' attempts at the 93 this year: 3 each, one of them a slot offered."""
    actor = make_user(session, role=Role.paralegal)
    for n in range(people):
        case = make_case(session, department_code="93")
        for k, outcome in enumerate(
            (
                AttemptOutcome.no_slot,
                AttemptOutcome.no_slot,
                AttemptOutcome.slot_offered if n == 0 else AttemptOutcome.error,
            )
        ):
            session.add(
                BookingAttempt(
                    case_id=case.id,
                    recorded_by_user_id=actor.id,
                    outcome=outcome,
                    attempted_at=clock.now() - timedelta(days=30 + n, hours=k),
                )
            )
    session.flush()
    return people * 3


def test_a_letter_can_state_the_firm_figures_for_the_prefecture(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    others = _others(session, 6)
    url = f"/api/v1/cases/{built.case['id']}/documents"

    plain = client.post(url, json={"kind": "prefecture_letter"}, headers=built.headers).json()
    with_facts = client.post(
        url, json={"kind": "prefecture_letter", "firm_statistics": True}, headers=built.headers
    ).json()

    attempts = others + len(built.attempts)
    failed = attempts - 1  # the one slot offered
    expected = (
        f"sur les 12 derniers mois, {attempts} tentatives enregistrées par 7 personnes auprès de "
        f"ce service ont échoué dans {round(failed / attempts * 100)}\u00a0% des cas."
    )
    assert "Le cabinet constate" not in _text(client, plain, built.headers)
    assert expected in _text(client, with_facts, built.headers)


def test_too_few_people_and_the_paragraph_stays_out(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    _others(session, 2)  # three people in all: under the firm's threshold (5)
    url = f"/api/v1/cases/{built.case['id']}/documents"

    letter = client.post(
        url, json={"kind": "prefecture_letter", "firm_statistics": True}, headers=built.headers
    ).json()

    assert "Le cabinet constate" not in _text(client, letter, built.headers)
