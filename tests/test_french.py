from datetime import UTC, date, datetime, time

import pytest

from app import french


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 3), "3 mars 2025"),
        (date(2025, 3, 1), "1er mars 2025"),
        (date(2024, 8, 15), "15 août 2024"),
        (date(2026, 12, 31), "31 décembre 2026"),
    ],
)
def test_dates(day: date, expected: str) -> None:
    assert french.format_date(day) == expected


def test_weekday() -> None:
    assert french.format_date(date(2025, 3, 3), weekday=True) == "lundi 3 mars 2025"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (time(9, 12), "9\u00a0h\u00a012"),
        (time(14, 0), "14\u00a0h"),
        (time(0, 5), "0\u00a0h\u00a005"),
    ],
)
def test_times(moment: time, expected: str) -> None:
    assert french.format_time(moment) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Winter: UTC+1.
        (datetime(2025, 3, 3, 8, 12, tzinfo=UTC), "le 3 mars 2025 à 9\u00a0h\u00a012"),
        # Summer: UTC+2, and the Paris date is the next day.
        (datetime(2025, 7, 14, 22, 30, tzinfo=UTC), "le 15 juillet 2025 à 0\u00a0h\u00a030"),
        # The hour before the spring change (30 March 2025, 2 h → 3 h).
        (datetime(2025, 3, 30, 0, 59, tzinfo=UTC), "le 30 mars 2025 à 1\u00a0h\u00a059"),
        (datetime(2025, 3, 30, 1, 0, tzinfo=UTC), "le 30 mars 2025 à 3\u00a0h"),
    ],
)
def test_datetimes_are_in_paris_time(instant: datetime, expected: str) -> None:
    assert french.format_datetime(instant) == expected


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        french.format_datetime(datetime(2025, 3, 3, 9, 12))


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (150000, "1\u202f500\u00a0€"),
        (10000, "100\u00a0€"),
        (1250, "12,50\u00a0€"),
        (1_200_000_000, "12\u202f000\u202f000\u00a0€"),
    ],
)
def test_euros(cents: int, expected: str) -> None:
    assert french.format_euros(cents) == expected


def test_guillemets_and_agreement() -> None:
    assert french.quote("mesures utiles") == "«\u202fmesures utiles\u202f»"
    assert (french.civility_abbreviation("madame"), french.born("madame")) == ("Mme", "née")
    assert (french.civility_abbreviation("monsieur"), french.born("monsieur")) == ("M.", "né")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 semaine"), (1, "1 semaine"), (2, "2 semaines")],
)
def test_plural_follows_the_french_rule(count: int, expected: str) -> None:
    assert french.plural(count, "semaine") == expected
    assert french.plural(3, "élément daté", "éléments datés") == "3 éléments datés"
