"""What a screenshot's text says: the refusal message, the site, the times and dates shown.
Pure functions over OCR output, which is noisy: matching ignores case, accents and
punctuation, and tolerates a few wrong letters (``verdicts`` judges what they found)."""

import re
import unicodedata
from datetime import date

from rapidfuzz import fuzz

MATCH_THRESHOLD = 85  # partial ratio, 0 to 100: a few OCR errors in a 60-letter message pass
SITES = re.compile(
    r"\b((?:[a-z0-9-]+\.)*(?:gouv\.fr|demarches-simplifiees\.fr|interieur\.gouv\.fr))\b"
)
TIME = re.compile(
    r"(?<![\d:])([01]?\d|2[0-3])\s?(?::|h|H|\.)\s?([0-5]\d)(?!\d)(?:\s?([AaPp])\.?\s?[Mm]\.?)?"
)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](20\d{2})(?!\d)")
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janv": 1, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH})\.?\s+(20\d{{2}})\b")
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(20\d{{2}})\b")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = plain.replace("\u2019", "'")  # typographic apostrophe
    return re.sub(r"[^a-z0-9:/.@-]+", " ", plain).strip()


def refusal(text: str, messages: list[str]) -> str | None:
    """The known message the text contains, if any (the best match above the threshold)."""
    folded = fold(text)
    if not folded:
        return None
    best, score = None, 0.0
    for message in messages:
        candidate = fold(message)
        if not candidate:
            continue
        found = fuzz.partial_ratio(candidate, folded)
        if found >= MATCH_THRESHOLD and found > score:
            best, score = message, found
    return best


def site(text: str) -> str | None:
    found = SITES.search(fold(text).replace(" .", "."))
    return found.group(1) if found else None


def times(text: str) -> list[str]:
    """Every time of day shown, as HH:MM (24-hour), in order of appearance."""
    seen: list[str] = []
    for hour, minute, meridiem in TIME.findall(text):
        h = int(hour)
        if meridiem:
            if h > 12:
                continue
            h = h % 12 + (12 if meridiem.lower() == "p" else 0)
        value = f"{h:02d}:{minute}"
        if value not in seen:
            seen.append(value)
    return seen


def dates(text: str) -> list[str]:
    """Every calendar date shown (French and English formats), as ISO dates."""
    folded = fold(text)
    found: list[date] = []
    for day, month, year in NUMERIC_DATE.findall(text):
        _add(found, int(year), int(month), int(day))
    for day, month, year in DAY_MONTH_YEAR.findall(folded):
        _add(found, int(year), MONTHS[month], int(day))
    for month, day, year in MONTH_DAY_YEAR.findall(folded):
        _add(found, int(year), MONTHS[month], int(day))
    return [d.isoformat() for d in found]


def _add(found: list[date], year: int, month: int, day: int) -> None:
    try:
        value = date(year, month, day)
    except ValueError:
        return
    if value not in found:
        found.append(value)
