"""Deadlines as an RFC 5545 calendar feed (pure).

Events carry the case reference, never the client's name: calendar feeds end up in
third-party calendar services.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from app import french
from app.agenda.deadlines import Deadline

PRODID = "-//Créneau//Échéances//FR"
TIMED_EVENT = timedelta(hours=1)


def uid(deadline: Deadline) -> str:
    return f"{deadline.kind}-{deadline.source_id}@creneau"


def render(deadlines: Iterable[Deadline], *, now: datetime, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for deadline in deadlines:
        event = Event()
        event.add("uid", uid(deadline))
        event.add("dtstamp", now)
        event.add("summary", deadline.title)
        if deadline.at is not None:
            start = french.paris(deadline.at)
            event.add("dtstart", start)
            event.add("dtend", start + TIMED_EVENT)
        else:
            event.add("dtstart", deadline.due_date)
            event.add("dtend", deadline.due_date + timedelta(days=1))
        event.add("categories", [deadline.kind.value])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
