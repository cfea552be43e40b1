"""Table-driven checks over every reference row: jurisdiction and French designations."""

import re
from collections import Counter

import pytest
from sqlmodel import Session, select

from app.prefectures.models import Prefecture, Procedure, Tribunal
from migrations import reference_data

DATA = reference_data.load("2026-11-26")
PREFECTURES = DATA["prefectures"]

# R. 221-3 CJA: départements (and collectivities) per tribunal.
EXPECTED_COUNTS = {
    "amiens": 3, "bastia": 2, "besancon": 4, "bordeaux": 3, "caen": 3, "cergy-pontoise": 2,
    "chalons-en-champagne": 4, "clermont-ferrand": 4, "dijon": 4, "grenoble": 4, "lille": 2,
    "limoges": 4, "lyon": 4, "marseille": 3, "melun": 2, "montpellier": 3, "montreuil": 1,
    "nancy": 3, "nantes": 5, "nice": 1, "nimes": 3, "orleans": 5, "paris": 1, "pau": 4,
    "poitiers": 4, "rennes": 4, "rouen": 2, "strasbourg": 3, "toulon": 1, "toulouse": 6,
    "versailles": 2, "guadeloupe": 1, "martinique": 1, "guyane": 1, "la-reunion": 2,
    "mayotte": 1, "saint-pierre-et-miquelon": 1, "saint-barthelemy": 1, "saint-martin": 1,
    "wallis-et-futuna": 1, "polynesie-francaise": 1, "nouvelle-caledonie": 1,
}  # fmt: skip

# Spot checks from the R. 221-3 table, including the ones people get wrong.
KNOWN_JURISDICTIONS = {
    "75": "paris", "92": "cergy-pontoise", "93": "montreuil", "94": "melun", "95": "cergy-pontoise",
    "91": "versailles", "77": "melun", "83": "toulon", "84": "nimes", "2A": "bastia",
    "974": "la-reunion", "984": "la-reunion", "977": "saint-barthelemy", "976": "mayotte",
}  # fmt: skip

# Holders who are not « le préfet de … » (R. 431-3 CESEDA for Paris; the overseas offices).
SPECIAL_DEFENDANTS = {
    "75": "le préfet de police",
    "977": "le préfet délégué dans les collectivités de Saint-Barthélemy et de Saint-Martin",
    "978": "le préfet délégué dans les collectivités de Saint-Barthélemy et de Saint-Martin",
    "984": "le préfet, administrateur supérieur des Terres australes et antarctiques françaises",
    "986": "l'administrateur supérieur des îles Wallis et Futuna",
    "987": "le haut-commissaire de la République en Polynésie française",
    "988": "le haut-commissaire de la République en Nouvelle-Calédonie",
}

OVERSEAS_TRIBUNAL_NAMES = {
    "guadeloupe": "tribunal administratif de la Guadeloupe",
    "martinique": "tribunal administratif de la Martinique",
    "guyane": "tribunal administratif de la Guyane",
    "la-reunion": "tribunal administratif de La Réunion",
    "mayotte": "tribunal administratif de Mayotte",
    "saint-pierre-et-miquelon": "tribunal administratif de Saint-Pierre-et-Miquelon",
    "saint-barthelemy": "tribunal administratif de Saint-Barthélemy",
    "saint-martin": "tribunal administratif de Saint-Martin",
    "wallis-et-futuna": "tribunal administratif de Wallis-et-Futuna",
    "polynesie-francaise": "tribunal administratif de la Polynésie française",
    "nouvelle-caledonie": "tribunal administratif de Nouvelle-Calédonie",
}

VOWEL_START = re.compile(r"^[AEIOUYÉÈÊÎÏÔ]")
MUTE_H = ("Hérault",)


def expected_complement(article: str, name: str) -> str:
    """« de » contracted with the article, elided before a vowel or a mute h."""
    elides = bool(VOWEL_START.match(name)) or name.startswith(MUTE_H)
    if article == "le":
        return f"du {name}"
    if article == "la":
        return f"de la {name}"
    if article == "les":
        return f"des {name}"
    if article == "l'":
        return f"de l'{name}"
    return f"d'{name}" if elides else f"de {name}"


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["department_code"] for r in rows]


def test_every_departement_and_collectivity_is_present() -> None:
    codes = {p["department_code"] for p in PREFECTURES}
    metropolitan = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}

    assert len(metropolitan) == 96
    assert metropolitan <= codes
    assert codes - metropolitan == {
        "971", "972", "973", "974", "976", "975", "977", "978", "984", "986", "987", "988"
    }  # fmt: skip


def test_each_tribunal_has_the_number_of_departements_r221_3_gives_it() -> None:
    counts = Counter(p["tribunal_code"] for p in PREFECTURES)

    assert counts == EXPECTED_COUNTS
    assert {t["code"] for t in DATA["tribunals"]} == set(EXPECTED_COUNTS)


@pytest.mark.parametrize(("code", "tribunal"), sorted(KNOWN_JURISDICTIONS.items()))
def test_known_jurisdictions(code: str, tribunal: str) -> None:
    [row] = [p for p in PREFECTURES if p["department_code"] == code]

    assert row["tribunal_code"] == tribunal


@pytest.mark.parametrize("row", PREFECTURES, ids=_ids(PREFECTURES))
def test_designations_are_grammatical(row: dict[str, str]) -> None:
    name, article = row["department_name"], row["article"]

    assert article in {"le", "la", "l'", "les", ""}
    if article in {"le", "la"}:
        assert not VOWEL_START.match(name), "le/la elide before a vowel"
    if article == "l'":
        assert VOWEL_START.match(name) or name.startswith(MUTE_H)
    assert row["department_of"] == expected_complement(article, name)
    expected = SPECIAL_DEFENDANTS.get(row["department_code"], f"le préfet {row['department_of']}")
    assert row["defendant"] == expected
    for wrong in (" de le ", " de les ", " à le ", "  ", "' ", " de de "):
        assert wrong not in f" {row['defendant']} "


@pytest.mark.parametrize("row", PREFECTURES, ids=_ids(PREFECTURES))
def test_no_row_lacks_a_required_field(row: dict[str, str]) -> None:
    for field in ("department_name", "department_of", "chef_lieu", "defendant", "salutation"):
        assert row[field].strip() == row[field]
        assert row[field]
    assert row["salutation"].startswith(("Monsieur ", "Madame "))
    # Unverified contact data stays empty rather than invented.
    assert "foreigners_service_email" not in row
    assert "booking_urls" not in row


@pytest.mark.parametrize("tribunal", DATA["tribunals"], ids=[t["code"] for t in DATA["tribunals"]])
def test_tribunal_headings_are_grammatical(tribunal: dict[str, str]) -> None:
    seat = tribunal["seat"]
    if tribunal["code"] in OVERSEAS_TRIBUNAL_NAMES:
        expected = OVERSEAS_TRIBUNAL_NAMES[tribunal["code"]]
    else:
        expected = "tribunal administratif " + (
            f"d'{seat}" if VOWEL_START.match(seat) else f"de {seat}"
        )

    assert tribunal["name"] == expected
    assert seat


def test_procedures_have_a_code_label_and_known_channel() -> None:
    for procedure in DATA["procedures"]:
        assert re.fullmatch(r"[a-z0-9_]+", procedure["code"])
        assert procedure["label"]
        assert procedure["channel"] in {"prefecture_appointment", "anef", "other"}
    renewals = {p["code"] for p in DATA["procedures"] if p["is_renewal"]}
    assert "renouvellement" in renewals


def test_the_migrated_database_holds_every_row(session: Session) -> None:
    prefectures = session.exec(select(Prefecture)).all()
    tribunals = {t.code for t in session.exec(select(Tribunal)).all()}

    assert len(prefectures) == len(PREFECTURES)
    assert all(p.tribunal_code in tribunals for p in prefectures)
    assert len(session.exec(select(Procedure)).all()) == len(DATA["procedures"])
