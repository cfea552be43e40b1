"""Whether a capture proves its attempt, and by how much its clock is off (pure).

A capture proves an attempt when its page confirms the attempt's outcome (``signs``) and a
clock on the screen shows the attempt's time, in the préfecture's zone, within the firm's
tolerance. The verdicts, as the API names them and as a lawyer reads them:

- ``consistent``: the outcome confirmed, a visible time within the tolerance;
- ``time_mismatch`` (« incohérente »): the outcome confirmed, every visible time further off
  than the tolerance (or another day shown): the difference is given in minutes;
- ``no_visible_time`` (« invérifiable »): the outcome confirmed, no time on the screen; it
  neither proves nor contradicts the attempt's time;
- ``no_refusal_message`` (« non confirmée »): the page shows nothing of what the attempt says
  (no refusal message for a no-slot attempt, no error page for an error…);
- ``unreadable``: no text at all.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.evidence.reading.models import Verdict
from app.evidence.reading.parse import fold

MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict | None
    # The visible clock minus the attempt's time, in minutes (None without a visible time).
    difference_minutes: int | None
    proposal: dict[str, str] | None


def judge(
    *,
    text: str,
    confirmation: str | None,
    suggested: str | None = None,
    visible_times: list[str],
    visible_dates: list[str],
    attempt_local: datetime | None,
    tolerance: timedelta,
    received_local: datetime,
) -> Judgement:
    """The verdict against the attempt (local time of the préfecture), from what confirms its
    outcome (``signs.confirmation``); with no attempt, the attempt the capture suggests
    instead (``suggested``: the outcome it seems to show), for a person to confirm."""
    if len(fold(text)) < 5:
        return Judgement(Verdict.unreadable, None, None)
    if attempt_local is None:
        proposal = _proposal(suggested, visible_times, visible_dates, received_local)
        return Judgement(None, None, proposal)
    if confirmation is None:
        return Judgement(Verdict.no_refusal_message, None, None)
    return timed(visible_times, visible_dates, attempt_local, tolerance)


def timed(
    visible_times: list[str],
    visible_dates: list[str],
    attempt_local: datetime,
    tolerance: timedelta,
) -> Judgement:
    """The verdict of a capture that confirms its outcome, from the clock it shows."""
    difference = closest_difference(visible_times, visible_dates, attempt_local)
    if difference is None:
        return Judgement(Verdict.no_visible_time, None, None)
    if abs(difference) <= tolerance.total_seconds() / 60:
        return Judgement(Verdict.consistent, difference, None)
    return Judgement(Verdict.time_mismatch, difference, None)


def closest_difference(
    visible_times: list[str], visible_dates: list[str], attempt_local: datetime
) -> int | None:
    """The visible clock minus the attempt, in minutes, for the reading closest to it.

    A date on the screen fixes the day (the closest of the dates shown); without one, the
    clock is taken on the day nearest the attempt, so 23:58 against 00:03 is 5 minutes."""
    attempt = attempt_local.replace(tzinfo=None, second=0, microsecond=0)
    days = [date.fromisoformat(d) for d in visible_dates] or [attempt.date()]
    best: int | None = None
    for shown in visible_times:
        hours, minutes = (int(part) for part in shown.split(":"))
        for day in days:
            at = datetime(day.year, day.month, day.day, hours, minutes)
            gap = round((at - attempt).total_seconds() / 60)
            if not visible_dates:
                gap = (gap + MINUTES_A_DAY // 2) % MINUTES_A_DAY - MINUTES_A_DAY // 2
            if best is None or abs(gap) < abs(best):
                best = gap
    return best


def _proposal(
    suggested: str | None,
    visible_times: list[str],
    visible_dates: list[str],
    received: datetime,
) -> dict[str, str] | None:
    if suggested is None and not visible_times:
        return None
    day = visible_dates[0] if visible_dates else received.date().isoformat()
    at = visible_times[0] if visible_times else None
    proposal = {"date": day, "outcome": suggested or "error"}
    if at:
        proposal["time"] = at
    return proposal
