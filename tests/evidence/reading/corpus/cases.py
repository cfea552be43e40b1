"""Every capture of the corpus: what is drawn (page, screen, clock) and against which attempt;
then the JPEG and photo variants of some of them. Attempts are in Europe/Paris (winter time);
a capture's clock shows the attempt's time unless a case says otherwise."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.evidence.reading.corpus import pages as p
from tests.evidence.reading.corpus.desktop import Desk
from tests.evidence.reading.corpus.phone import Hand
from tests.evidence.reading.corpus.variants import Shot

FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")  # fmt: skip
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Drawn:
    name: str
    family: str
    outcome: str
    attempt: datetime
    page: p.Page
    screen: Desk | Hand
    stamp: datetime | None = None  # the date and time the page itself prints
    waiting: bool = False  # the tab still loading
    white: bool = False  # nothing drawn: a white image
    note: str = ""


@dataclass(frozen=True)
class Derived:
    name: str
    source: str
    quality: int | None = None  # a JPEG of the source at this quality
    shot: Shot | None = None  # a photo of the source's screen
    unreadable: bool = False  # the photo leaves no text to read
    note: str = ""


def at(month: int, day: int, hm: str) -> datetime:
    hour, minute = hm.split(":")
    return datetime(2026, month, day, int(hour), int(minute))


def off(when: datetime, minutes: int) -> datetime:
    return when + timedelta(minutes=minutes)


def updated(when: datetime) -> str:
    return f"Dernière mise à jour : {when:%d/%m/%Y} à {when:%H:%M}"


def searched(when: datetime) -> str:
    return (f"Recherche effectuée le {FR_DAYS[when.weekday()]} {when.day} "
            f"{FR_MONTHS[when.month - 1]} {when.year} à {when:%H:%M}")  # fmt: skip


def updated_en(when: datetime) -> str:
    hour, mark = when.hour % 12 or 12, "AM" if when.hour < 12 else "PM"
    return (f"Last updated: {EN_MONTHS[when.month - 1]} {when.day}, {when.year} at "
            f"{hour}:{when:%M} {mark}")  # fmt: skip


# The tables below keep one case to a line or two; the formatter would give each field a line.
# fmt: off
def _light() -> list[Drawn]:
    a = [at(12, 2, "09:12"), at(11, 30, "14:37"), at(12, 1, "08:57"), at(11, 27, "10:41"),
         at(11, 26, "09:05"), at(12, 1, "16:20"), at(12, 2, "07:48"), at(12, 3, "11:06"),
         at(12, 2, "09:30"), at(11, 25, "13:15"), at(12, 2, "09:48"), at(12, 2, "10:05"),
         at(11, 28, "15:02"), at(12, 1, "11:30"), at(11, 29, "18:22"), at(12, 1, "23:58"),
         at(11, 24, "17:45")]
    f, o = "desktop_light", "no_slot"
    return [
        Drawn("win11-100-fr", f, o, a[0], p.prefecture("93"), Desk("win11", clock=a[0])),
        Drawn("win11-125-fr", f, o, a[1], p.rdv_prefecture(),
              Desk("win11", scale=1.25, clock=off(a[1], 1)), note="clock a minute later"),
        Drawn("win11-150-fr-edge", f, o, a[2], p.prefecture("94"),
              Desk("win11", scale=1.5, clock=a[2], browser="edge", weather=True)),
        Drawn("win10-100-fr", f, o, a[3], p.rdv_prefecture(), Desk("win10", clock=a[3])),
        Drawn("win10-125-en-us", f, o, a[4],
              p.rdv_prefecture(message=p.ENGLISH_NO_SLOT, english=True),
              Desk("win10", scale=1.25, locale="en-US", clock=a[4])),
        Drawn("win11-100-en-us-pm", f, o, a[5],
              p.prefecture("92", message=p.PREFECTURE_NO_MOTIVE),
              Desk("win11", locale="en-US", clock=a[5]), note="12/1/2026 is 1 December"),
        Drawn("win11-100-ar-ma", f, o, a[6], p.prefecture("93"),
              Desk("win11", locale="ar-MA", clock=a[6]), note="Arabic (Morocco) format"),
        Drawn("win11-125-ar-eg-rtl", f, o, a[7], p.rdv_prefecture(),
              Desk("win11", scale=1.25, locale="ar-EG", clock=a[7], mirrored=True),
              note="Arabic display language: taskbar mirrored, clock bottom left"),
        Drawn("macos-fr", f, o, a[8], p.rdv_prefecture(), Desk("macos", clock=a[8])),
        Drawn("macos-en-gb", f, o, a[9], p.prefecture("69", message=p.PREFECTURE_NONE),
              Desk("macos", locale="en-GB", clock=a[9])),
        Drawn("win11-100-fr-3h-off", f, o, a[10], p.prefecture("93"),
              Desk("win11", clock=off(a[10], 180)), note="clock 3 h after the attempt"),
        Drawn("win10-100-fr-other-day", f, o, a[11], p.rdv_prefecture(),
              Desk("win10", clock=off(a[11], -24 * 60)), note="the day before"),
        Drawn("win11-150-fr-8min", f, o, a[12], p.prefecture("91"),
              Desk("win11", scale=1.5, clock=off(a[12], 8)), note="8 minutes: within tolerance"),
        Drawn("win11-100-fr-no-taskbar", f, o, a[13], p.rdv_prefecture(), Desk("win11"),
              note="taskbar hidden"),
        Drawn("win10-125-fr-captcha-attempt", f, "captcha_failed", a[14], p.prefecture("93"),
              Desk("win10", scale=1.25, clock=a[14]), note="a captcha attempt, a no-slot page"),
        Drawn("win11-100-fr-midnight", f, o, a[15], p.rdv_prefecture(),
              Desk("win11", clock=off(a[15], 5)), note="00:03 the next day: 5 minutes later"),
        Drawn("win10-150-en-gb", f, o, a[16], p.prefecture("93"),
              Desk("win10", scale=1.5, locale="en-GB", clock=a[16])),
    ]


def _dark() -> list[Drawn]:
    a = [at(12, 2, "09:12"), at(11, 29, "13:40"), at(11, 23, "19:03"), at(12, 1, "06:58"),
         at(11, 30, "21:47"), at(11, 27, "14:37"), at(12, 2, "16:09"), at(11, 26, "14:37"),
         at(11, 29, "09:48"), at(12, 1, "10:20"), at(12, 2, "09:12"), at(12, 2, "09:12"),
         at(12, 2, "18:05"), at(11, 25, "22:31"), at(12, 2, "08:30"), at(12, 3, "08:01")]
    f, o, d = "desktop_dark", "no_slot", "dark"
    return [
        Drawn("win10-100-fr", f, o, a[0], p.prefecture("93"), Desk("win10", d, clock=a[0])),
        Drawn("win10-125-fr", f, o, a[1], p.rdv_prefecture(),
              Desk("win10", d, 1.25, clock=a[1])),
        Drawn("win10-150-fr-dark-browser", f, o, a[2], p.prefecture("94"),
              Desk("win10", d, 1.5, clock=a[2], browser_dark=True)),
        Drawn("win11-100-fr", f, o, a[3], p.rdv_prefecture(), Desk("win11", d, clock=a[3])),
        Drawn("win11-125-fr-dark-browser", f, o, a[4],
              p.prefecture("92", message=p.PREFECTURE_NO_MOTIVE),
              Desk("win11", d, 1.25, clock=a[4], browser_dark=True)),
        Drawn("win11-150-en-us", f, o, a[5], p.rdv_prefecture(),
              Desk("win11", d, 1.5, locale="en-US", clock=a[5])),
        Drawn("win10-100-ar-tn", f, o, a[6], p.prefecture("93"),
              Desk("win10", d, locale="ar-TN", clock=a[6]), note="Arabic (Tunisia) format"),
        Drawn("win11-100-ar-sy-rtl", f, o, a[7], p.rdv_prefecture(),
              Desk("win11", d, locale="ar-SY", clock=a[7], mirrored=True),
              note="Arabic-Indic digits, م for PM, clock bottom left"),
        Drawn("win10-100-fr-3h-off", f, o, a[8], p.prefecture("93"),
              Desk("win10", d, clock=off(a[8], 180)), note="clock 3 h after the attempt"),
        Drawn("win11-125-fr-25min-off", f, o, a[9], p.rdv_prefecture(),
              Desk("win11", d, 1.25, clock=off(a[9], 25)), note="clock 25 minutes after"),
        Drawn("win11-100-en-us-12h-off", f, o, a[10], p.rdv_prefecture(),
              Desk("win11", d, locale="en-US", clock=off(a[10], 12 * 60)),
              note="9:12 PM for a 09:12 attempt"),
        Drawn("gnome-fr", f, o, a[11], p.rdv_prefecture(),
              Desk("gnome", d, clock=a[11], browser="firefox")),
        Drawn("gnome-fr-weekday", f, o, a[12], p.prefecture("69"),
              Desk("gnome", d, clock=a[12], browser="firefox", browser_dark=True, weekday=True)),
        Drawn("macos-fr", f, o, a[13], p.prefecture("93"),
              Desk("macos", d, clock=a[13], browser_dark=True)),
        Drawn("win10-125-fr-other-day", f, o, a[14], p.prefecture("94"),
              Desk("win10", d, 1.25, clock=off(a[14], -3 * 24 * 60)), note="three days before"),
        Drawn("win11-100-ar-dz-anef", f, o, a[15], p.anef(message=p.RDV_NO_SLOT),
              Desk("win11", d, locale="ar-DZ", clock=a[15]), note="Arabic (Algeria) format"),
    ]


def _phone() -> list[Drawn]:
    a = [at(12, 2, "09:12"), at(11, 30, "14:37"), at(12, 1, "21:47"), at(12, 2, "09:12"),
         at(11, 28, "07:41"), at(12, 1, "12:10"), at(11, 27, "17:33"), at(12, 2, "10:15"),
         at(11, 26, "19:52"), at(12, 2, "09:48"), at(11, 29, "08:10"), at(12, 1, "11:11"),
         at(12, 2, "09:12"), at(11, 30, "23:40"), at(11, 26, "10:02")]
    f, o, m = "phone", "no_slot", True
    return [
        Drawn("ios-en-us", f, o, a[0], p.rdv_prefecture(mobile=m),
              Hand("ios", locale="en-US", clock=a[0])),
        Drawn("ios-fr-dark", f, o, a[1], p.prefecture("93", mobile=m),
              Hand("ios", "dark", clock=a[1])),
        Drawn("ios-fr-anef", f, o, a[2], p.anef(message=p.RDV_NO_SLOT, mobile=m),
              Hand("ios", clock=a[2])),
        Drawn("android-fr", f, o, a[3], p.prefecture("93", mobile=m), Hand("android", clock=a[3])),
        Drawn("android-fr-dark", f, o, a[4], p.rdv_prefecture(mobile=m),
              Hand("android", "dark", clock=a[4])),
        Drawn("android-fr-captcha", f, "captcha_failed", a[5], p.captcha("94", mobile=m),
              Hand("android", clock=a[5])),
        Drawn("android-fr-anef-error", f, "anef_error", a[6], p.anef(mobile=m),
              Hand("android", "dark", clock=a[6])),
        Drawn("ios-fr-503", f, "error", a[7], p.http_503(mobile=m), Hand("ios", clock=a[7])),
        Drawn("ios-fr-unreachable", f, "site_unavailable", a[8],
              p.unreachable("93", safari=True, mobile=m), Hand("ios", clock=a[8])),
        Drawn("android-fr-3h-off", f, o, a[9], p.prefecture("93", mobile=m),
              Hand("android", clock=off(a[9], -180)), note="clock 3 h before the attempt"),
        Drawn("ios-en-us-25min-off", f, o, a[10], p.rdv_prefecture(mobile=m),
              Hand("ios", "dark", locale="en-US", clock=off(a[10], 25)), note="25 minutes"),
        Drawn("android-fr-cropped", f, o, a[11], p.rdv_prefecture(mobile=m),
              Hand("android", clock=a[11], cropped=True), note="status bar cut off"),
        Drawn("android-ar-eg-rtl", f, o, a[12], p.rdv_prefecture(mobile=m),
              Hand("android", locale="ar-EG", clock=a[12], mirrored=True),
              note="Arabic-Indic digits, clock top right"),
        Drawn("android-fr-noslot-attempt-unreachable", f, o, a[13],
              p.unreachable("93", mobile=m), Hand("android", "dark", clock=a[13]),
              note="a no-slot attempt, a page that did not load"),
        Drawn("android-ar-ma", f, o, a[14], p.prefecture("94", mobile=m),
              Hand("android", locale="ar-MA", clock=a[14])),
    ]


def _errors() -> list[Drawn]:
    a = [at(12, 2, "09:12"), at(11, 28, "16:45"), at(12, 1, "08:15"), at(11, 27, "20:05"),
         at(12, 2, "18:05"), at(11, 30, "11:47"), at(12, 3, "09:59"), at(12, 2, "14:02"),
         at(11, 26, "07:30"), at(12, 1, "13:13"), at(11, 29, "10:10"), at(12, 2, "10:30"),
         at(11, 25, "09:01"), at(12, 1, "19:19"), at(11, 28, "12:00"), at(12, 2, "08:00")]
    f, d = "error_page", "dark"
    return [
        Drawn("win11-100-fr-503", f, "error", a[0], p.http_503(), Desk("win11", clock=a[0])),
        Drawn("win10-125-fr-503-apache", f, "error", a[1], p.http_503(style="apache"),
              Desk("win10", d, 1.25, clock=a[1])),
        Drawn("win11-125-fr-unreachable", f, "site_unavailable", a[2], p.unreachable("93"),
              Desk("win11", scale=1.25, clock=a[2])),
        Drawn("win10-100-en-us-unreachable", f, "site_unavailable", a[3],
              p.unreachable("94", english=True, dark=True),
              Desk("win10", d, locale="en-US", clock=a[3], browser_dark=True)),
        Drawn("win11-100-fr-blank-loading", f, "site_unavailable", a[4],
              p.unreachable("93", blank=True), Desk("win11", d, clock=a[4]), waiting=True,
              note="blank page, the tab still loading"),
        Drawn("win11-100-fr-anef-technical", f, "anef_error", a[5], p.anef(),
              Desk("win11", clock=a[5])),
        Drawn("win10-150-fr-anef-down", f, "anef_error", a[6], p.anef(message=p.ANEF_DOWN),
              Desk("win10", d, 1.5, clock=a[6])),
        Drawn("win11-100-fr-captcha", f, "captcha_failed", a[7], p.captcha("93"),
              Desk("win11", clock=a[7])),
        Drawn("win10-125-fr-captcha", f, "captcha_failed", a[8], p.captcha("94"),
              Desk("win10", d, 1.25, clock=a[8])),
        Drawn("win11-100-fr-503-noslot-attempt", f, "no_slot", a[9], p.http_503(),
              Desk("win11", clock=a[9]), note="a no-slot attempt, a 503 page"),
        Drawn("win10-100-fr-anef-captcha-attempt", f, "captcha_failed", a[10], p.anef(),
              Desk("win10", clock=a[10]), note="a captcha attempt, an ANEF error"),
        Drawn("win11-125-fr-503-3h-off", f, "error", a[11], p.http_503(),
              Desk("win11", d, 1.25, clock=off(a[11], -180)), note="clock 3 h before"),
        Drawn("macos-fr-unreachable", f, "site_unavailable", a[12], p.unreachable("92"),
              Desk("macos", clock=a[12])),
        Drawn("gnome-fr-503", f, "error", a[13], p.http_503(),
              Desk("gnome", d, clock=a[13], browser="firefox")),
        Drawn("window-fr-unreachable", f, "site_unavailable", a[14], p.unreachable("91"),
              Desk("window"), note="the browser's window alone: no clock"),
        Drawn("white", f, "site_unavailable", a[15], p.unreachable("93", blank=True),
              Desk("win11"), white=True, note="a white image"),
    ]


def _page_clock() -> list[Drawn]:
    a = [at(12, 2, "09:12"), at(12, 2, "14:37"), at(12, 1, "09:05"), at(11, 30, "09:12"),
         at(11, 27, "15:00"), at(12, 3, "10:00"), at(12, 1, "22:14"), at(12, 2, "09:12")]
    f, o, w = "page_clock", "no_slot", Desk("window")
    return [
        Drawn("window-fr-updated", f, o, a[0], p.prefecture("93", stamp=updated(a[0])), w,
              stamp=a[0]),
        Drawn("window-fr-searched", f, o, a[1], p.rdv_prefecture(stamp=searched(a[1])), w,
              stamp=a[1]),
        Drawn("window-en-updated", f, o, a[2], p.rdv_prefecture(
              message=p.ENGLISH_NO_SLOT, english=True, stamp=updated_en(a[2])), w, stamp=a[2]),
        Drawn("window-fr-updated-3h-off", f, o, a[3],
              p.prefecture("94", stamp=updated(off(a[3], -180))), w, stamp=off(a[3], -180),
              note="the page's time 3 h before"),
        Drawn("window-fr-no-time", f, o, a[4], p.prefecture("92"), w, note="no time anywhere"),
        Drawn("window-fr-rdv-no-time", f, o, a[5], p.rdv_prefecture(), w),
        Drawn("android-fr-cropped-updated", f, o, a[6],
              p.prefecture("93", stamp=updated(a[6]), mobile=True),
              Hand("android", clock=a[6], cropped=True), stamp=a[6]),
        Drawn("window-fr-updated-8min", f, o, a[7],
              p.prefecture("69", stamp=updated(off(a[7], 8))), w, stamp=off(a[7], 8)),
    ]
# fmt: on


def drawn() -> list[Drawn]:
    cases = _light() + _dark() + _phone() + _errors() + _page_clock()
    numbered = []
    for n, case in enumerate(cases, start=1):
        numbered.append(Drawn(**{**case.__dict__, "name": f"{n:02d}-{case.family}-{case.name}"}))
    return numbered


def derived() -> list[Derived]:
    """JPEGs of some drawn captures, and photos of some screens (sources by number)."""
    jpegs = {90: (1, 18, 34, 49), 75: (4, 21, 37, 54), 60: (7, 26, 38, 56, 65)}
    out = [Derived(f"q{q}", f"{n:02d}", quality=q) for q, ns in jpegs.items() for n in ns]
    shots = [
        (1, Shot(seed=1)),
        (18, Shot(seed=2, tilt=-2.5, glare=0.5)),
        (19, Shot(seed=3, moire=0.15, blur=1.4)),
        (9, Shot(seed=4, tilt=4, keystone=0.08)),
        (26, Shot(seed=5, tilt=-3.5, glare=0.3)),
        (49, Shot(seed=6, tilt=2, noise=8)),
        (51, Shot(seed=7, tilt=-2, keystone=0.1, glare=0.45)),
        (56, Shot(seed=8, tilt=3.5, blur=1.3)),
        (14, Shot(seed=9, tilt=-1.5)),
        (3, Shot(seed=10, moire=0.2, noise=9, quality=70)),
        (29, Shot(seed=11, tilt=2.5, light=0.8)),
        (20, Shot(seed=12, blur=14, light=0.25, noise=10)),
    ]
    out += [Derived("photo", f"{n:02d}", shot=shot, unreadable=shot.blur > 10)
            for n, shot in shots]  # fmt: skip
    return out
