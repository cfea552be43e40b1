"""Deadline reminders: one ``deadline.due_soon`` event per deadline, a few days ahead."""

from datetime import timedelta

from sqlmodel import Session

from app import clock
from app.agenda import service as agenda
from app.api import API_PREFIX
from app.events import emit
from app.policy import FirmPolicy


def remind_deadlines(session: Session, *, policy: FirmPolicy) -> int:
    """Events for the deadlines due within ``policy.deadline_reminder_days``, each once."""
    today = clock.today()
    horizon = today + timedelta(days=policy.deadline_reminder_days)
    emitted = 0
    for deadline in agenda.agenda(session, policy=policy, start=today, end=horizon):
        source = f"{deadline.source_type}:{deadline.source_id}"
        key = f"deadline:{deadline.kind}:{source}:{deadline.due_date}"
        if emit.recorded(session, dedupe_key=key):
            continue
        spec = emit.Spec(
            type="deadline.due_soon",
            obj=emit.Ref(deadline.case_id),
            resource_type="case",
            path=f"{API_PREFIX}/cases/{deadline.case_id}/next-actions",
            case_id=deadline.case_id,
            data={
                "kind": str(deadline.kind),
                "due_date": deadline.due_date.isoformat(),
                "days_left": (deadline.due_date - today).days,
                "source_type": deadline.source_type,
                "source_id": deadline.source_id,
            },
        )
        emit.record(session, specs=[spec], dedupe_key=key)
        emitted += 1
    return emitted
