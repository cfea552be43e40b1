"""A desktop's screen around a page, in HTML: the browser's window (Chrome, Edge or Firefox,
light or dark) and the system's bar with its clock — Windows 10 and 11 taskbars (bottom
right; bottom left when the display language is Arabic, the bar then being mirrored), the
macOS menu bar (top right), GNOME's top bar (centre)."""

from dataclasses import dataclass
from datetime import datetime

from tests.evidence.reading.corpus import clocks
from tests.evidence.reading.corpus.pages import Page

WIDTH, HEIGHT = 1366, 768

CSS = """
.screen { width: 100vw; height: 100vh; display: flex; flex-direction: column; overflow: hidden;
  background: #3a6ea5; }
.window { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.tabs { height: 34px; display: flex; align-items: flex-end; padding-left: 8px;
  font: 12px "Open Sans", sans-serif; }
.tab { width: 230px; height: 28px; border-radius: 8px 8px 0 0; display: flex;
  align-items: center; gap: 8px; padding: 0 10px; white-space: nowrap; overflow: hidden; }
.favicon { width: 14px; height: 14px; border-radius: 3px; background: #000091; flex: none; }
.spinner { width: 10px; height: 10px; border-radius: 50%; border: 2px solid #1a73e8;
  border-right-color: transparent; flex: none; }
.toolbar { height: 40px; display: flex; align-items: center; gap: 14px; padding: 0 12px;
  font: 14px "Open Sans", sans-serif; }
.toolbar .nav { letter-spacing: 10px; font: 16px "DejaVu Sans", sans-serif; }
.omnibox { flex: 1; height: 28px; border-radius: 14px; display: flex; align-items: center;
  padding: 0 14px; gap: 8px; white-space: nowrap; overflow: hidden; }
.lock { width: 9px; height: 8px; border: 2px solid currentColor; border-radius: 2px;
  flex: none; opacity: .7; }
.host { font-weight: 600; }
.viewport { flex: 1; position: relative; min-height: 0; overflow: hidden; background: #fff; }
.status-bubble { position: absolute; left: 0; bottom: 0; background: #f1f3f4; color: #202124;
  font: 12px "Open Sans", sans-serif; padding: 3px 8px; border: 1px solid #c8c8c8; }
.light .tabs { background: #dee1e6; color: #202124; } .light .tab { background: #fff; }
.light .toolbar { background: #fff; color: #5f6368; border-bottom: 1px solid #dadce0; }
.light .omnibox { background: #f1f3f4; color: #202124; }
.dark .tabs { background: #202124; color: #e8eaed; } .dark .tab { background: #35363a; }
.dark .toolbar { background: #35363a; color: #e8eaed; }
.dark .omnibox { background: #202124; color: #e8eaed; }
.edge.light .tabs { background: #f3f3f3; } .edge.light .toolbar { background: #f9f9f9; }
.edge.light .omnibox { background: #fff; border: 1px solid #d4d4d4; border-radius: 6px; }
.firefox .omnibox { border-radius: 4px; }
.firefox.light .tabs { background: #f0f0f4; } .firefox.light .omnibox { background: #fff;
  border: 1px solid #cfcfd8; }
.taskbar { display: flex; align-items: center; flex: none; font-family: "Open Sans",
  "DejaVu Sans", sans-serif; font-size: 12px; }
.taskbar.light { background: #eeeeee; color: #000; border-top: 1px solid #d0d0d0; }
.taskbar.dark { background: #101010; color: #fff; }
.w11.light { background: #f3f3f3; } .w11.dark { background: #202020; }
.w10 { height: 40px; } .w11 { height: 48px; }
.taskbar .start { width: 48px; display: flex; justify-content: center; }
.logo { width: 16px; height: 16px; display: grid; grid-template-columns: 1fr 1fr; gap: 1px; }
.logo i { background: #0078d4; } .w10.dark .logo i { background: #fff; }
.search { width: 330px; height: 40px; display: flex; align-items: center; padding: 0 12px;
  box-sizing: border-box; }
.w10.light .search { background: #fff; color: #555; border: 1px solid #ccc; }
.w10.dark .search { background: #f3f3f3; color: #444; }
.apps { display: flex; gap: 6px; padding: 0 8px; }
.w11 .apps { flex: 1; justify-content: center; }
.app { width: 24px; height: 24px; border-radius: 5px; margin: 0 6px; }
.tray { display: flex; align-items: center; gap: 12px; padding: 0 10px; height: 100%; }
.w10 .spacer { flex: 1; }
.glyph { font: 11px "DejaVu Sans", sans-serif; opacity: .85; }
.clock { display: flex; flex-direction: column; line-height: 16px; padding: 0 6px; }
.w10 .clock { align-items: center; } .w11 .clock { align-items: flex-end; }
.rtl .clock { align-items: flex-start; }
.weather { display: flex; gap: 6px; padding: 0 14px; width: 180px; }
.sliver { width: 5px; height: 100%; border-left: 1px solid #888; }
.rtl { direction: rtl; }
.menubar { height: 24px; display: flex; align-items: center; gap: 18px; padding: 0 14px;
  flex: none; font: 13px "Liberation Sans", sans-serif; }
.menubar.light { background: #ececec; color: #000; } .menubar.dark { background: #1e1e1e;
  color: #fff; }
.menubar .apple { width: 12px; height: 14px; border-radius: 50% 50% 45% 45%;
  background: currentColor; }
.menubar .right { margin-left: auto; display: flex; gap: 16px; align-items: center; }
.battery { width: 20px; height: 9px; border: 1px solid currentColor; border-radius: 2px;
  position: relative; } .battery::after { content: ""; position: absolute; inset: 1px 6px 1px 1px;
  background: currentColor; }
.topbar { position: relative; height: 32px; background: #000; color: #fff; flex: none;
  display: flex; align-items: center; padding: 0 10px; font: 700 14.5px Cantarell, sans-serif; }
.topbar .activities { background: #303030; border-radius: 12px; padding: 3px 12px; }
.topbar .centre { position: absolute; left: 0; right: 0; text-align: center;
  pointer-events: none; }
.topbar .right { margin-left: auto; display: flex; gap: 12px; }
"""
SEARCH = {"fr": "Taper ici pour rechercher", "en": "Type here to search", "ar": "اكتب هنا للبحث"}
APPS = ("#1a73e8", "#f2c12e", "#0f7bd8", "#2b579a", "#107c10", "#c43e1c")


@dataclass(frozen=True)
class Desk:
    system: str  # win10 | win11 | macos | gnome | window (a browser window alone, no bar)
    theme: str = "light"
    scale: float = 1.0
    locale: str = "fr-FR"
    clock: datetime | None = None  # what the clock shows; None: no clock drawn
    browser: str = "chrome"  # chrome | edge | firefox
    browser_dark: bool = False
    mirrored: bool = False  # Windows with an Arabic display language
    weather: bool = False
    weekday: bool = False  # GNOME's option


def clock_text(desk: Desk) -> str | None:
    """The clock's text as drawn (lines joined by a space)."""
    if desk.clock is None or desk.system == "window":
        return None
    if desk.system in ("win10", "win11"):
        return " ".join(clocks.windows(desk.clock, desk.locale))
    if desk.system == "macos":
        return clocks.macos(desk.clock, desk.locale)
    return clocks.gnome(desk.clock, desk.locale, weekday=desk.weekday)


def size(desk: Desk) -> tuple[int, int]:
    return (1280, 720) if desk.system == "window" else (WIDTH, HEIGHT)


def body(desk: Desk, page: Page, *, waiting: bool = False) -> str:
    top = ""
    if desk.system == "macos":
        top = _menubar(desk)
    elif desk.system == "gnome":
        top = _topbar(desk)
    bottom = _taskbar(desk) if desk.system in ("win10", "win11") and desk.clock else ""
    return f'<div class="screen">{top}{_window(desk, page, waiting)}{bottom}</div>'


def _window(desk: Desk, page: Page, waiting: bool) -> str:
    theme = "dark" if desk.browser_dark else "light"
    # Chrome hides the scheme and "www."; Edge and Firefox show the whole address.
    address = page.url.removeprefix("https://")
    scheme = "" if desk.browser == "chrome" else "https://"
    if desk.browser == "chrome":
        address = address.removeprefix("www.")
    host, _, rest = address.partition("/")
    icon = '<span class="spinner"></span>' if waiting else '<span class="favicon"></span>'
    bubble = ""
    if waiting:
        bubble = f'<div class="status-bubble">En attente de {page.url.split("/")[2]}…</div>'
    return (
        f'<div class="window {desk.browser} {theme}"><div class="tabs"><div class="tab">{icon}'
        f'{page.title}</div></div><div class="toolbar"><span class="nav">←→↻</span>'
        f'<div class="omnibox"><span class="lock"></span><span>{scheme}'
        f'<span class="host">{host}</span>/{rest}</span></div><span class="glyph">☆ ⋮</span></div>'
        f'<div class="viewport">{page.html}{bubble}</div></div>'
    )


def _taskbar(desk: Desk) -> str:
    assert desk.clock is not None
    win = "w10" if desk.system == "win10" else "w11"
    time, day = clocks.windows(desk.clock, desk.locale)
    language = desk.locale.split("-")[0]
    keyboard = {"fr": "FRA", "en": "ENG", "ar": "ARA"}[language]
    logo = '<div class="logo"><i></i><i></i><i></i><i></i></div>'
    apps = "".join(f'<div class="app" style="background:{c}"></div>' for c in APPS)
    tray = (
        f'<div class="tray"><span class="glyph">∧</span><span>{keyboard}</span>'
        '<span class="glyph">◠ ◖)</span><div class="clock">'
        f"<span>{time}</span><span>{day}</span></div>"
        + ('<span class="glyph">▭</span>' if win == "w11" else '<div class="sliver"></div>')
        + "</div>"
    )
    search = SEARCH["ar" if desk.mirrored else "en" if language == "en" else "fr"]
    if win == "w10":
        inner = (f'<div class="start">{logo}</div><div class="search">{search}</div>'
                 f'<div class="apps">{apps}</div><div class="spacer"></div>{tray}')  # fmt: skip
    else:
        weather = '<div class="weather"><b>8°C</b> Nuageux</div>' if desk.weather else ""
        weather = weather or '<div class="weather"></div>'
        inner = f'{weather}<div class="apps"><div class="start">{logo}</div>{apps}</div>{tray}'
    rtl = " rtl" if desk.mirrored else ""
    return f'<div class="taskbar {win} {desk.theme}{rtl}">{inner}</div>'


def _menubar(desk: Desk) -> str:
    items = ("Fichier Édition Présentation Historique Favoris Profils Onglet Fenêtre Aide"
             if desk.locale.startswith("fr") else
             "File Edit View History Bookmarks Profiles Tab Window Help")  # fmt: skip
    menus = "".join(f"<span>{m}</span>" for m in items.split())
    text = clock_text(desk) or ""
    return (
        f'<div class="menubar {desk.theme}"><span class="apple"></span><b>Google Chrome</b>'
        f'{menus}<div class="right"><span class="battery"></span><span class="glyph">◠ ⌕ ☰'
        f"</span><span>{text}</span></div></div>"
    )


def _topbar(desk: Desk) -> str:
    activities = "Activités" if desk.locale.startswith("fr") else "Activities"
    text = clock_text(desk) or ""
    return (
        f'<div class="topbar"><span class="activities">{activities}</span>'
        f'<span class="centre">{text}</span><div class="right"><span class="glyph">◠ ◖) ▾'
        "</span></div></div>"
    )
