"""Readiness rules over realistic profiles, table-driven."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.agenda.deadlines import ContactFacts
from app.policy import FirmPolicy, WrittenContact
from app.readiness import rules, terms
from app.readiness.terms import AttemptFact, ReadinessFacts

POLICY = FirmPolicy()


def attempts_on(
    days: list[date], hours: tuple[int, ...] = (9, 15), screenshots: bool = True
) -> tuple[AttemptFact, ...]:
    """One attempt a day, alternating the (Paris winter time) hours given."""
    return tuple(
        AttemptFact(
            datetime(d.year, d.month, d.day, hours[n % len(hours)] - 1, 5, tzinfo=UTC),
            "no_slot",
            screenshots,
        )
        for n, d in enumerate(days)
    )


def letter(sent: date, delivered: date | None) -> ContactFacts:
    return ContactFacts(uuid.uuid4(), "registered_letter", sent, delivered, None)


def email(sent: date) -> ContactFacts:
    return ContactFacts(uuid.uuid4(), "email", sent, None, None)


def facts(**overrides: object) -> ReadinessFacts:
    base = ReadinessFacts(
        stage="prefecture_contact", is_renewal=False, procedure_channel="prefecture_appointment",
        booking_channel="rdv_prefecture", has_oqtf=False, oqtf_executed=False,
    )  # fmt: skip
    return replace(base, **overrides)  # type: ignore[arg-type]


# CE 10 June 2020 n° 435594: four screenshots from 13 to 18 September 2019, one registered
# letter and one e-mail; the TA Montreuil order of 11 October 2019 refused.
CE_435594 = facts(
    attempts=attempts_on(
        [date(2019, 9, 13), date(2019, 9, 16), date(2019, 9, 17), date(2019, 9, 18)], hours=(10,)
    ),
    contacts=(letter(date(2019, 9, 18), date(2019, 9, 20)), email(date(2019, 9, 18))),
)

# The November 2020 orders (TA Paris n° 2016798/9, TA Cergy-Pontoise n° 2010725): about three
# weeks of screenshots and an e-mail to the préfecture.
NOV_2020_DAYS = [date(2020, 10, 5) + timedelta(days=d) for d in (0, 2, 4, 7, 9, 11, 14, 16, 18, 21)]
NOV_2020 = facts(
    attempts=attempts_on(NOV_2020_DAYS),
    contacts=(email(date(2020, 10, 6)),),
    urgency_dates=(date(2020, 12, 1),),
)
NOV_2020_TODAY = date(2020, 10, 28)


def failed(assessment: terms.Assessment) -> list[str]:
    return [c.code for c in assessment.criteria if not c.passed]


def test_the_ce_435594_profile_is_refused() -> None:
    result = rules.assess(CE_435594, POLICY, date(2019, 10, 11), "interim_relief")

    assert result.ready is False
    assert failed(result) == [
        "attempt_count",
        "attempt_days",
        "case_law_span",
        "attempt_weeks",
        "attempt_span",
        "attempt_time_slots",
        "last_attempt_recent",
        "urgency",
    ]
    weeks = next(c for c in result.criteria if c.code == "attempt_weeks")
    # Friday 13 and Monday 16 September 2019 fall in two ISO weeks; the policy asks three.
    assert (weeks.value, weeks.threshold) == (2, 3)
    assert result.next_steps[0] == "Encore 3 semaines de tentatives."


def test_the_november_2020_profile_is_ready_under_the_default_policy() -> None:
    result = rules.assess(NOV_2020, POLICY, NOV_2020_TODAY, "interim_relief")

    assert failed(result) == []
    assert result.ready is True
    measured = {c.code: c.value for c in result.criteria}
    assert measured["attempt_count"] == 10
    assert measured["attempt_weeks"] == 4
    assert measured["attempt_span"] == 21
    assert measured["attempt_time_slots"] == 2


def test_before_the_waiting_period_the_next_step_is_to_wait() -> None:
    early = replace(NOV_2020, contacts=(email(date(2020, 10, 20)),))

    result = rules.assess(early, POLICY, NOV_2020_TODAY, "interim_relief")

    assert failed(result) == ["waiting_period_elapsed"]
    assert result.next_steps == ["Attendre la réponse de la préfecture jusqu'au 4 novembre 2020."]


@pytest.mark.parametrize(
    ("is_renewal", "urgency", "ready"),
    [(True, (), True), (False, (), False), (False, (date(2020, 12, 1),), True)],
    ids=["renewal-presumed", "first-request-without-urgency", "first-request-with-urgency"],
)
def test_urgency_is_presumed_for_a_renewal_only(
    is_renewal: bool, urgency: tuple[date, ...], ready: bool
) -> None:
    profile = replace(NOV_2020, is_renewal=is_renewal, urgency_dates=urgency)

    result = rules.assess(profile, POLICY, NOV_2020_TODAY, "interim_relief")

    assert result.ready is ready
    explanation = next(c.explanation for c in result.criteria if c.code == "urgency")
    assert ("présumée" in explanation) is is_renewal


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"has_oqtf": True, "oqtf_executed": False}, "unexecuted_oqtf"),
        ({"refusal_received": True}, "refusal_decision"),
        ({"procedure_channel": "anef"}, "anef_procedure"),
        ({"booking_channel": "anef"}, "anef_procedure"),
    ],
)
def test_each_blocker(overrides: dict[str, object], code: str) -> None:
    profile = replace(NOV_2020, **overrides)  # type: ignore[arg-type]

    assert [b.code for b in rules.blockers(profile)] == [code]
    assert rules.blockers(NOV_2020) == []


def test_an_executed_oqtf_is_no_blocker() -> None:
    assert rules.blockers(replace(NOV_2020, has_oqtf=True, oqtf_executed=True)) == []


def test_a_policy_changed_for_one_tribunal() -> None:
    policy = FirmPolicy(tribunals={"montreuil": {"min_attempt_weeks": 5}})

    at_montreuil = rules.assess(
        NOV_2020, policy.for_tribunal("montreuil"), NOV_2020_TODAY, "interim_relief"
    )
    in_paris = rules.assess(
        NOV_2020, policy.for_tribunal("paris"), NOV_2020_TODAY, "interim_relief"
    )

    assert failed(at_montreuil) == ["attempt_weeks"]
    assert in_paris.ready is True


def test_an_unknown_policy_override_is_refused() -> None:
    with pytest.raises(ValueError, match="min_atempt_weeks"):
        FirmPolicy(tribunals={"paris": {"min_atempt_weeks": 2}})


@pytest.mark.parametrize(
    ("rule", "contacts", "passed"),
    [
        (WrittenContact.registered_letter, (email(date(2020, 10, 6)),), False),
        (WrittenContact.registered_letter, (letter(date(2020, 10, 1), date(2020, 10, 3)),), True),
        (WrittenContact.email_and_letter, (email(date(2020, 10, 6)),), False),
        (WrittenContact.email_or_letter, (letter(date(2020, 10, 1), None),), True),
    ],
)
def test_written_contact_rules(
    rule: WrittenContact, contacts: tuple[ContactFacts, ...], passed: bool
) -> None:
    result = rules.assess(
        replace(NOV_2020, contacts=contacts),
        FirmPolicy(written_contact=rule),
        NOV_2020_TODAY,
        "interim_relief",
    )

    assert next(c for c in result.criteria if c.code == "written_contact_sent").passed is passed


def test_a_letter_without_acknowledgement_is_not_enough() -> None:
    profile = replace(NOV_2020, contacts=(letter(date(2020, 10, 1), None),))

    result = rules.assess(profile, POLICY, NOV_2020_TODAY, "interim_relief")

    assert failed(result) == ["acknowledgement_received", "waiting_period_elapsed"]
    assert "Enregistrer l'accusé de réception dès son retour." in result.next_steps


@pytest.mark.parametrize(
    ("instants", "days", "weeks"),
    [
        # Sunday 29 March 2026, 23:30 and Monday 30 March, 00:30 in Paris (summer time
        # began that night): two days, two ISO weeks, though both are Sunday in UTC.
        (
            (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), datetime(2026, 3, 29, 22, 30, tzinfo=UTC)),
            2,
            2,
        ),
        # 22:30 and 23:30 UTC on 24 October 2026 are 00:30 and 01:30 on Sunday 25 in Paris.
        (
            (
                datetime(2026, 10, 24, 22, 30, tzinfo=UTC),
                datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
            ),
            1,
            1,
        ),
        # Around the autumn change: 00:30 UTC on 25 October is 01:30 (+01:00) the same Sunday.
        (
            (datetime(2026, 10, 24, 21, 59, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
            2,
            1,
        ),
        # Midnight in winter: 22:59 UTC is 23:59 on Tuesday, 23:00 UTC is 00:00 on Wednesday.
        ((datetime(2026, 1, 6, 22, 59, tzinfo=UTC), datetime(2026, 1, 6, 23, 0, tzinfo=UTC)), 2, 1),
    ],
)
def test_days_and_weeks_are_counted_in_paris_time(
    instants: tuple[datetime, ...], days: int, weeks: int
) -> None:
    measured = rules.measure(tuple(AttemptFact(at, "no_slot", True) for at in instants))

    assert (measured.days, measured.weeks) == (days, weeks)


@pytest.mark.parametrize(
    ("utc_hours", "slots"),
    [((10,), 1), ((10, 11), 2), ((10, 11, 17), 3), ((16, 17), 2)],
)
def test_time_slots_follow_paris_hours(utc_hours: tuple[int, ...], slots: int) -> None:
    # Winter time: 10 UTC is 11 h, 11 UTC is 12 h, 16 UTC is 17 h, 17 UTC is 18 h in Paris.
    attempts = tuple(
        AttemptFact(datetime(2026, 1, 5 + n, h, 0, tzinfo=UTC), "no_slot", True)
        for n, h in enumerate(utc_hours)
    )

    assert rules.measure(attempts).slots == slots


def test_a_slot_offered_is_not_a_failed_attempt() -> None:
    offered = (
        *NOV_2020.attempts,
        AttemptFact(datetime(2020, 10, 27, 9, 0, tzinfo=UTC), "slot_offered", True),
    )

    assert rules.measure(offered).count == 10


def test_writing_to_the_prefecture_needs_fewer_attempts() -> None:
    two_weeks = facts(
        stage="attempts",
        attempts=attempts_on(
            [
                date(2026, 3, 2),
                date(2026, 3, 3),
                date(2026, 3, 4),
                date(2026, 3, 9),
                date(2026, 3, 10),
            ]
        ),
    )
    one_week = facts(
        stage="attempts",
        attempts=attempts_on(
            [
                date(2026, 3, 2),
                date(2026, 3, 3),
                date(2026, 3, 4),
                date(2026, 3, 5),
                date(2026, 3, 6),
            ]
        ),
    )

    assert rules.assess(two_weeks, POLICY, date(2026, 3, 11), "prefecture_contact").ready is True
    assert failed(rules.assess(one_week, POLICY, date(2026, 3, 11), "prefecture_contact")) == [
        "attempt_weeks"
    ]


# The waiting period runs from the latest written request (legal-facts §1.6).
TODAY = date(2026, 11, 18)


def _waiting(contacts: tuple[ContactFacts, ...]) -> terms.Criterion:
    criteria = rules.assess(facts(contacts=contacts), POLICY, TODAY, "interim_relief").criteria
    return next(c for c in criteria if c.code == "waiting_period_elapsed")


def test_a_new_registered_letter_restarts_the_wait_an_old_email_does_not_end_it() -> None:
    old_email = email(TODAY - timedelta(days=40))
    fresh_letter = letter(TODAY - timedelta(days=3), TODAY - timedelta(days=1))

    waiting = _waiting((old_email, fresh_letter))

    assert not waiting.passed
    assert waiting.value == str(TODAY - timedelta(days=1) + timedelta(days=15))


def test_a_letter_not_yet_received_keeps_the_wait_open() -> None:
    waiting = _waiting((email(TODAY - timedelta(days=40)), letter(TODAY - timedelta(days=2), None)))

    assert not waiting.passed
    assert waiting.value is None


def test_an_automatic_reply_is_not_an_answer_a_real_one_is() -> None:
    sent = TODAY - timedelta(days=5)
    auto = ContactFacts(
        uuid.uuid4(), "email", sent, None, TODAY - timedelta(days=4), "standard_reply"
    )
    real = auto._replace(response_outcome="none")

    assert not _waiting((auto,)).passed
    assert _waiting((real,)).passed


def test_the_wait_is_over_fifteen_days_after_the_latest_acknowledgement() -> None:
    waiting = _waiting((letter(TODAY - timedelta(days=20), TODAY - timedelta(days=15)),))

    assert waiting.passed


def test_days_and_times_of_day_are_counted_on_the_prefecture_clock() -> None:
    from zoneinfo import ZoneInfo

    reunion = ZoneInfo("Indian/Reunion")
    # 20 h and 2 h 10 the next night at La Réunion: two days, evening and morning there;
    # the same instants in Paris are one day (17 h and 23 h 10), afternoon and evening.
    shots = (
        AttemptFact(datetime(2026, 11, 4, 20, 0, tzinfo=reunion), "no_slot", True),
        AttemptFact(datetime(2026, 11, 5, 2, 10, tzinfo=reunion), "no_slot", True),
    )

    there = rules.measure(shots, reunion)
    paris = rules.measure(shots)

    assert (there.days, paris.days) == (2, 1)
    assert there.last == date(2026, 11, 5)
    assert paris.last == date(2026, 11, 4)


@pytest.mark.parametrize(("span", "met"), [(5, False), (7, False), (8, True), (20, True)])
def test_the_case_law_rule_is_a_span_of_more_than_seven_days(span: int, met: bool) -> None:
    first = date(2026, 10, 5)  # a Monday: a 5-day span stays in one ISO week
    days = [first, first + timedelta(days=span)]

    criteria = rules.assess(facts(attempts=attempts_on(days)), POLICY, days[-1], "interim_relief")

    rule = next(c for c in criteria.criteria if c.code == "case_law_span")
    assert (rule.value, rule.passed) == (span, met)


# The default policy: the last attempt at most 10 days old, the limit day included.
@pytest.mark.parametrize(("days_ago", "met"), [(0, True), (9, True), (10, True), (11, False)])
def test_the_last_attempt_may_be_as_old_as_the_limit_not_older(days_ago: int, met: bool) -> None:
    last = date(2026, 10, 23)
    attempts = attempts_on([last - timedelta(days=2), last])

    result = rules.assess(
        facts(attempts=attempts), POLICY, last + timedelta(days=days_ago), "interim_relief"
    )

    rule = next(c for c in result.criteria if c.code == "last_attempt_recent")
    assert (rule.value, rule.threshold, rule.passed) == (days_ago, 10, met)
