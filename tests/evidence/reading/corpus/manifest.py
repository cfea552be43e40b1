"""The corpus's manifest (corpus.json): its vocabulary, the rule that gives each capture its
expected verdict, and a loader. Pure: no app import, so the reader's work can change freely.

A capture's expected verdict, from what it shows (``shows``: the outcome its page shows, or
None when the image has no text), the attempt's outcome and the clock it shows:

- ``unreadable``: no text at all;
- ``not_confirmed``: the page does not show what the attempt's outcome says;
- ``unverifiable``: it does, but no time is visible;
- ``inconsistent``: it does, and the visible time is more than TOLERANCE off the attempt's
  (with the date when one is visible: 23:58 on the 1st is 5 minutes before 00:03 on the 2nd);
- ``consistent`` otherwise.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
MANIFEST = HERE / "corpus.json"
FAMILIES = ("desktop_light", "desktop_dark", "phone", "photo", "error_page", "page_clock")
PAGES = ("prefecture", "rdv_prefecture", "anef", "http_503", "captcha", "unreachable")
OUTCOMES = ("no_slot", "error", "site_unavailable", "captcha_failed", "anef_error")
VERDICTS = ("consistent", "inconsistent", "unverifiable", "unreadable", "not_confirmed")
FIELDS = ("file", "family", "page", "outcome", "attempt_at", "shown_time", "shown_date",
          "expected")  # fmt: skip
TOLERANCE = timedelta(minutes=10)


def gap(attempt_at: datetime, shown_time: str, shown_date: str | None) -> timedelta:
    """How far the shown clock is from the attempt: on the clock's day when a date is shown,
    else around the clock (a time alone is 24 h periodic)."""
    shown = time.fromisoformat(shown_time)
    if shown_date is not None:
        return abs(datetime.combine(date.fromisoformat(shown_date), shown) - attempt_at)
    minutes = abs(shown.hour * 60 + shown.minute - attempt_at.hour * 60 - attempt_at.minute)
    return timedelta(minutes=min(minutes, 24 * 60 - minutes))


def expected(*, shows: str | None, outcome: str, attempt_at: datetime, shown_time: str | None,
             shown_date: str | None) -> str:  # fmt: skip
    if shows is None:
        return "unreadable"
    if shows != outcome:
        return "not_confirmed"
    if shown_time is None:
        return "unverifiable"
    if gap(attempt_at, shown_time, shown_date) > TOLERANCE:
        return "inconsistent"
    return "consistent"


def load(path: Path = MANIFEST) -> list[dict[str, Any]]:
    """The manifest's entries; each ``file`` is relative to the manifest's folder."""
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def file_of(entry: dict[str, Any]) -> Path:
    return HERE / str(entry["file"])
