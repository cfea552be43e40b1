"""What a capture's text says, from OCR output as it comes (noisy), without the engine."""

from zoneinfo import ZoneInfo

import pytest

from app.evidence.reading import parse

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
