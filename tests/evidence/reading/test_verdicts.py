"""Verdicts against the attempt, and what confirms each outcome (pure, table-driven)."""

from datetime import datetime, timedelta

import pytest

from app.clock import PARIS
from app.evidence.reading import signs, verdicts
from app.evidence.reading.models import Verdict

MESSAGE = (
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
    "Veuillez recommencer ultérieurement."
)
AT = datetime(2026, 11, 16, 9, 14, tzinfo=PARIS)
RECEIVED = datetime(2026, 11, 16, 12, 0, tzinfo=PARIS)


def _judge(
    times: list[str],
    dates: list[str],
    at: datetime | None = AT,
    *,
    text: str = "x" * 20,
    confirmation: str | None = MESSAGE,
    suggested: str | None = None,
) -> verdicts.Judgement:
    return verdicts.judge(
        text=text, confirmation=confirmation, suggested=suggested, visible_times=times,
        visible_dates=dates, attempt_local=at, tolerance=timedelta(minutes=10),
        received_local=RECEIVED,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("times", "dates", "verdict", "difference"),
    [
        (["09:12"], [], Verdict.consistent, -2),
        (["09:24"], [], Verdict.consistent, 10),  # at the tolerance
        (["09:25"], [], Verdict.time_mismatch, 11),
        (["12:14"], [], Verdict.time_mismatch, 180),  # a clock three hours ahead
        (["06:14"], [], Verdict.time_mismatch, -180),
        (["09:12"], ["2026-11-15"], Verdict.time_mismatch, -24 * 60 - 2),  # the day before
        (["09:12"], ["2026-11-16"], Verdict.consistent, -2),
        (["15:40", "09:15"], [], Verdict.consistent, 1),  # the closest clock counts
        ([], [], Verdict.no_visible_time, None),
    ],
)
def test_the_clock_against_the_attempt(
    times: list[str], dates: list[str], verdict: Verdict, difference: int | None
) -> None:
    judged = _judge(times, dates)

    assert (judged.verdict, judged.difference_minutes) == (verdict, difference)


def test_across_midnight_the_nearest_day_counts() -> None:
    judged = _judge(["00:03"], [], datetime(2026, 11, 16, 23, 58, tzinfo=PARIS))

    assert (judged.verdict, judged.difference_minutes) == (Verdict.consistent, 5)


def test_a_page_that_does_not_confirm_the_outcome_and_an_empty_one() -> None:
    assert _judge(["09:12"], [], confirmation=None).verdict is Verdict.no_refusal_message
    assert _judge([], [], text="  ").verdict is Verdict.unreadable


def test_a_capture_without_attempt_proposes_one() -> None:
    judged = _judge(["21:47"], ["2026-11-15"], None, suggested="no_slot")

    assert judged.verdict is None
    assert judged.proposal == {"date": "2026-11-15", "time": "21:47", "outcome": "no_slot"}


@pytest.mark.parametrize(
    ("outcome", "text", "seen"),
    [
        ("no_slot", f"RDV {MESSAGE}", MESSAGE),
        ("error", "503 Service Unavailable\nnginx", "503 service unavailable"),
        ("error", "Une erreur technique est survenue. Veuillez réessayer plus tard.",
         "une erreur technique est survenue"),
        ("site_unavailable", "Ce site est inaccessible\nERR_CONNECTION_TIMED_OUT",
         "ce site est inaccessible"),
        ("site_unavailable", "https://rdv-prefecture.interieur.gouv.fr/ 09:12 02/12/2026",
         "page vide"),
        ("captcha_failed", "Le code de sécurité saisi est incorrect.", "code de securite"),
        ("anef_error",
         "administration-etrangers-en-france.interieur.gouv.fr Une erreur technique est "
         "survenue", "une erreur technique est survenue"),
    ],
)  # fmt: skip
def test_what_confirms_each_outcome(outcome: str, text: str, seen: str) -> None:
    assert signs.confirmation(outcome, text, [MESSAGE]) == seen


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        ("no_slot", "503 Service Unavailable"),  # an error page is not a refusal
        ("error", f"{MESSAGE} " * 2),  # a refusal is not an error page
        ("captcha_failed", "503 Service Unavailable"),
        ("anef_error", "503 Service Unavailable"),  # not on the ANEF
        ("site_unavailable", "Votre demande de rendez-vous : choisissez un motif, puis une "
         "date parmi celles proposées dans le calendrier ci-dessous, et validez."),
    ],
)  # fmt: skip
def test_what_does_not_confirm_an_outcome(outcome: str, text: str) -> None:
    assert signs.confirmation(outcome, text, [MESSAGE]) is None


def test_a_capture_without_attempt_suggests_what_it_shows() -> None:
    assert signs.suggest(MESSAGE, [MESSAGE]) == "no_slot"
    assert signs.suggest("502 Bad Gateway", [MESSAGE]) == "error"
    assert signs.suggest("ERR_NAME_NOT_RESOLVED", [MESSAGE]) == "site_unavailable"
    assert signs.suggest("Bienvenue", [MESSAGE]) is None
