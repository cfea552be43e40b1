"""Deadline computations, table-driven over the edge cases."""

import uuid
from datetime import UTC, date, datetime

import pytest

from app.agenda import calendar, deadlines
from app.agenda.deadlines import (
    AttemptStats,
    CaseFacts,
    ContactFacts,
    DeadlineKind,
    ProceedingFacts,
    attempt_stats,
)
from app.policy import FirmPolicy

POLICY = FirmPolicy()


def proceeding(**overrides: object) -> ProceedingFacts:
    values: dict[str, object] = {
        "id": uuid.UUID(int=1), "hearing_at": None, "outcome": "injunction",
        "decision_date": date(2026, 3, 2), "notification_date": date(2026, 3, 2),
        "injunction_delay_days": 15, "latest_appointment_date": None,
        "astreinte_per_day_cents": 10000, "appointment_at": None,
    } | overrides  # fmt: skip
    return ProceedingFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("notified", "last_day", "why"),
    [
        (date(2026, 3, 2), date(2026, 3, 18), "Monday + 15 days franc = Wednesday"),
        (date(2026, 3, 5), date(2026, 3, 23), "would end Saturday 21 → Monday 23"),
        (date(2026, 3, 6), date(2026, 3, 23), "would end Sunday 22 → Monday 23"),
        (
            date(2026, 4, 15),
            date(2026, 5, 4),
            "would end Friday 1 May (holiday), weekend → Monday 4",
        ),
        (date(2026, 4, 28), date(2026, 5, 15), "would end Thursday 14 May (Ascension) → Friday 15"),
        (date(2026, 12, 9), date(2026, 12, 28), "would end Friday 25 December → Monday 28"),
        (date(2026, 3, 14), date(2026, 3, 30), "spans the change to summer time: no shift"),
        (date(2026, 10, 12), date(2026, 10, 28), "spans the change to winter time: no shift"),
    ],
)
def test_cassation_window_is_a_franc_delay_to_the_next_working_day(
    notified: date, last_day: date, why: str
) -> None:
    assert deadlines.cassation_deadline(proceeding(notification_date=notified)) == last_day, why


def test_no_cassation_deadline_before_a_decision_is_notified() -> None:
    assert deadlines.cassation_deadline(proceeding(notification_date=None)) is None
    assert deadlines.cassation_deadline(proceeding(outcome=None)) is None


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (POLICY, date(2026, 3, 17)),  # calendar days
        (FirmPolicy(compliance_in_working_days=True), date(2026, 3, 23)),  # 15 working days
    ],
)
def test_prefets_compliance_delay(policy: FirmPolicy, expected: date) -> None:
    assert deadlines.compliance_due(proceeding(), policy) == expected


def test_compliance_in_working_days_skips_holidays() -> None:
    # Notified Thursday 30 April 2026, 3 working days: 4, 5, 6 May (1 May is a holiday).
    p = proceeding(notification_date=date(2026, 4, 30), injunction_delay_days=3)

    assert deadlines.compliance_due(p, FirmPolicy(compliance_in_working_days=True)) == date(
        2026, 5, 6
    )


@pytest.mark.parametrize(
    ("today", "accrued"),
    [(date(2026, 3, 17), 0), (date(2026, 3, 18), 10000), (date(2026, 3, 27), 100000)],
)
def test_astreinte_accrues_per_day_after_the_deadline(today: date, accrued: int) -> None:
    assert deadlines.accrued_astreinte_cents(proceeding(), POLICY, today) == accrued


def test_astreinte_stops_with_the_appointment() -> None:
    p = proceeding(appointment_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))

    assert deadlines.accrued_astreinte_cents(p, POLICY, date(2026, 4, 1)) == 0


@pytest.mark.parametrize(
    ("contact", "policy", "expected"),
    [
        (
            ContactFacts(
                uuid.uuid4(), "registered_letter", date(2026, 3, 2), date(2026, 3, 4), None
            ),
            POLICY,
            date(2026, 3, 19),
        ),
        (
            ContactFacts(uuid.uuid4(), "registered_letter", date(2026, 3, 2), None, None),
            POLICY,
            None,
        ),
        (
            ContactFacts(uuid.uuid4(), "email", date(2026, 3, 2), None, None),
            POLICY,
            date(2026, 3, 17),
        ),
        (
            ContactFacts(uuid.uuid4(), "email", date(2026, 3, 2), None, date(2026, 3, 3)),
            POLICY,
            None,
        ),
        (ContactFacts(uuid.uuid4(), "visit", date(2026, 3, 2), None, None), POLICY, None),
        (
            ContactFacts(
                uuid.uuid4(), "registered_letter", date(2026, 3, 2), date(2026, 3, 4), None
            ),
            FirmPolicy(response_wait_days=10, waiting_in_working_days=True),
            date(2026, 3, 18),
        ),
    ],
    ids=[
        "letter-from-AR",
        "letter-no-AR-yet",
        "email-from-sending",
        "answered",
        "visit",
        "working-days",
    ],
)
def test_response_awaited(contact: ContactFacts, policy: FirmPolicy, expected: date | None) -> None:
    assert deadlines.response_due(contact, policy) == expected


def test_attempt_stats_count_paris_days_and_iso_weeks() -> None:
    days = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 9)]

    stats = attempt_stats(days)

    # Sunday 1 March is in ISO week 9; Monday 2 in week 10; Monday 9 in week 11.
    assert stats == AttemptStats(count=4, distinct_weeks=3, last_attempt_date=date(2026, 3, 9))


def test_case_deadlines_are_dated_and_sorted() -> None:
    facts = CaseFacts(
        case_id=uuid.UUID(int=7),
        reference="CRN-2026-00007",
        stage="interim_relief",
        proceedings=(
            proceeding(
                hearing_at=datetime(2026, 2, 27, 13, 30, tzinfo=UTC),
                decision_date=None,
                outcome=None,
                notification_date=None,
                injunction_delay_days=None,
                astreinte_per_day_cents=None,
            ),
        ),
        document_expiry_date=date(2026, 4, 1),
    )

    found = deadlines.case_deadlines(facts, POLICY, date(2026, 2, 20))

    assert [(d.kind, d.due_date) for d in found] == [
        (DeadlineKind.hearing, date(2026, 2, 27)),
        (DeadlineKind.document_expiry, date(2026, 4, 1)),
    ]
    assert found[0].title == "CRN-2026-00007\u202f: audience de référé"


def test_a_hearing_late_in_the_evening_utc_is_on_the_paris_day() -> None:
    # 23:30 UTC on 28 June is 01:30 on 29 June in Paris (summer time).
    p = proceeding(
        hearing_at=datetime(2026, 6, 28, 23, 30, tzinfo=UTC), decision_date=None, outcome=None
    )
    facts = CaseFacts(uuid.UUID(int=1), "CRN-2026-00001", "interim_relief", proceedings=(p,))

    [hearing] = [
        d
        for d in deadlines.case_deadlines(facts, POLICY, date(2026, 6, 1))
        if d.kind == DeadlineKind.hearing
    ]

    assert hearing.due_date == date(2026, 6, 29)


def test_next_actions_for_a_thin_file() -> None:
    facts = CaseFacts(
        uuid.UUID(int=1), "CRN-2026-00001", "attempts",
        attempts=AttemptStats(count=4, distinct_weeks=1, last_attempt_date=date(2026, 3, 1)),
    )  # fmt: skip

    actions = deadlines.next_actions(facts, POLICY, date(2026, 3, 20))

    assert [a.code for a in actions] == ["keep_trying", "resume_attempts", "send_registered_letter"]
    assert actions[0].title == (
        "Poursuivre les tentatives de prise de rendez-vous\u202f: encore 2 semaines "
        "et au moins 6 tentatives de plus."
    )


def test_next_actions_after_the_waiting_period() -> None:
    letter = ContactFacts(
        uuid.uuid4(), "registered_letter", date(2026, 3, 2), date(2026, 3, 4), None
    )
    facts = CaseFacts(
        uuid.UUID(int=1), "CRN-2026-00001", "prefecture_contact",
        attempts=AttemptStats(count=30, distinct_weeks=4, last_attempt_date=date(2026, 3, 20)),
        contacts=(letter,),
    )  # fmt: skip

    actions = deadlines.next_actions(facts, POLICY, date(2026, 3, 23))

    assert [a.code for a in actions] == ["consider_interim_relief"]
    assert actions[0].title == "Délai de réponse expiré le 19 mars 2026\u202f: envisager le référé."


def test_closed_files_have_no_next_action() -> None:
    facts = CaseFacts(uuid.UUID(int=1), "CRN-2026-00001", "closed")

    assert deadlines.next_actions(facts, POLICY, date(2026, 3, 23)) == []


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 5, 1), False),
        (date(2026, 5, 8), False),
        (date(2026, 7, 14), False),
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 3, 21), False),  # Saturday
        (date(2026, 3, 23), True),
    ],
)
def test_french_working_days(day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working
