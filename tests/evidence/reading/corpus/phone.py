"""A phone's screen around a page, in HTML: Android (360 x 800 at DPR 3, Chrome's address bar
on top, the clock top left; top right when the system is in Arabic, the bar being mirrored) or
iOS (390 x 844 at DPR 3, the clock in the left « ear », Safari's address bar at the bottom)."""

from dataclasses import dataclass
from datetime import datetime

from tests.evidence.reading.corpus import clocks
from tests.evidence.reading.corpus.pages import Page

CSS = """
.phone { width: 100vw; height: 100vh; display: flex; flex-direction: column; overflow: hidden;
  background: #fff; }
.statusbar { flex: none; display: flex; align-items: center; padding: 0 16px; }
.android .statusbar { height: 28px; font: 500 14px Roboto, "DejaVu Sans", sans-serif; }
.ios .statusbar { height: 50px; padding: 0 34px 0 40px;
  font: 600 17px "Open Sans", "DejaVu Sans", sans-serif; }
.statusbar.light { background: #fff; color: #000; }
.statusbar.dark { background: #000; color: #fff; }
.android .statusbar.dark { background: #202124; }
.statusbar .icons { margin-left: auto; display: flex; gap: 6px; align-items: center;
  font-size: 12px; }
.rtl .statusbar .icons { margin-left: 0; margin-right: auto; }
.rtl .statusbar { direction: rtl; }
.island { position: absolute; left: 50%; top: 11px; width: 124px; height: 36px;
  margin-left: -62px; background: #000; border-radius: 18px; }
.bars { display: flex; gap: 2px; align-items: flex-end; height: 11px; }
.bars i { width: 3px; background: currentColor; border-radius: 1px; }
.cell { width: 25px; height: 12px; border: 1.5px solid currentColor; border-radius: 4px;
  position: relative; opacity: .9; }
.cell::after { content: ""; position: absolute; inset: 1.5px 7px 1.5px 1.5px;
  background: currentColor; border-radius: 2px; }
.urlbar { flex: none; height: 56px; display: flex; align-items: center; gap: 10px;
  padding: 0 12px; font: 15px Roboto, sans-serif; }
.urlbar.light { background: #fff; color: #202124; border-bottom: 1px solid #e0e0e0; }
.urlbar.dark { background: #202124; color: #e8eaed; }
.pill { flex: 1; height: 38px; border-radius: 19px; display: flex; align-items: center;
  padding: 0 14px; gap: 8px; white-space: nowrap; overflow: hidden; }
.urlbar.light .pill { background: #f1f3f4; } .urlbar.dark .pill { background: #3c4043; }
.tabs-count { width: 18px; height: 18px; border: 2px solid currentColor; border-radius: 4px;
  font-size: 11px; text-align: center; line-height: 18px; }
.content { flex: 1; min-height: 0; overflow: hidden; position: relative; direction: ltr; }
.safari { flex: none; height: 96px; background: #f2f2f7; border-top: 1px solid #d1d1d6;
  font: 15px "Open Sans", sans-serif; color: #000; padding: 8px 14px; box-sizing: border-box; }
.safari .pill { background: #fff; height: 40px; border-radius: 12px; box-shadow: 0 1px 3px #bbb; }
.safari .aa { font-weight: 600; font-size: 14px; }
.safari .buttons { display: flex; justify-content: space-around; color: #007aff;
  font: 20px "DejaVu Sans", sans-serif; margin-top: 6px; }
.gesture { flex: none; height: 20px; display: flex; justify-content: center;
  align-items: center; background: #fff; }
.gesture i { width: 108px; height: 4px; border-radius: 2px; background: #222; }
"""


@dataclass(frozen=True)
class Hand:
    system: str  # android | ios
    theme: str = "light"
    locale: str = "fr-FR"
    clock: datetime | None = None
    mirrored: bool = False  # Android in Arabic
    cropped: bool = False  # the status bar cut off by the user


def clock_text(hand: Hand) -> str | None:
    if hand.clock is None or hand.cropped:
        return None
    return clocks.phone(hand.clock, hand.locale)


def size(hand: Hand) -> tuple[int, int]:
    return (360, 800) if hand.system == "android" else (390, 844)


def body(hand: Hand, page: Page) -> str:
    text = clock_text(hand) or ""
    battery = "٧٨٪" if hand.locale in clocks.INDIC_ARABIC else "78 %"
    bars = '<span class="bars"><i style="height:4px"></i><i style="height:6px"></i><i ' \
        'style="height:8px"></i><i style="height:11px"></i></span>'  # fmt: skip
    status = "" if hand.cropped else (
        f'<div class="statusbar {hand.theme}"><span>{text}</span><div class="icons">'
        f'{bars}<span>4G</span><span class="cell"></span>'
        + (f"<span>{battery}</span>" if hand.system == "android" else "")
        + "</div></div>"
        + ('<div class="island"></div>' if hand.system == "ios" else "")
    )  # fmt: skip
    host = page.url.removeprefix("https://").split("/")[0].removeprefix("www.")
    rtl = " rtl" if hand.mirrored else ""
    if hand.system == "android":
        theme = hand.theme
        chrome = (
            f'<div class="urlbar {theme}"><span class="glyph">⌂</span><div class="pill">'
            f'<span class="lock"></span>{host}</div><span class="tabs-count">2</span>'
            "<span>⋮</span></div>"
        )
        return (
            f'<div class="phone android{rtl}">{status}{chrome}<div class="content">'
            f'{page.html}</div><div class="gesture"><i></i></div></div>'
        )
    safari = (
        f'<div class="safari"><div class="pill"><span class="aa">AA</span>'
        f'<span style="flex:1;text-align:center">{host}</span><span>↻</span></div>'
        '<div class="buttons"><span>&lsaquo;</span><span>&rsaquo;</span><span>⇪</span>'
        "<span>▯</span><span>⧉</span></div></div>"
    )
    return (
        f'<div class="phone ios{rtl}">{status}<div class="content">{page.html}</div>{safari}</div>'
    )
