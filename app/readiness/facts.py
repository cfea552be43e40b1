"""Reading what readiness depends on, for one case or a batch of them (a few queries).

Readiness is read on every case screen: the statements are built once, from table columns
(no ORM entity is loaded), and take the case ids as an expanding parameter.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import BindParameter, Table, bindparam, select
from sqlmodel import Session

from app.agenda.deadlines import ContactFacts
from app.attempts.models import BookingAttempt
from app.attempts.review import counts
from app.cases import reads
from app.cases.models import Case
from app.contacts.models import PrefectureContact, ResponseOutcome
from app.evidence.models import Evidence, EvidenceKind
from app.evidence.reading.models import Reading, ReadingStatus
from app.prefectures.models import Procedure
from app.readiness.terms import AttemptFact, CaptureFact, ReadinessFacts

_cases, _clients, _prefectures = reads.cases, reads.clients, reads.prefectures
_procedures: Table = Procedure.__table__  # type: ignore[attr-defined]
_attempts: Table = BookingAttempt.__table__  # type: ignore[attr-defined]
_evidence: Table = Evidence.__table__  # type: ignore[attr-defined]
_contacts: Table = PrefectureContact.__table__  # type: ignore[attr-defined]
_readings: Table = Reading.__table__  # type: ignore[attr-defined]
_urgency = reads.facts
_IDS: BindParameter[list[uuid.UUID]] = bindparam("ids", expanding=True)

# The client's OQTF, the procedure's channel and the préfecture's tribunal and calendar.
_SETTING = (
    select(
        _cases.c.id,
        _clients.c.has_oqtf,
        _clients.c.oqtf_executed,
        _procedures.c.channel,
        _prefectures.c.tribunal_code,
        _prefectures.c.time_zone,
        _prefectures.c.holiday_region,
    )
    .join(_clients, _clients.c.id == _cases.c.client_id)
    .join(_prefectures, _prefectures.c.department_code == _cases.c.department_code)
    .outerjoin(_procedures, _procedures.c.code == _cases.c.procedure_code)
    .where(_cases.c.id.in_(_IDS))
)
_WITH_SCREENSHOT = (
    select(_evidence.c.attempt_id)
    .where(
        _evidence.c.attempt_id.is_not(None),
        _evidence.c.kind == EvidenceKind.screenshot,
        _evidence.c.withdrawn_at.is_(None),
        counts(_evidence.c.review_status),
    )
    .distinct()
)
_ATTEMPTS = select(
    _attempts.c.case_id,
    _attempts.c.attempted_at,
    _attempts.c.outcome,
    _attempts.c.id.in_(_WITH_SCREENSHOT),
).where(
    _attempts.c.case_id.in_(_IDS),
    # What a client sent through a link counts once the firm accepted it.
    counts(_attempts.c.review_status),
)
_CONTACTS = select(
    _contacts.c.case_id,
    _contacts.c.id,
    _contacts.c.channel,
    _contacts.c.sent_date,
    _contacts.c.delivered_date,
    _contacts.c.response_date,
    _contacts.c.response_outcome,
).where(_contacts.c.case_id.in_(_IDS))
# How each accepted screenshot of an accepted attempt reads: its final verdict (a person's
# check, else OCR's), for readings that are done or checked.
_CAPTURES = (
    select(
        _readings.c.case_id,
        _readings.c.final_verdict,
        _attempts.c.attempted_at,
        sa.func.coalesce(
            _readings.c.checked_difference_minutes, _readings.c.time_difference_minutes
        ),
        _readings.c.checked_verdict.is_not(None),
    )
    .join(_evidence, _evidence.c.id == _readings.c.evidence_id)
    .join(_attempts, _attempts.c.id == _evidence.c.attempt_id)
    .where(
        _readings.c.case_id.in_(_IDS),
        _readings.c.final_verdict.is_not(None),
        (_readings.c.status == ReadingStatus.done) | _readings.c.checked_verdict.is_not(None),
        _evidence.c.withdrawn_at.is_(None),
        counts(_evidence.c.review_status),
        counts(_attempts.c.review_status),
    )
)
_URGENCY = select(_urgency.c.case_id, _urgency.c.fact_date).where(_urgency.c.case_id.in_(_IDS))


def load(session: Session, *, cases: Sequence[Case]) -> dict[uuid.UUID, tuple[ReadinessFacts, str]]:
    """Each case's facts and the code of its competent tribunal."""
    if not cases:
        return {}
    # Core statements do not flush: a write earlier in the transaction must count.
    session.flush()
    ids = {"ids": [c.id for c in cases]}
    setting = {row.id: row for row in session.execute(_SETTING, ids)}

    attempts: dict[uuid.UUID, list[AttemptFact]] = defaultdict(list)
    for case_id, at, outcome, has_screenshot in session.execute(_ATTEMPTS, ids):
        attempts[case_id].append(AttemptFact(at, outcome, bool(has_screenshot)))

    contacts: dict[uuid.UUID, list[ContactFacts]] = defaultdict(list)
    refused: set[uuid.UUID] = set()
    for case_id, *contact in session.execute(_CONTACTS, ids):
        fact = ContactFacts(*contact)
        contacts[case_id].append(fact)
        if fact.response_outcome == ResponseOutcome.refusal:
            refused.add(case_id)

    captures: dict[uuid.UUID, list[CaptureFact]] = defaultdict(list)
    for case_id, verdict, at, difference, checked in session.execute(_CAPTURES, ids):
        captures[case_id].append(CaptureFact(at, str(verdict), difference, bool(checked)))

    urgency: dict[uuid.UUID, list[date]] = defaultdict(list)
    for case_id, fact_date in session.execute(_URGENCY, ids):
        urgency[case_id].append(fact_date)

    result = {}
    for case in cases:
        row = setting[case.id]
        facts = ReadinessFacts(
            stage=case.stage,
            is_renewal=case.is_renewal,
            procedure_channel=row.channel or "",
            booking_channel=case.booking_channel,
            has_oqtf=row.has_oqtf,
            oqtf_executed=row.oqtf_executed,
            attempts=tuple(attempts[case.id]),
            contacts=tuple(contacts[case.id]),
            refusal_received=case.id in refused,
            urgency_dates=tuple(urgency[case.id]),
            captures=tuple(sorted(captures[case.id])),
            zone=ZoneInfo(row.time_zone),
            holiday_region=row.holiday_region,
        )
        result[case.id] = (facts, row.tribunal_code)
    return result
