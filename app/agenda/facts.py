"""Reading a case's facts from the database into the pure deadline inputs."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app import french
from app.agenda.deadlines import (
    AWAITS_ANSWER,
    CASSATION_DAYS,
    CaseFacts,
    ContactFacts,
    ProceedingFacts,
    UrgencyFacts,
    attempt_stats,
)
from app.attempts.models import BookingAttempt
from app.cases.models import Case, UrgencyFact
from app.cases.stages import Stage
from app.clients.models import Client
from app.contacts.models import PrefectureContact
from app.policy import FirmPolicy
from app.proceedings.models import Proceeding


def _contact(c: PrefectureContact) -> ContactFacts:
    return ContactFacts(c.id, c.channel, c.sent_date, c.delivered_date, c.response_date)


def _proceeding(p: Proceeding) -> ProceedingFacts:
    return ProceedingFacts(
        id=p.id,
        hearing_at=p.hearing_at,
        outcome=p.outcome,
        decision_date=p.decision_date,
        notification_date=p.notification_date,
        injunction_delay_days=p.injunction_delay_days,
        latest_appointment_date=p.latest_appointment_date,
        astreinte_per_day_cents=p.astreinte_per_day_cents,
        appointment_at=p.appointment_at,
    )


def _urgency(f: UrgencyFact) -> UrgencyFacts:
    return UrgencyFacts(f.kind, f.fact_date, f.description)


def case_facts(session: Session, case: Case) -> CaseFacts:
    """Everything the deadlines of one case depend on."""
    instants = session.exec(
        select(BookingAttempt.attempted_at).where(BookingAttempt.case_id == case.id)
    ).all()
    contacts = session.exec(select(PrefectureContact).where(PrefectureContact.case_id == case.id))
    proceedings = session.exec(select(Proceeding).where(Proceeding.case_id == case.id))
    urgency = session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id))
    client = session.get(Client, case.client_id)
    return CaseFacts(
        case_id=case.id,
        reference=case.reference,
        stage=case.stage,
        attempts=attempt_stats(french.paris(at).date() for at in instants),
        contacts=tuple(_contact(c) for c in contacts),
        proceedings=tuple(_proceeding(p) for p in proceedings),
        document_expiry_date=client.residence_document_expiry_date if client else None,
        urgency=tuple(_urgency(f) for f in urgency),
    )


def facts_in_window(
    session: Session,
    *,
    start: date,
    end: date,
    policy: FirmPolicy,
    lawyer_id: uuid.UUID | None = None,
    paralegal_id: uuid.UUID | None = None,
) -> list[CaseFacts]:
    """Partial facts of the open cases: only the sources that can fall due in the window.

    Each query is bounded by the window (widened by the longest delay that can push a
    source into it), so the cost follows the number of deadlines, not of cases.
    """
    cases = select(Case.id).where(col(Case.stage) != Stage.closed)
    if lawyer_id is not None:
        cases = cases.where(Case.assigned_lawyer_id == lawyer_id)
    if paralegal_id is not None:
        cases = cases.where(Case.assigned_paralegal_id == paralegal_id)
    wait = policy.response_wait_days * (2 if policy.waiting_in_working_days else 1) + 10
    contacts = session.exec(
        select(PrefectureContact).where(
            col(PrefectureContact.case_id).in_(cases),
            col(PrefectureContact.response_date).is_(None),
            col(PrefectureContact.channel).in_(sorted(AWAITS_ANSWER)),
            or_(
                col(PrefectureContact.delivered_date).between(start - timedelta(days=wait), end),
                col(PrefectureContact.sent_date).between(start - timedelta(days=wait), end),
            ),
        )
    ).all()
    reach = timedelta(days=max(CASSATION_DAYS + 20, 400))  # injunction delays run up to a year
    instants = (
        datetime.combine(start, time.min, french.PARIS),
        datetime.combine(end + timedelta(days=1), time.min, french.PARIS),
    )
    proceedings = session.exec(
        select(Proceeding).where(
            col(Proceeding.case_id).in_(cases),
            or_(
                col(Proceeding.notification_date).between(start - reach, end),
                col(Proceeding.latest_appointment_date).between(start, end),
                col(Proceeding.hearing_at).between(*instants),
                col(Proceeding.appointment_at).between(*instants),
            ),
        )
    ).all()
    expiring = session.exec(
        select(Case.id, col(Client.residence_document_expiry_date))
        .join(Client, col(Client.id) == col(Case.client_id))
        .where(
            col(Case.id).in_(cases),
            col(Client.residence_document_expiry_date).between(start, end),
        )
    ).all()
    urgency = session.exec(
        select(UrgencyFact).where(
            col(UrgencyFact.case_id).in_(cases), col(UrgencyFact.fact_date).between(start, end)
        )
    ).all()
    return _assemble(session, contacts, proceedings, expiring, urgency)


@dataclass
class _Partial:
    contacts: list[ContactFacts] = field(default_factory=list)
    proceedings: list[ProceedingFacts] = field(default_factory=list)
    expiry: date | None = None
    urgency: list[UrgencyFacts] = field(default_factory=list)


def _assemble(
    session: Session,
    contacts: Sequence[PrefectureContact],
    proceedings: Sequence[Proceeding],
    expiring: Sequence[tuple[uuid.UUID, date | None]],
    urgency: Sequence[UrgencyFact],
) -> list[CaseFacts]:
    by_case: dict[uuid.UUID, _Partial] = defaultdict(_Partial)
    for c in contacts:
        by_case[c.case_id].contacts.append(_contact(c))
    for p in proceedings:
        by_case[p.case_id].proceedings.append(_proceeding(p))
    for case_id, expiry in expiring:
        by_case[case_id].expiry = expiry
    for f in urgency:
        by_case[f.case_id].urgency.append(_urgency(f))
    if not by_case:
        return []
    heads = session.exec(
        select(Case.id, Case.reference, Case.stage).where(col(Case.id).in_(list(by_case)))
    ).all()
    return [
        CaseFacts(
            case_id=case_id,
            reference=reference,
            stage=stage,
            contacts=tuple(by_case[case_id].contacts),
            proceedings=tuple(by_case[case_id].proceedings),
            document_expiry_date=by_case[case_id].expiry,
            urgency=tuple(by_case[case_id].urgency),
        )
        for case_id, reference, stage in heads
    ]
