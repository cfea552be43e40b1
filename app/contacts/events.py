"""What writes to préfecture contacts emit (installed by app.wiring)."""

from typing import Any

from app.cases.events import case_path
from app.contacts.models import PrefectureContact
from app.events.emit import Emitter, Spec


def _path(contact: Any) -> str:
    return case_path(contact.case_id, f"/contacts/{contact.id}")


def _recorded(contact: Any) -> list[Spec]:
    facts = {"channel": contact.channel, "sent_date": contact.sent_date}
    return [Spec("contact.recorded", contact, "contact", _path(contact), contact.case_id, facts)]


def _changed(contact: Any, changed: set[str]) -> list[Spec]:
    if "response_date" in changed and contact.response_date is not None:
        facts = {
            "response_date": contact.response_date,
            "response_outcome": contact.response_outcome,
        }
        return [
            Spec("contact.answered", contact, "contact", _path(contact), contact.case_id, facts)
        ]
    return [Spec("contact.updated", contact, "contact", _path(contact), contact.case_id)]


EMITTER = Emitter(PrefectureContact, on_new=_recorded, on_change=_changed)
