"""The one clock the app reads: « now » and « today » come from here and nowhere else.

Production reads the system clock. Tests pin it to a fixed instant (it keeps ticking
from there, so ordering by time still works) so that nothing depends on the day or the
hour a test runs.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_pinned: tuple[datetime, float] | None = None  # (instant, monotonic reading when pinned)


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    if _pinned is None:
        return datetime.now(UTC)
    instant, since = _pinned
    return instant + timedelta(seconds=time.monotonic() - since)


def today(zone: ZoneInfo = PARIS) -> date:
    """Today's date on the wall clocks of ``zone`` (Paris unless a file says otherwise)."""
    return now().astimezone(zone).date()


def pin(instant: datetime) -> None:
    """Set « now » to ``instant`` (aware); it ticks on from there."""
    global _pinned
    if instant.tzinfo is None:
        raise ValueError("pin the clock to an aware datetime")
    _pinned = (instant.astimezone(UTC), time.monotonic())


@contextmanager
def pinned(instant: datetime) -> Iterator[None]:
    previous = _pinned
    pin(instant)
    try:
        yield
    finally:
        globals()["_pinned"] = previous
