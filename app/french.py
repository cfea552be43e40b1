"""French formatting for people and for documents: pure functions, Europe/Paris time.

Typography: a no-break space (U+00A0) between a number and its unit (« 9 h 12 »,
« 100 € »), a narrow no-break space (U+202F) as thousands separator (« 1 500 »),
inside guillemets and before « ; : ! ? ».
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import phonenumbers

from app.clock import PARIS

NBSP = "\u00a0"
NNBSP = "\u202f"
COLON = f"{NNBSP}:"  # « Objet : … » — a narrow no-break space before the colon

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def paris(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: give an aware one")
    return instant.astimezone(PARIS)


def format_date(day: date, *, weekday: bool = False) -> str:
    """« 3 mars 2025 », « 1er mars 2025 » (« lundi 3 mars 2025 » with ``weekday``)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_time(moment: time) -> str:
    """« 9 h 12 », « 14 h »."""
    if moment.minute == 0:
        return f"{moment.hour}{NBSP}h"
    return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"


def format_datetime(instant: datetime, zone: ZoneInfo = PARIS) -> str:
    """« le 3 mars 2025 à 9 h 12 », on the wall clock of ``zone`` (Paris by default)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: give an aware one")
    local = instant.astimezone(zone)
    return f"le {format_date(local.date())} à {format_time(local.time())}"


def format_number(value: int) -> str:
    """« 1 500 », « 12 000 000 »."""
    return f"{value:,}".replace(",", NNBSP)


def format_euros(cents: int) -> str:
    """« 1 500 € », « 12,50 € »."""
    euros, rest = divmod(cents, 100)
    amount = format_number(euros) + (f",{rest:02d}" if rest else "")
    return f"{amount}{NBSP}€"


def plural(count: int, word: str, plural: str | None = None) -> str:
    """« 1 semaine », « 3 semaines »; ``plural`` for irregular forms."""
    return f"{count} {word if count <= 1 else plural or word + 's'}"


def quote(text: str) -> str:
    """« text » with narrow no-break spaces inside the guillemets."""
    return f"«{NNBSP}{text}{NNBSP}»"


VOWELS = tuple("aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ")


def of(noun: str) -> str:
    """« de » before a noun, elided before a vowel or a mute h: « d'admission », « de salarié »."""
    return f"d'{noun}" if noun.startswith(VOWELS) else f"de {noun}"


def to(defendant: str) -> str:
    """« à » contracted with the article: « au préfet … », « à l'administrateur … »."""
    if defendant.startswith("le "):
        return "au " + defendant[3:]
    if defendant.startswith("les "):
        return "aux " + defendant[4:]
    return "à " + defendant


def capitalized(text: str) -> str:
    """The first letter in capitals, the rest untouched: « Tribunal … de La Réunion »."""
    return text[:1].upper() + text[1:]


def lowered(text: str) -> str:
    """The first letter in lower case, for a clause after a colon (« : refus d'accès »)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def legal_refs(text: str) -> str:
    """No line break inside « L. 521-3 », « R. 431-2 », « art. 37 », « n° 435594 »."""
    for prefix in ("L. ", "R. ", "art. ", "n° "):
        text = text.replace(prefix, prefix[:-1] + NBSP)
    return text


def civility_abbreviation(civility: str) -> str:
    return "Mme" if civility == "madame" else "M."


def born(civility: str) -> str:
    return "née" if civility == "madame" else "né"


def format_phone(e164: str) -> str:
    """« 06 12 34 56 78 », « 0692 12 34 56 » at La Réunion; foreign numbers in the
    international format (« +216 20 123 456 »)."""
    number = phonenumbers.parse(e164)
    region = phonenumbers.region_code_for_number(number)
    if region in FRENCH_REGIONS:
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


FRENCH_REGIONS = frozenset({"FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF"})


def letter_number(number: str) -> str:
    """A registered letter's number grouped as La Poste prints it: « 1A 234 567 8901 2 »
    (2, 3, 3, 4 and 1 characters); other shapes are returned as typed."""
    plain = "".join(number.split())
    if len(plain) != 13:
        return number
    parts = (plain[:2], plain[2:5], plain[5:8], plain[8:12], plain[12:])
    return NBSP.join(parts)
