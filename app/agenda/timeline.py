"""Every dated fact of a case in one chronological list: the skeleton of « faits et procédure »."""

from datetime import date, datetime

from sqlmodel import Session, select

from app import clock, french
from app.agenda.schemas import TimelineItem
from app.attempts import service as attempt_service
from app.attempts.labels import OUTCOMES
from app.cases.models import Case, StageChange, UrgencyFact
from app.cases.stages import Stage
from app.contacts import service as contact_service
from app.contacts.models import ContactChannel, PrefectureContact
from app.evidence import service as evidence_service
from app.evidence.exhibits import LABELS
from app.proceedings import service as proceeding_service
from app.proceedings.models import DecisionOutcome, Proceeding

CHANNELS = {
    ContactChannel.email: "Courriel adressé à la préfecture",
    ContactChannel.registered_letter: (
        "Courrier recommandé avec accusé de réception adressé à la préfecture"
    ),
    ContactChannel.visit: "Déplacement au guichet de la préfecture",
    ContactChannel.phone: "Appel téléphonique à la préfecture",
    ContactChannel.online_form: "Demande par formulaire en ligne",
    ContactChannel.defenseur_des_droits: "Saisine du Défenseur des droits",
}
STAGES = {
    Stage.attempts: "tentatives de prise de rendez-vous",
    Stage.prefecture_contact: "démarches auprès de la préfecture",
    Stage.interim_relief: "référé",
    Stage.appointment_obtained: "rendez-vous obtenu",
    Stage.closed: "dossier clos",
}
DECISIONS = {
    DecisionOutcome.injunction: "injonction au préfet",
    DecisionOutcome.rejection: "rejet",
    DecisionOutcome.non_lieu: "non-lieu",
    DecisionOutcome.rejection_without_hearing: "rejet sans audience (art. L. 522-3 CJA)",
}


def _timed(at: datetime, kind: str, label: str, source: tuple[str, object]) -> TimelineItem:
    return TimelineItem(
        day=french.paris(at).date(), occurred_at=at, kind=kind, label=label,
        source_type=source[0], source_id=str(source[1]),
    )  # fmt: skip


def _dated(day: date, kind: str, label: str, source: tuple[str, object]) -> TimelineItem:
    return TimelineItem(
        day=day, occurred_at=None, kind=kind, label=label,
        source_type=source[0], source_id=str(source[1]),
    )  # fmt: skip


def _contact_items(c: PrefectureContact) -> list[TimelineItem]:
    source = ("contact", c.id)
    number = f" n° {c.registered_letter_number}" if c.registered_letter_number else ""
    items = [
        _dated(
            c.sent_date,
            "contact_sent",
            f"{CHANNELS[c.channel]}{number} le {french.format_date(c.sent_date)}.",
            source,
        )
    ]
    if c.delivered_date:
        delivered = french.format_date(c.delivered_date)
        label = f"Courrier reçu par la préfecture le {delivered} (accusé de réception)."
        items.append(_dated(c.delivered_date, "contact_delivered", label, source))
    if c.response_date:
        label = f"Réponse de la préfecture le {french.format_date(c.response_date)}."
        items.append(_dated(c.response_date, "contact_answered", label, source))
    return items


def _proceeding_items(p: Proceeding) -> list[TimelineItem]:
    source = ("proceeding", p.id)
    items = []
    if p.filed_date:
        label = f"Requête en référé déposée le {french.format_date(p.filed_date)}."
        items.append(_dated(p.filed_date, "proceeding_filed", label, source))
    if p.hearing_at:
        items.append(
            _timed(
                p.hearing_at, "hearing", f"Audience {french.format_datetime(p.hearing_at)}.", source
            )
        )
    if p.decision_date and p.outcome:
        decided = french.format_date(p.decision_date)
        label = f"Ordonnance du {decided}{french.COLON} {DECISIONS[p.outcome]}."
        items.append(_dated(p.decision_date, "decision", label, source))
    if p.notification_date:
        label = f"Ordonnance notifiée le {french.format_date(p.notification_date)}."
        items.append(_dated(p.notification_date, "notification", label, source))
    if p.appointment_at:
        place = f", {p.appointment_place}" if p.appointment_place else ""
        label = f"Rendez-vous en préfecture {french.format_datetime(p.appointment_at)}{place}."
        items.append(_timed(p.appointment_at, "appointment", label, source))
    return items


def case_timeline(session: Session, *, case: Case) -> list[TimelineItem]:
    items = [
        _timed(
            case.opened_at,
            "case_opened",
            f"Ouverture du dossier {case.reference}.",
            ("case", case.id),
        )
    ]
    for a in attempt_service.all_attempts(session, case_id=case.id):
        message = f"{french.COLON} {french.quote(a.message)}" if a.message else ""
        when = french.format_datetime(a.attempted_at)
        label = f"Tentative de prise de rendez-vous {when}, {OUTCOMES[a.outcome]}{message}."
        items.append(_timed(a.attempted_at, "attempt", label, ("attempt", a.id)))
    for c in contact_service.list_contacts(session, case_id=case.id):
        items += _contact_items(c)
    for change in session.exec(select(StageChange).where(StageChange.case_id == case.id)):
        label = f"Passage du dossier à l'étape {french.quote(STAGES[change.to_stage])}."
        items.append(_timed(change.created_at, "stage_change", label, ("stage_change", change.id)))
    for p in proceeding_service.list_proceedings(session, case_id=case.id):
        items += _proceeding_items(p)
    for e in evidence_service.list_evidence(session, case_id=case.id):
        if e.withdrawn_at is not None:
            continue
        what = LABELS[e.kind][0].lower() + LABELS[e.kind][1:]
        made = f" ({french.format_datetime(e.captured_at)})" if e.captured_at else ""
        label = f"Pièce versée au dossier{french.COLON} {what}{made}."
        items.append(_timed(e.captured_at or e.received_at, "evidence", label, ("evidence", e.id)))
    for f in session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id)):
        items.append(
            _dated(
                f.fact_date,
                "urgency_fact",
                f"{f.description} ({french.format_date(f.fact_date)}).",
                ("urgency_fact", f.id),
            )
        )
    # Facts known only by their day come first on that day; then by the instant.
    return sorted(
        items,
        key=lambda i: (
            i.day,
            i.occurred_at is not None,
            i.occurred_at or datetime.min.replace(tzinfo=clock.PARIS),
        ),
    )
