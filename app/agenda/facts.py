"""Reading a case's facts from the database into the pure deadline inputs."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select, or_
from sqlmodel import Session, col, select

from app import clock
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
from app.attempts.review import counts
from app.cases.models import Case, UrgencyFact
from app.cases.stages import Stage
from app.clients.models import Client
from app.contacts.models import PrefectureContact
from app.policy import FirmPolicy
from app.prefectures.models import Prefecture
from app.proceedings.models import Proceeding


def contact_facts(c: PrefectureContact) -> ContactFacts:
    return ContactFacts(
        c.id, c.channel, c.sent_date, c.delivered_date, c.response_date, c.response_outcome
    )


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


def case_facts(session: Session, *, case: Case) -> CaseFacts:
    """Everything the deadlines of one case depend on."""
    instants = session.exec(
        select(BookingAttempt.attempted_at).where(
            BookingAttempt.case_id == case.id,
            counts(col(BookingAttempt.review_status)),
        )
    ).all()
    contacts = session.exec(select(PrefectureContact).where(PrefectureContact.case_id == case.id))
    proceedings = session.exec(select(Proceeding).where(Proceeding.case_id == case.id))
    urgency = session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id))
    client = session.get(Client, case.client_id)
    prefecture = session.get(Prefecture, case.department_code)
    assert prefecture is not None  # foreign key
    return CaseFacts(
        case_id=case.id,
        reference=case.reference,
        stage=case.stage,
        attempts=attempt_stats(at.astimezone(prefecture.zone).date() for at in instants),
        contacts=tuple(contact_facts(c) for c in contacts),
        proceedings=tuple(_proceeding(p) for p in proceedings),
        document_expiry_date=client.residence_document_expiry_date if client else None,
        urgency=tuple(_urgency(f) for f in urgency),
        holiday_region=prefecture.holiday_region,
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
    source into it), so the cost follows the number of deadlines, not of cases; and
    each reads plain columns, not ORM objects, since there can be thousands of rows.
    """

    def scoped(*columns: Any) -> Select[Any]:
        query: Select[Any] = sa.select(
            col(Case.id), col(Case.reference), col(Case.stage), col(Case.department_code), *columns
        ).where(col(Case.stage) != Stage.closed)
        if lawyer_id is not None:
            query = query.where(col(Case.assigned_lawyer_id) == lawyer_id)
        if paralegal_id is not None:
            query = query.where(col(Case.assigned_paralegal_id) == paralegal_id)
        return query

    partials: dict[uuid.UUID, _Partial] = {}
    connection = session.connection()  # Core rows: no ORM loading machinery per row

    def partial(row: Any) -> _Partial:
        if row[0] not in partials:
            partials[row[0]] = _Partial(reference=row[1], stage=row[2], department=row[3])
        return partials[row[0]]

    # A letter's answer falls due ``wait`` after its acknowledgement, an e-mail's after
    # sending; counted in working days, the span is longer (at most twice as long).
    wait = timedelta(days=policy.response_wait_days)
    since = start - wait * (2 if policy.waiting_in_working_days else 1)
    until = end - wait
    C = PrefectureContact
    contacts = scoped(
        C.id, C.channel, C.sent_date, C.delivered_date, C.response_date, C.response_outcome
    ).join(C, col(C.case_id) == col(Case.id))
    contacts = contacts.where(
        or_(col(C.response_date).is_(None), col(C.response_outcome) == "standard_reply"),
        col(C.channel).in_(sorted(AWAITS_ANSWER)),
        or_(
            col(C.delivered_date).between(since, until),
            (col(C.channel) != "registered_letter") & col(C.sent_date).between(since, until),
        ),
    )
    for row in connection.execute(contacts):
        partial(row).contacts.append(ContactFacts(*row[4:]))

    instants = (
        datetime.combine(start, time.min, clock.PARIS),
        datetime.combine(end + timedelta(days=1), time.min, clock.PARIS),
    )
    P = Proceeding
    proceedings = scoped(
        P.id, P.hearing_at, P.outcome, P.decision_date, P.notification_date,
        P.injunction_delay_days, P.latest_appointment_date, P.astreinte_per_day_cents,
        P.appointment_at,
    ).join(P, col(P.case_id) == col(Case.id))  # fmt: skip
    # The cassation window closes within a month of notification; an injunction's
    # compliance deadline (and its astreinte) matters until the appointment is given.
    cassation_since = start - timedelta(days=CASSATION_DAYS + 15)
    pending = (col(P.outcome) == "injunction") & col(P.appointment_at).is_(None)
    proceedings = proceedings.where(
        or_(
            col(P.notification_date).between(cassation_since, end),
            pending & col(P.notification_date).is_not(None),
            col(P.latest_appointment_date).between(start, end),
            col(P.hearing_at).between(*instants),
            col(P.appointment_at).between(*instants),
        )
    )
    for row in connection.execute(proceedings):
        partial(row).proceedings.append(ProceedingFacts(*row[4:]))

    expiry = col(Client.residence_document_expiry_date)
    expiring = scoped(expiry).join(Client, col(Client.id) == col(Case.client_id))
    for row in connection.execute(expiring.where(expiry.between(start, end))):
        partial(row).expiry = row[4]

    U = UrgencyFact
    urgency = scoped(U.kind, U.fact_date, U.description).join(U, col(U.case_id) == col(Case.id))
    for row in connection.execute(urgency.where(col(U.fact_date).between(start, end))):
        partial(row).urgency.append(UrgencyFacts(*row[4:]))

    query = sa.select(col(Prefecture.department_code), col(Prefecture.holiday_region))
    regions: dict[str, str] = {row[0]: row[1] for row in connection.execute(query)}
    return [
        CaseFacts(
            case_id=case_id,
            reference=p.reference,
            stage=p.stage,
            contacts=tuple(p.contacts),
            proceedings=tuple(p.proceedings),
            document_expiry_date=p.expiry,
            urgency=tuple(p.urgency),
            holiday_region=regions.get(p.department, ""),
        )
        for case_id, p in partials.items()
    ]


@dataclass
class _Partial:
    reference: str
    stage: str
    department: str
    contacts: list[ContactFacts] = field(default_factory=list)
    proceedings: list[ProceedingFacts] = field(default_factory=list)
    expiry: date | None = None
    urgency: list[UrgencyFacts] = field(default_factory=list)
