"""What a capture's text says, from OCR output as it comes (noisy), without the engine."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from app.evidence.reading import parse

PARIS = ZoneInfo("Europe/Paris")


def indic(text: str) -> str:
    """The text with Arabic-Indic digits, as Arabic locales of Egypt and the Levant print."""
    return text.translate(
        str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
    )


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


@pytest.mark.parametrize(
    ("text", "times"),
    [
        # French clocks: Windows, macOS (« mer. 2 déc. 09:12 »), GNOME, a page
        ("09:12\n02/12/2026", ["09:12"]),
        ("mer. 2 déc. 09:12", ["09:12"]),
        ("2 déc.  09:12", ["09:12"]),
        ("Recherche effectuée le mercredi 2 décembre 2026 à 9 h 12", ["09:12"]),
        ("à 09h12", ["09:12"]),
        ("09:12:45", ["09:12"]),
        # English clocks
        ("9:12 AM\n12/2/2026", ["09:12"]),
        ("Wed Dec 2 9:12 PM", ["21:12"]),
        ("9:12AM", ["09:12"]),
        ("9:12 p.m.", ["21:12"]),
        ("12:40 PM", ["12:40"]),
        ("13:40 PM", []),  # not a time a clock prints
        # Arabic locales: Arabic-Indic digits, ص before noon and م after
        (indic("09:12"), ["09:12"]),
        (indic("11:06 ص"), ["11:06"]),
        (indic("\u200f02:37 م"), ["14:37"]),
        (indic("م 02:37"), ["14:37"]),
        ("7:48\n02-12-2026", ["07:48"]),
        # what OCR makes of a clock
        ("O9:l2", ["09:12"]),
        ("09.12", ["09:12"]),
        ("09 : 12", ["09:12"]),
        ("2l:O5 02/12/2026", ["21:05"]),
        # not times
        ("4G 62 %", []),
        ("12.50 € — 12.50% — €12.50", []),
        ("version 10.15 — v2.10 — 1.2.3", []),
        ("02.12.2026", []),
        ("192.168.10.12", []),
        ("https://rdv.example.gouv.fr/booking/12:30/x", []),
        ("seine-saint-denis.gouv.fr/booking/create/16105/1", []),
        ("Il l'a dit : 10 OO", []),
    ],
)
def test_times_in_every_format_clocks_print(text: str, times: list[str]) -> None:
    assert parse.times(text) == times


TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # French
        ("02/12/2026", ["2026-12-02"]),
        ("02.12.2026", ["2026-12-02"]),
        ("02/12/26", ["2026-12-02"]),
        ("mer. 2 déc. 09:12", ["2026-12-02"]),  # the weekday gives the year
        ("2 déc.  09:12", ["2026-12-02"]),
        ("lun. 30 nov.", ["2026-11-30"]),
        ("mar. 1 déc.", ["2026-12-01"]),  # mardi, not March
        ("mercredi 2 décembre 2026", ["2026-12-02"]),
        ("le 1er décembre", ["2026-12-01"]),
        ("Dernière mise à jour : 02/12/2026 à 09:12", ["2026-12-02"]),
        # English
        ("9:12 AM\n12/2/2026", ["2026-12-02"]),  # month first beside a 12-hour clock
        ("4:20 PM 12/1/2026", ["2026-12-01"]),
        ("11/26/2026", ["2026-11-26"]),  # month first: there is no 26th month
        ("Dec 2, 2026", ["2026-12-02"]),
        ("December 1, 2026 at 9:05 AM", ["2026-12-01"]),
        ("Wed Dec 2 9:12 AM", ["2026-12-02"]),
        ("Wed 25 Nov 13:15", ["2026-11-25"]),
        ("Dec 2  09:12", ["2026-12-02"]),
        ("2nd December 2026", ["2026-12-02"]),
        ("2026-12-02", ["2026-12-02"]),
        # Arabic locales
        (indic("03/12/2026"), ["2026-12-03"]),
        ("02-12-2026", ["2026-12-02"]),
        (indic("02:37 م 26/11/2026"), ["2026-11-26"]),  # 12-hour, but day first
        ("2 ديسمبر 2026", ["2026-12-02"]),
        (indic("2 دجنبر 2026"), ["2026-12-02"]),
        ("30 نوفمبر", ["2026-11-30"]),
        ("2 كانون الأول 2026", ["2026-12-02"]),
        ("1 جانفي 2026", ["2026-01-01"]),
        # what OCR makes of a date
        ("O2/l2/2O26", ["2026-12-02"]),
        ("02 / 12 / 2026", ["2026-12-02"]),
        # not dates
        ("31/02/2026", []),
        ("seine-saint-denis.gouv.fr/booking/create/16105/1", []),
        ("version 1.12.50", []),
        ("loi du 2 mars 1982", []),
    ],
)
def test_dates_in_every_format_clocks_and_pages_print(text: str, dates: list[str]) -> None:
    assert parse.dates(text, today=TODAY) == dates


def test_a_date_without_year_is_never_after_the_capture() -> None:
    assert parse.dates("2 déc.", today=date(2027, 1, 10)) == ["2026-12-02"]
    assert parse.dates("2 déc.", today=date(2026, 12, 2)) == ["2026-12-02"]
    assert parse.dates("mer. 2 déc.", today=date(2027, 1, 10)) == ["2026-12-02"]


def test_the_site_is_recognised_from_the_address_bar() -> None:
    assert parse.site("https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/") == (
        "www.rdv-prefecture.interieur.gouv.fr"
    )
    assert (
        parse.site("www.demarches-simplifiees.fr/commencer/aes") == "www.demarches-simplifiees.fr"
    )
    assert parse.site("no address here") is None


def test_half_of_a_long_message_is_enough_but_a_fragment_is_not() -> None:
    cut = "Choix du créneau\n\nxiste plus de plage horaire libre pour votre de"

    assert parse.refusal(cut, KNOWN) == KNOWN[0]
    assert parse.refusal("Veuillez recommencer ultérieurement.", KNOWN) is None
    error_page = "Une erreur est survenue. Veuillez recommencer ultérieurement. Merci."
    assert parse.refusal(error_page, KNOWN) is None
