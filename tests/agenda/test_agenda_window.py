"""The firm agenda reads only the facts that can fall due in its window: it must find exactly
the deadlines that the full facts of every open case give for that window."""

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from app.agenda import deadlines, service
from app.agenda.facts import case_facts
from app.auth.permissions import Role
from app.cases.models import Case, UrgencyFact, UrgencyKind
from app.cases.stages import Stage
from app.clock import today
from app.contacts.models import ContactChannel, PrefectureContact, ResponseOutcome
from app.policy import FirmPolicy
from app.proceedings.models import DecisionOutcome, Proceeding
from tests.builders import make_case, make_client, make_user

DEPARTMENTS = ("93", "75", "974", "976", "67", "2A")


def _seed(session: Session, rng: random.Random, cases: int) -> None:
    """A population with every kind of source, dated around today, open and closed."""
    user = make_user(session, role=Role.lawyer)
    now = today()

    def day(low: int, high: int) -> date:
        return now + timedelta(days=rng.randint(low, high))

    for n in range(cases):
        expiry = day(-20, 90) if rng.random() < 0.5 else None
        case = make_case(
            session,
            make_client(session, residence_document_expiry_date=expiry),
            department_code=rng.choice(DEPARTMENTS),
            stage=Stage.closed
            if n % 7 == 0
            else rng.choice([Stage.attempts, Stage.interim_relief]),
        )
        for _ in range(rng.randint(0, 3)):
            channel = rng.choice(list(ContactChannel))
            sent = day(-70, 0)
            delivered = sent + timedelta(days=rng.randint(1, 4)) if rng.random() < 0.7 else None
            answered = rng.random() < 0.3
            session.add(
                PrefectureContact(
                    case_id=case.id, channel=channel, sent_date=sent,
                    delivered_date=delivered if channel == ContactChannel.registered_letter
                    else None,
                    response_date=sent + timedelta(days=5) if answered else None,
                    response_outcome=rng.choice(list(ResponseOutcome)) if answered
                    else ResponseOutcome.none,
                    created_by_user_id=user.id,
                )
            )  # fmt: skip
        for _ in range(rng.randint(0, 2)):
            notified = day(-60, 0) if rng.random() < 0.8 else None
            hearing = (
                datetime.combine(day(-10, 40), time(rng.randint(8, 17)), UTC)
                if rng.random() < 0.5
                else None
            )
            appointment = (
                datetime.combine(day(-5, 40), time(9), UTC) if rng.random() < 0.3 else None
            )
            session.add(
                Proceeding(
                    case_id=case.id, tribunal_code="montreuil", hearing_at=hearing,
                    outcome=rng.choice([DecisionOutcome.injunction, None]),
                    decision_date=notified, notification_date=notified,
                    injunction_delay_days=rng.choice([8, 15, 30]),
                    astreinte_per_day_cents=rng.choice([None, 5000, 10000]),
                    latest_appointment_date=day(-10, 60) if rng.random() < 0.4 else None,
                    appointment_at=appointment, created_by_user_id=user.id,
                )
            )  # fmt: skip
        if rng.random() < 0.4:
            session.add(
                UrgencyFact(case_id=case.id, kind=UrgencyKind.employment, fact_date=day(-30, 80),
                            description="échéance")
            )  # fmt: skip
    session.flush()


def _key(found: list[deadlines.Deadline]) -> set[tuple[str, str, date, str, str]]:
    return {(str(d.case_id), d.kind.value, d.due_date, d.source_type, d.source_id) for d in found}


@pytest.mark.parametrize("working_days", [False, True])
@pytest.mark.parametrize(
    ("start_in", "length"), [(-30, 30), (0, 30), (-7, 7), (15, 90), (-60, 366)]
)
def test_the_windowed_agenda_equals_the_full_facts(
    session: Session, working_days: bool, start_in: int, length: int
) -> None:
    _seed(session, random.Random(f"{start_in}-{length}-{working_days}"), cases=40)
    policy = FirmPolicy(
        waiting_in_working_days=working_days, compliance_in_working_days=working_days
    )
    start = today() + timedelta(days=start_in)
    end = start + timedelta(days=length)

    windowed = service.agenda(session, policy=policy, start=start, end=end)
    expected = [
        deadline
        for case in session.exec(select(Case).where(Case.stage != Stage.closed))
        for deadline in deadlines.case_deadlines(
            case_facts(session, case=case), policy, today(), start=start, end=end
        )
    ]

    assert expected  # the population does reach into the window
    assert _key(windowed) == _key(expected)
