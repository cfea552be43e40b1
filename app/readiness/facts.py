"""Reading what readiness depends on, for one case or a batch of them (a few queries)."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.agenda.deadlines import ContactFacts
from app.agenda.facts import contact_facts
from app.attempts.models import BookingAttempt, ReviewStatus
from app.cases.models import Case, UrgencyFact
from app.clients.models import Client
from app.contacts.models import PrefectureContact, ResponseOutcome
from app.evidence.models import Evidence, EvidenceKind
from app.prefectures.models import Prefecture, Procedure
from app.readiness.rules import AttemptFact, CaptureFact, ReadinessFacts
from app.readings.models import Reading, ReadingStatus


def load(session: Session, cases: Sequence[Case]) -> dict[uuid.UUID, tuple[ReadinessFacts, str]]:
    """Each case's facts and the code of its competent tribunal."""
    if not cases:
        return {}
    ids = [c.id for c in cases]
    clients = {
        c.id: c
        for c in session.exec(
            select(Client).where(col(Client.id).in_({c.client_id for c in cases}))
        )
    }
    # Only the procedures and préfectures these cases name: a single case is read often.
    channels = dict(
        session.exec(
            select(Procedure.code, Procedure.channel).where(
                col(Procedure.code).in_({c.procedure_code for c in cases})
            )
        ).all()
    )
    prefectures = {
        code: (tribunal, ZoneInfo(zone), region)
        for code, tribunal, zone, region in session.exec(
            select(
                Prefecture.department_code,
                Prefecture.tribunal_code,
                Prefecture.time_zone,
                Prefecture.holiday_region,
            ).where(col(Prefecture.department_code).in_({c.department_code for c in cases}))
        )
    }

    screenshot = (
        sa_select(col(Evidence.attempt_id))
        .where(
            col(Evidence.attempt_id).is_not(None),
            col(Evidence.kind) == EvidenceKind.screenshot,
            col(Evidence.withdrawn_at).is_(None),
            col(Evidence.review_status) == ReviewStatus.accepted,
        )
        .distinct()
    )
    attempts: dict[uuid.UUID, list[AttemptFact]] = defaultdict(list)
    rows = session.execute(
        sa_select(
            col(BookingAttempt.case_id),
            col(BookingAttempt.attempted_at),
            col(BookingAttempt.outcome),
            col(BookingAttempt.id).in_(screenshot),
        ).where(
            col(BookingAttempt.case_id).in_(ids),
            # What a client sent through a link counts once the firm accepted it.
            col(BookingAttempt.review_status) == ReviewStatus.accepted,
        )
    )
    for case_id, at, outcome, has_screenshot in rows:
        attempts[case_id].append(AttemptFact(at, outcome, bool(has_screenshot)))

    contacts: dict[uuid.UUID, list[ContactFacts]] = defaultdict(list)
    refused: set[uuid.UUID] = set()
    for c in session.exec(select(PrefectureContact).where(col(PrefectureContact.case_id).in_(ids))):
        contacts[c.case_id].append(contact_facts(c))
        if c.response_outcome == ResponseOutcome.refusal:
            refused.add(c.case_id)

    # How each accepted screenshot of an accepted attempt reads (only readings that are done).
    captures: dict[uuid.UUID, list[CaptureFact]] = defaultdict(list)
    read = session.execute(
        sa_select(col(Reading.case_id), col(Reading.verdict), col(BookingAttempt.attempted_at))
        .join(Evidence, col(Evidence.id) == col(Reading.evidence_id))
        .join(BookingAttempt, col(BookingAttempt.id) == col(Evidence.attempt_id))
        .where(
            col(Reading.case_id).in_(ids),
            col(Reading.status) == ReadingStatus.done,
            col(Evidence.withdrawn_at).is_(None),
            col(Evidence.review_status) == ReviewStatus.accepted,
            col(BookingAttempt.review_status) == ReviewStatus.accepted,
        )
    )
    for case_id, verdict, at in read:
        captures[case_id].append(CaptureFact(at, str(verdict)))

    urgency: dict[uuid.UUID, list[date]] = defaultdict(list)
    for f in session.exec(select(UrgencyFact).where(col(UrgencyFact.case_id).in_(ids))):
        urgency[f.case_id].append(f.fact_date)

    result = {}
    for case in cases:
        client = clients[case.client_id]
        facts = ReadinessFacts(
            stage=case.stage,
            is_renewal=case.is_renewal,
            procedure_channel=channels.get(case.procedure_code, ""),
            booking_channel=case.booking_channel,
            has_oqtf=client.has_oqtf,
            oqtf_executed=client.oqtf_executed,
            attempts=tuple(attempts[case.id]),
            contacts=tuple(contacts[case.id]),
            refusal_received=case.id in refused,
            urgency_dates=tuple(urgency[case.id]),
            captures=tuple(sorted(captures[case.id])),
            zone=prefectures[case.department_code][1],
            holiday_region=prefectures[case.department_code][2],
        )
        result[case.id] = (facts, prefectures[case.department_code][0])
    return result
