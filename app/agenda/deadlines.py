"""Deadlines and next actions of a case, computed from its facts and the firm policy.

Pure: facts in (plain dataclasses), deadlines out. Every date is a Paris calendar
date, so a daylight-saving change never moves a deadline.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from app import french
from app.agenda.calendar import add_days, franc_deadline
from app.policy import FirmPolicy

CASSATION_DAYS = 15  # R. 523-1 CJA: pourvoi within 15 days of the order's notification
COLON = french.COLON


class DeadlineKind(StrEnum):
    response_due = "response_due"
    hearing = "hearing"
    compliance_due = "compliance_due"
    astreinte_accruing = "astreinte_accruing"
    latest_appointment = "latest_appointment"
    cassation_deadline = "cassation_deadline"
    appointment = "appointment"
    document_expiry = "document_expiry"
    urgency = "urgency"


DK = DeadlineKind


class ContactFacts(NamedTuple):
    id: uuid.UUID
    channel: str
    sent_date: date
    delivered_date: date | None
    response_date: date | None
    response_outcome: str = "none"

    @property
    def answered(self) -> bool:
        """An automatic acknowledgement (« réponse type ») is not an answer."""
        return self.response_date is not None and self.response_outcome != "standard_reply"


class ProceedingFacts(NamedTuple):
    id: uuid.UUID
    hearing_at: datetime | None
    outcome: str | None
    decision_date: date | None
    notification_date: date | None
    injunction_delay_days: int | None
    latest_appointment_date: date | None
    astreinte_per_day_cents: int | None
    appointment_at: datetime | None


class UrgencyFacts(NamedTuple):
    kind: str
    fact_date: date
    description: str


@dataclass(frozen=True)
class AttemptStats:
    count: int = 0
    distinct_weeks: int = 0
    last_attempt_date: date | None = None


class CaseFacts(NamedTuple):
    case_id: uuid.UUID
    reference: str
    stage: str
    attempts: AttemptStats = AttemptStats()
    contacts: tuple[ContactFacts, ...] = ()
    proceedings: tuple[ProceedingFacts, ...] = ()
    document_expiry_date: date | None = None
    urgency: tuple[UrgencyFacts, ...] = ()
    holiday_region: str = ""  # the territory's public holidays (app.agenda.calendar)


@dataclass(slots=True)
class Deadline:
    kind: DeadlineKind
    due_date: date
    case_id: uuid.UUID
    reference: str
    title: str
    source_type: str
    source_id: str
    at: datetime | None = None
    details: dict[str, int | str] = field(default_factory=dict)


AWAITS_ANSWER = {"email", "registered_letter", "online_form", "defenseur_des_droits"}


def response_due(contact: ContactFacts, policy: FirmPolicy, region: str = "") -> date | None:
    """When the préfecture's silence becomes telling; None if no answer is awaited."""
    if contact.answered or contact.channel not in AWAITS_ANSWER:
        return None
    if contact.channel == "registered_letter":
        if contact.delivered_date is None:
            return None  # the wait runs from the acknowledgement of receipt
        start = contact.delivered_date
    else:
        start = contact.sent_date
    return add_days(
        start, policy.response_wait_days, working_days=policy.waiting_in_working_days, region=region
    )


def compliance_due(p: ProceedingFacts, policy: FirmPolicy, region: str = "") -> date | None:
    if p.outcome != "injunction" or p.notification_date is None or not p.injunction_delay_days:
        return None
    return add_days(
        p.notification_date,
        p.injunction_delay_days,
        working_days=policy.compliance_in_working_days,
        region=region,
    )


def cassation_deadline(p: ProceedingFacts, region: str = "") -> date | None:
    if p.notification_date is None or p.outcome is None:
        return None
    return franc_deadline(p.notification_date, CASSATION_DAYS, region)


def accrued_astreinte_cents(
    p: ProceedingFacts, policy: FirmPolicy, today: date, region: str = ""
) -> int:
    """Astreinte accrued by ``today``: each full day after the compliance deadline
    without an appointment. The judge may still decline to liquidate it."""
    due = compliance_due(p, policy, region)
    if due is None or not p.astreinte_per_day_cents or p.appointment_at is not None:
        return 0
    return max(0, (today - due).days) * p.astreinte_per_day_cents


def case_deadlines(
    facts: CaseFacts,
    policy: FirmPolicy,
    today: date,
    *,
    start: date = date.min,
    end: date = date.max,
) -> list[Deadline]:
    """The case's dated deadlines falling between ``start`` and ``end``, in date order."""
    found: list[Deadline] = []
    prefix = f"{facts.reference}{COLON} "

    def add(
        kind: DeadlineKind,
        due: date,
        what: str,
        source: tuple[str, object],
        at: datetime | None = None,
        details: dict[str, int | str] | None = None,
    ) -> None:
        if start <= due <= end:
            found.append(
                Deadline(
                    kind, due, facts.case_id, facts.reference, prefix + what, source[0],
                    str(source[1]), at=at, details=details or {},
                )
            )  # fmt: skip

    for contact in facts.contacts:
        if (due := response_due(contact, policy, facts.holiday_region)) is not None:
            add(
                DK.response_due,
                due,
                "fin du délai de réponse de la préfecture",
                ("contact", contact.id),
            )
    for p in facts.proceedings:
        source = ("proceeding", p.id)
        if p.hearing_at is not None and p.decision_date is None:
            add(
                DK.hearing,
                french.paris(p.hearing_at).date(),
                "audience de référé",
                source,
                p.hearing_at,
            )
        if (
            due := compliance_due(p, policy, facts.holiday_region)
        ) is not None and p.appointment_at is None:
            add(
                DK.compliance_due,
                due,
                "fin du délai laissé au préfet pour fixer un rendez-vous",
                source,
            )
            if accrued := accrued_astreinte_cents(p, policy, today, facts.holiday_region):
                what = f"astreinte courue {french.format_euros(accrued)}"
                add(DK.astreinte_accruing, today, what, source, details={"accrued_cents": accrued})
        if p.latest_appointment_date is not None and p.appointment_at is None:
            add(
                DK.latest_appointment,
                p.latest_appointment_date,
                "date limite du rendez-vous ordonné",
                source,
            )
        if (due := cassation_deadline(p, facts.holiday_region)) is not None:
            add(DK.cassation_deadline, due, "dernier jour pour un pourvoi en cassation", source)
        if p.appointment_at is not None:
            local_day = french.paris(p.appointment_at).date()
            add(DK.appointment, local_day, "rendez-vous en préfecture", source, p.appointment_at)
    if facts.document_expiry_date is not None:
        what = "expiration du document de séjour"
        add(DK.document_expiry, facts.document_expiry_date, what, ("case", facts.case_id))
    for n, fact in enumerate(facts.urgency):
        add(DK.urgency, fact.fact_date, fact.description, ("case", f"{facts.case_id}#urgency-{n}"))
    return sorted(found, key=lambda d: (d.due_date, d.kind, d.source_id))


@dataclass(frozen=True)
class NextAction:
    code: str
    title: str
    due_date: date | None = None


OPEN_STAGES = {"attempts", "prefecture_contact", "interim_relief"}
WATCHED = {DK.hearing, DK.compliance_due, DK.cassation_deadline, DK.latest_appointment}


def _attempt_actions(facts: CaseFacts, policy: FirmPolicy, today: date) -> list[NextAction]:
    stats = facts.attempts
    actions: list[NextAction] = []
    missing = []
    if (weeks := policy.min_attempt_weeks - stats.distinct_weeks) > 0:
        missing.append(f"encore {french.plural(weeks, 'semaine')}")
    if (count := policy.min_attempts - stats.count) > 0:
        missing.append(f"au moins {french.plural(count, 'tentative')} de plus")
    if missing:
        title = f"Poursuivre les tentatives de prise de rendez-vous{COLON} {' et '.join(missing)}."
        actions.append(NextAction("keep_trying", title))
    last = stats.last_attempt_date
    if last is not None and (today - last).days > policy.attempts_stale_after_days:
        title = f"Reprendre les tentatives{COLON} la dernière date du {french.format_date(last)}."
        actions.append(NextAction("resume_attempts", title))
    return actions


def _contact_actions(facts: CaseFacts, policy: FirmPolicy, today: date) -> list[NextAction]:
    actions: list[NextAction] = []
    letters = [c for c in facts.contacts if c.channel == "registered_letter"]
    if not letters and facts.stage != "interim_relief":
        title = "Envoyer un courrier recommandé avec accusé de réception à la préfecture."
        actions.append(NextAction("send_registered_letter", title))
    for letter in letters:
        if letter.delivered_date is None and not letter.answered:
            sent = french.format_date(letter.sent_date)
            title = f"Enregistrer l'accusé de réception du courrier envoyé le {sent}."
            actions.append(NextAction("record_acknowledgement", title))
    for contact in facts.contacts:
        due = response_due(contact, policy, facts.holiday_region)
        if due is None:
            continue
        if due >= today:
            title = f"Attendre la réponse de la préfecture jusqu'au {french.format_date(due)}."
            actions.append(NextAction("await_response", title, due))
        elif facts.stage != "interim_relief":
            title = (
                f"Délai de réponse expiré le {french.format_date(due)}{COLON} envisager le référé."
            )
            actions.append(NextAction("consider_interim_relief", title, due))
    return actions


def next_actions(facts: CaseFacts, policy: FirmPolicy, today: date) -> list[NextAction]:
    """What the firm should do now on this file, dated ones first by date."""
    if facts.stage not in OPEN_STAGES:
        return []
    actions: list[NextAction] = []
    if facts.stage in {"attempts", "prefecture_contact"}:
        actions += _attempt_actions(facts, policy, today)
    actions += _contact_actions(facts, policy, today)
    actions += [
        NextAction(d.kind.value, d.title, d.due_date)
        for d in case_deadlines(facts, policy, today)
        if d.kind in WATCHED and d.due_date >= today
    ]
    expiry = facts.document_expiry_date
    if expiry is not None and (expiry - today).days <= policy.expiry_warning_days:
        title = f"Le document de séjour expire le {french.format_date(expiry)}."
        actions.append(NextAction("document_expiring", title, expiry))
    return sorted(actions, key=lambda a: a.due_date or date.max)


def attempt_stats(attempt_dates: Iterable[date]) -> AttemptStats:
    """Counts over the attempts' Paris calendar dates."""
    days = list(attempt_dates)
    weeks = {d.isocalendar()[:2] for d in days}
    return AttemptStats(len(days), len(weeks), max(days, default=None))
