"""What a capture's text says, from OCR output as it comes (noisy), without the engine."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.evidence.reading import parse
from app.evidence.reading.models import Verdict

PARIS = ZoneInfo("Europe/Paris")
KNOWN = [
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
    "Veuillez recommencer ultérieurement.",
    "Aucun rendez-vous n'est disponible",
    "Aucun créneau n'est disponible pour le moment",
]


@pytest.mark.parametrize(
    "text",
    [
        "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.",
        "II n\u2019existe plus de plage horaïre libre pour votre demande de rendez-vous",  # OCR
        "IL N'EXISTE PLUS DE PLAGE HORAIRE LIBRE POUR VOTRE DEMANDE DE RENDEZ-VOUS",
        "il nexiste plus de plage\nhoraire libre pour votre\ndemande de rendez vous",
    ],
)
def test_the_refusal_is_found_despite_ocr_errors_case_and_accents(text: str) -> None:
    assert parse.refusal(text, KNOWN) == KNOWN[0]


def test_an_unrelated_text_has_no_refusal() -> None:
    assert parse.refusal("Liste de courses : pain, lait, tomates", KNOWN) is None
    assert parse.refusal("", KNOWN) is None


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("09:12 4G 78%", ["09:12"]),
        ("9:12", ["09:12"]),
        ("le 16 novembre à 9 h 12", ["09:12"]),
        ("9:12 PM", ["21:12"]),
        ("12:05 am", ["00:05"]),
        ("14.03", ["14:03"]),
        ("version 1.2.3 — 78 % — 25:61", []),
    ],
)
def test_times_of_day_are_read_in_french_and_english_forms(text: str, times: list[str]) -> None:
    assert parse.times(text) == times


def test_dates_are_read_in_french_and_english_forms() -> None:
    text = "16/11/2026 — lundi 16 novembre 2026 — 1er décembre 2026 — Nov 17, 2026 — 31/02/2026"

    assert parse.dates(text) == ["2026-11-16", "2026-12-01", "2026-11-17"]


def test_the_site_is_recognised_from_the_address_bar() -> None:
    assert parse.site("https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/") == (
        "www.rdv-prefecture.interieur.gouv.fr"
    )
    assert (
        parse.site("www.demarches-simplifiees.fr/commencer/aes") == "www.demarches-simplifiees.fr"
    )
    assert parse.site("no address here") is None


def _judge(times: list[str], dates: list[str], at: datetime | None, text: str = "x" * 20,
           message: str | None = KNOWN[0]) -> parse.Judgement:  # fmt: skip
    received = datetime(2026, 11, 16, 12, 0, tzinfo=PARIS)
    return parse.judge(text, message, times, dates, at, timedelta(minutes=10), received)


def test_verdicts_against_the_attempt() -> None:
    at = datetime(2026, 11, 16, 9, 14, tzinfo=PARIS)

    assert _judge(["09:12"], [], at).verdict is Verdict.consistent
    assert _judge(["11:12"], [], at).verdict is Verdict.time_mismatch  # two hours off
    assert _judge(["09:12"], ["2026-11-15"], at).verdict is Verdict.time_mismatch  # another day
    assert _judge([], [], at).verdict is Verdict.no_visible_time
    assert _judge(["09:12"], [], at, message=None).verdict is Verdict.no_refusal_message
    assert _judge([], [], at, text="  ").verdict is Verdict.unreadable
    midnight = datetime(2026, 11, 16, 23, 58, tzinfo=PARIS)
    assert _judge(["00:03"], [], midnight).verdict is Verdict.consistent  # across midnight


def test_a_capture_without_attempt_proposes_one() -> None:
    judged = _judge(["21:47"], ["2026-11-15"], None)

    assert judged.verdict is None
    assert judged.proposal == {"date": "2026-11-15", "time": "21:47", "outcome": "no_slot"}
