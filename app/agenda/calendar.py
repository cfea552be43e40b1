"""Working days in France: weekends and public holidays (the maintained `holidays` data).

Each territory has its own calendar: ``region`` is a subdivision of the package's France
calendar (« 974 » adds 20 décembre at La Réunion, « 976 » 27 avril at Mayotte, « 6AE »
Good Friday and 26 December in Alsace); "" is the metropolitan calendar.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _public_holidays(year: int, region: str = "") -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", subdiv=region or None, years=year))


def is_working_day(day: date, region: str = "") -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year, region)


def next_working_day(day: date, region: str = "") -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, region):
        day += timedelta(days=1)
    return day


def add_days(start: date, days: int, *, working_days: bool, region: str = "") -> date:
    if not working_days:
        return start + timedelta(days=days)
    day = start
    for _ in range(days):
        day = next_working_day(day + timedelta(days=1), region)
    return day


def franc_deadline(start: date, days: int, region: str = "") -> date:
    """Last day to act on a délai franc of ``days`` running from ``start``.

    Neither the day of the notification nor the day the period falls due counts,
    so the act is still in time the day after; a last day that is a Saturday,
    Sunday or public holiday moves to the next working day.
    """
    return next_working_day(start + timedelta(days=days + 1), region)
