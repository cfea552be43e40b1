"""Deadlines as an RFC 5545 calendar feed (pure).

Events carry the case reference, the kind of deadline and a link, never the client's name
nor any free text (an urgency fact's description can hold health details): calendar feeds
end up in third-party calendar services.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from app import clock, french
from app.agenda.deadlines import Deadline, DeadlineKind

PRODID = "-//Créneau//Échéances//FR"
TIMED_EVENT = timedelta(hours=1)
LABELS = {
    DeadlineKind.response_due: "réponse attendue de la préfecture",
    DeadlineKind.hearing: "audience de référé",
    DeadlineKind.compliance_due: "fin du délai d'exécution de l'injonction",
    DeadlineKind.astreinte_accruing: "astreinte en cours",
    DeadlineKind.latest_appointment: "date limite du rendez-vous ordonné",
    DeadlineKind.cassation_deadline: "dernier jour pour un pourvoi en cassation",
    DeadlineKind.appointment: "rendez-vous en préfecture",
    DeadlineKind.document_expiry: "expiration du document de séjour",
    DeadlineKind.urgency: "échéance d'un élément d'urgence",
}
# Events the lawyer must attend block time in the calendar; the others are reminders.
BUSY = {DeadlineKind.hearing, DeadlineKind.appointment}


def uid(deadline: Deadline) -> str:
    return f"{deadline.kind}-{deadline.source_id}@creneau"


def render(deadlines: Iterable[Deadline], *, now: datetime, name: str, case_url: str) -> bytes:
    """``case_url`` has a ``{case_id}`` placeholder: each event links back to its case."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", clock.PARIS.key)
    for deadline in deadlines:
        event = Event()
        event.add("uid", uid(deadline))
        event.add("dtstamp", now)
        event.add("summary", f"{deadline.reference} \u2013 {LABELS[deadline.kind]}")
        event.add("url", case_url.format(case_id=deadline.case_id))
        if deadline.at is not None:
            start = french.paris(deadline.at)
            event.add("dtstart", start)
            event.add("dtend", start + TIMED_EVENT)
        else:
            event.add("dtstart", deadline.due_date)
            event.add("dtend", deadline.due_date + timedelta(days=1))
        event.add("categories", [deadline.kind.value])
        event.add("transp", "OPAQUE" if deadline.kind in BUSY else "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()  # VTIMEZONE for Europe/Paris, as RFC 5545 asks
    data: bytes = calendar.to_ical()
    return data
