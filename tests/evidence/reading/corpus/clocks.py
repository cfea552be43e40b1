"""What each system's clock prints for an instant, by locale: pure string formatting.

Windows takes the regional format's short time and short date; the Maghreb formats (ar-MA,
ar-DZ, ar-TN) keep Latin digits and print ``9:12`` over ``02-12-2026``, the Mashriq ones
(ar-EG, ar-SY) print Arabic-Indic digits and a ص/م (AM/PM) mark.
"""

from datetime import datetime

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FR_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
FR_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
             "oct.", "nov.", "déc.")  # fmt: skip
EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LATIN_ARABIC = {"ar-MA", "ar-DZ", "ar-TN"}
INDIC_ARABIC = {"ar-EG", "ar-SY"}


def _h12(at: datetime) -> tuple[int, str]:
    return (at.hour % 12 or 12), ("AM" if at.hour < 12 else "PM")


def windows(at: datetime, locale: str) -> tuple[str, str]:
    """The taskbar's two lines: time over date."""
    if locale == "en-US":
        hour, mark = _h12(at)
        return f"{hour}:{at:%M} {mark}", f"{at.month}/{at.day}/{at.year}"
    if locale in LATIN_ARABIC:
        return f"{at.hour}:{at:%M}", f"{at:%d-%m-%Y}"
    if locale in INDIC_ARABIC:
        hour, mark = _h12(at)
        time = f"{hour:02d}:{at:%M}".translate(ARABIC_INDIC)
        return f"{time} {'ص' if mark == 'AM' else 'م'}", f"{at:%d/%m/%Y}".translate(ARABIC_INDIC)
    return f"{at:%H:%M}", f"{at:%d/%m/%Y}"  # fr-FR, en-GB


def macos(at: datetime, locale: str) -> str:
    """The menu bar's date and time (top right)."""
    if locale == "en-US":
        hour, mark = _h12(at)
        return f"{EN_DAYS[at.weekday()]} {EN_MONTHS[at.month - 1]} {at.day} {hour}:{at:%M} {mark}"
    if locale == "en-GB":
        return f"{EN_DAYS[at.weekday()]} {at.day} {EN_MONTHS[at.month - 1]} {at:%H:%M}"
    return f"{FR_DAYS[at.weekday()]} {at.day} {FR_MONTHS[at.month - 1]} {at:%H:%M}"


def gnome(at: datetime, locale: str, *, weekday: bool = False) -> str:
    """The top bar's clock (centre); the weekday only when the user asked for it."""
    day = f"{FR_DAYS[at.weekday()]} " if weekday else ""
    if locale.startswith("en"):
        day = f"{EN_DAYS[at.weekday()]} " if weekday else ""
        return f"{day}{EN_MONTHS[at.month - 1]} {at.day}  {at:%H:%M}"
    return f"{day}{at.day} {FR_MONTHS[at.month - 1]}  {at:%H:%M}"


def phone(at: datetime, locale: str) -> str:
    """The status bar's clock (iOS and Android alike): ``9:12`` in 12 h, with no AM/PM mark,
    ``09:12`` in 24 h; Arabic-Indic digits where the locale uses them."""
    if locale == "en-US":
        return f"{_h12(at)[0]}:{at:%M}"
    text = f"{at:%H:%M}"
    return text.translate(ARABIC_INDIC) if locale in INDIC_ARABIC else text
