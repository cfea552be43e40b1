"""What a screenshot's text says: the refusal message, the site, the times and dates shown.
Pure functions over OCR output, which is noisy: matching ignores case, accents and
punctuation, and tolerates a few wrong letters (``verdicts`` judges what they found)."""

import re
import unicodedata
from datetime import date, timedelta

from rapidfuzz import fuzz

from app import clock

MATCH_THRESHOLD = 85  # partial ratio, 0 to 100: a few OCR errors in a 60-letter message pass
LONG_MESSAGE = 70  # letters: each half of a message this long is a sentence of its own
HALF_THRESHOLD = 92
SITES = re.compile(
    r"\b((?:[a-z0-9-]+\.)*(?:gouv\.fr|demarches-simplifiees\.fr|interieur\.gouv\.fr))\b"
)
# Clocks print Arabic-Indic (and Persian) digits in some Arabic locales, with direction marks
# around them; the Arabic date separator is a slash.
EASTERN_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9\u060d",
    "01234567890123456789/",
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
# What OCR reads in place of a digit, inside something shaped like a time or a date:
# « O9:l2 », « 2O/11/2O26 ».
NUMERAL = re.compile(r"(?<![\w])[\dOoIl|][\dOoIl|:;./-]*[\dOoIl|](?![\w])")
CONFUSED = str.maketrans("OoIl|", "00111")
# A time of day: « 09:12 », « 9 h 12 », « 9h12 », « 14.03 » (OCR's colon), « 9:12 PM »,
# « ٠٩:١٢ م » (م after noon, ص before). Never inside a word, a number, a version, a date or a
# path, nor a price or a percentage.
TIME = re.compile(
    r"(?:(?<!\w)(?P<before>[صم])\s?)?"
    r"(?<![\w:./,\u20ac$\u00a3])(?<!version )(?<!Version )"
    r"(?:(?P<hour>[01]?\d|2[0-3])\s?(?::|\s?[hH]\s?)\s?(?P<minute>[0-5]\d)"
    r"|(?P<hour2>[01]\d|2[0-3])[.;](?P<minute2>[0-5]\d))"
    r"(?:\s?(?P<meridiem>[AaPp])\.?\s?[Mm]\.?(?!\w)|\s?(?P<after>[صم])(?!\w))?"
    r"(?![\w/]|[.,]\d|\s?[%\u20ac$\u00a3])"
)
NUMERIC_DATE = re.compile(
    r"(?<![\w/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(20\d{2}|\d{2})(?![\w/-]|\.\d)"
)
ISO_DATE = re.compile(r"(?<![\w/.-])(20\d{2})-(\d{2})-(\d{2})(?![\w/-])")
US_NEARBY = 60  # characters: a month-first date sits beside its 12-hour clock
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:er|st|nd|rd|th)?"
_YEAR_AFTER = r"(?!\.?,?\s+\d{4})"  # a day and month with no year after them
_NOT_TIME = r"(?!\s?[:.h]\s?\d)"  # « déc. 09:12 »: 09 is the hour, not the day
DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+({_MONTH})\.?,?\s+(20\d{{2}})\b")
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+{_DAY},?\s+(20\d{{2}})\b")
DAY_MONTH = re.compile(rf"(?:\b({_WEEKDAY})\.?,?\s+)?\b{_DAY}\s+({_MONTH})\b\.?{_YEAR_AFTER}")
MONTH_DAY = re.compile(
    rf"(?:\b({_WEEKDAY})\.?,?\s+)?\b({_MONTH})\.?\s+{_DAY}\b{_NOT_TIME}{_YEAR_AFTER}"
)
# Arabic month names, spelt with plain alef, yeh and heh (see _arabic): the Mashriq's, the
# Maghreb's (Morocco), Algeria's and Tunisia's, the Levant's.
ARABIC_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    "ماي": 5, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "اوت": 8,
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11,
    "كانون الاول": 12,
}  # fmt: skip
_ARABIC_MONTH = "|".join(sorted(ARABIC_MONTHS, key=len, reverse=True))
ARABIC_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_ARABIC_MONTH})(?!\w)(?:[,\u060c]?\s*(20\d{{2}}))?"
)


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = plain.replace("\u2019", "'")  # typographic apostrophe
    return re.sub(r"[^a-z0-9:/.@-]+", " ", plain).strip()


def refusal(text: str, messages: list[str]) -> str | None:
    """The known message the text contains, if any (the best match above the threshold).

    A long message also counts when only its first or its second half is legible: a capture
    cut at the screen's edge, a photo whose glare hides a line. Each half of a long message
    is still a sentence no other page prints (« il n'existe plus de plage horaire libre pour
    votre »), and is held to a stricter threshold."""
    folded = fold(text)
    if not folded:
        return None
    best, score = None, 0.0
    for message in messages:
        candidate = fold(message)
        if not candidate:
            continue
        found = within(candidate, folded)
        if found < MATCH_THRESHOLD and len(candidate) >= LONG_MESSAGE:
            middle = len(candidate) // 2
            half = max(within(part, folded) for part in (candidate[:middle], candidate[middle:]))
            found = half if half >= HALF_THRESHOLD else found
        if found >= MATCH_THRESHOLD and found > score:
            best, score = message, found
    return best


def within(phrase: str, text: str) -> float:
    """How well ``phrase`` stands in ``text`` (0 to 100), OCR errors tolerated. A text
    shorter than the phrase holds only a piece of it, which proves nothing: 0."""
    if len(text) < len(phrase) * 0.9:
        return 0.0
    return float(fuzz.partial_ratio(phrase, text))


def site(text: str) -> str | None:
    found = SITES.search(fold(text).replace(" .", "."))
    return found.group(1) if found else None


def numerals(text: str) -> str:
    """Western digits for Eastern ones, and for the letters OCR reads in their place inside
    what looks like a time or a date (« O9:l2 »: two digits at least, and a separator)."""
    text = text.translate(EASTERN_DIGITS)

    def mend(found: re.Match[str]) -> str:
        token = found.group()
        digits = sum(c.isdigit() for c in token)
        if digits < 2 or digits < len(token) // 2 or not re.search(r"[:;./-]", token):
            return token
        return token.translate(CONFUSED)

    return NUMERAL.sub(mend, text)


def times(text: str) -> list[str]:
    """Every time of day shown, as HH:MM (24-hour), in order of appearance."""
    seen: list[str] = []
    for found in TIME.finditer(numerals(text)):
        value = _time(found)
        if value and value not in seen:
            seen.append(value)
    return seen


def _time(found: re.Match[str]) -> str | None:
    h = int(found["hour"] or found["hour2"])
    minute = found["minute"] or found["minute2"]
    meridiem = (found["meridiem"] or "").lower()
    arabic = found["after"] or found["before"]
    if arabic:
        meridiem = "a" if arabic == "ص" else "p"
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem == "p" else 0)
    return f"{h:02d}:{minute}"


def dates(text: str, *, today: date | None = None) -> list[str]:
    """Every calendar date shown, as ISO dates: numeric (day first, month first beside a
    12-hour clock, as the United States print them; ISO), French, English and Arabic month
    names, with or without the year. A date without its year is put in the year that makes
    its weekday right, else in the last year it is not after `today` (the capture's day)."""
    today = today or clock.today()
    plain = numerals(text)
    twelve_hour = [found.start() for found in TIME.finditer(plain) if found["meridiem"]]
    found: list[date] = []
    for match in NUMERIC_DATE.finditer(plain):
        first, _, second, digits = match.groups()
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        if not 2000 < year <= today.year + 1:
            continue  # « 1/2/95 », « 3.12.50 »: not a capture's date
        us = any(abs(at - match.start()) <= US_NEARBY for at in twelve_hour)
        d, m = (int(second), int(first)) if us else (int(first), int(second))
        if not _valid(year, m, d):
            d, m = m, d  # « 11/26/2026 » can only be month first
        _add(found, year, m, d)
    for y, m, d in ISO_DATE.findall(plain):
        _add(found, int(y), int(m), int(d))
    folded = fold(plain)
    for day, month, year in DAY_MONTH_YEAR.findall(folded):
        _add(found, int(year), MONTHS[month], int(day))
    for month, day, year in MONTH_DAY_YEAR.findall(folded):
        _add(found, int(year), MONTHS[month], int(day))
    days = set()
    for match in DAY_MONTH.finditer(folded):
        weekday, day, month = match.groups()
        days.add(match.start(2))
        _add_yearless(found, MONTHS[month], int(day), WEEKDAYS.get(weekday or ""), today)
    for match in MONTH_DAY.finditer(folded):
        weekday, month, day = match.groups()
        if match.start(3) in days:
            continue  # « mar. 2 déc. »: mardi 2 December, not 2 March
        _add_yearless(found, MONTHS[month], int(day), WEEKDAYS.get(weekday or ""), today)
    for day, month, year in ARABIC_DATE.findall(_arabic(plain)):
        if year:
            _add(found, int(year), ARABIC_MONTHS[month], int(day))
        else:
            _add_yearless(found, ARABIC_MONTHS[month], int(day), None, today)
    return [d.isoformat() for d in found]


def _arabic(text: str) -> str:
    """Arabic letters as month names are looked up: no vowel marks or tatweel, plain alef,
    yeh for alef maksura, heh for teh marbuta."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("\u0640", "")
    return plain.translate(str.maketrans("\u0622\u0623\u0625\u0671\u0649\u0629",
                                         "\u0627\u0627\u0627\u0627\u064a\u0647"))  # fmt: skip


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _add_yearless(
    found: list[date], month: int, day: int, weekday: int | None, today: date
) -> None:
    years = [y for y in range(today.year + 1, today.year - 7, -1) if _valid(y, month, day)]
    if weekday is not None:
        matching = [y for y in years if date(y, month, day).weekday() == weekday]
        if matching:
            _add(found, min(matching, key=lambda y: abs(date(y, month, day) - today)), month, day)
            return
    latest = today + timedelta(days=1)
    past = [y for y in years if date(y, month, day) <= latest]
    if past:
        _add(found, past[0], month, day)


def _add(found: list[date], year: int, month: int, day: int) -> None:
    if not _valid(year, month, day):
        return
    value = date(year, month, day)
    if value not in found:
        found.append(value)
