"""Reading a case into the context builder's plain inputs."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.attempts.models import BookingAttempt
from app.attempts.review import counts
from app.auth.models import User
from app.cases.models import Case, UrgencyFact
from app.clients.models import Client
from app.clock import today
from app.contacts.models import PrefectureContact
from app.documents.context.types import (
    AttemptData,
    ClientData,
    ContactData,
    ExhibitData,
    LawyerData,
    Snapshot,
    UrgencyData,
)
from app.evidence import exhibits as exhibit_rules
from app.evidence import plans
from app.evidence.models import Evidence
from app.firm import service as firm_service
from app.prefectures.models import Prefecture, Procedure, Tribunal


def _lawyer(session: Session, *, case: Case, lawyers: list[dict[str, str]]) -> LawyerData | None:
    """The firm's entry for the case's lawyer (by name), else the firm's first lawyer."""
    if not lawyers:
        return None
    chosen = lawyers[0]
    user = session.get(User, case.assigned_lawyer_id) if case.assigned_lawyer_id else None
    if user is not None:
        chosen = next(
            (lw for lw in lawyers if lw["name"].lower() == user.full_name.lower()), chosen
        )
    return LawyerData(
        name=chosen["name"], bar=chosen["bar"], toque=chosen.get("toque", ""),
        email=chosen.get("email"), phone=chosen.get("phone", ""),
        civility=chosen.get("civility", "madame"),
    )  # fmt: skip


def _typed_recipient(contacts: Sequence[PrefectureContact], channel: str) -> str:
    """The recipient typed on the latest request sent this way (an e-mail needs an « @ »)."""
    for c in sorted(contacts, key=lambda c: c.sent_date, reverse=True):
        usable = channel != "email" or "@" in c.recipient
        if c.channel == channel and c.recipient.strip() and usable:
            return c.recipient.strip()
    return ""


def exhibit_numbers(built: list[exhibit_rules.Exhibit]) -> dict[str, int]:
    """Evidence id → the number of the exhibit that holds it."""
    return {str(evidence_id): e.number for e in built for evidence_id in e.evidence_ids}


def snapshot(session: Session, *, case: Case) -> tuple[Snapshot, list[exhibit_rules.Exhibit]]:
    client = session.get(Client, case.client_id)
    prefecture = session.get(Prefecture, case.department_code)
    procedure = session.get(Procedure, case.procedure_code)
    # Foreign keys guarantee these rows exist.
    assert client is not None
    assert prefecture is not None
    assert procedure is not None
    zone = prefecture.zone
    tribunal = session.get(Tribunal, prefecture.tribunal_code)
    assert tribunal is not None
    firm = firm_service.get_profile(session)
    _, built = plans.case_exhibits(session, case=case)
    numbers = exhibit_numbers(built)
    by_attempt, by_contact = _pieces_of(session, case=case, numbers=numbers)
    attempts = session.exec(
        select(BookingAttempt)
        .where(
            BookingAttempt.case_id == case.id,
            counts(col(BookingAttempt.review_status)),
        )
        .order_by(col(BookingAttempt.attempted_at))
    ).all()
    contacts = session.exec(
        select(PrefectureContact).where(PrefectureContact.case_id == case.id)
    ).all()
    urgency = session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id)).all()
    data = Snapshot(
        reference=case.reference,
        client=_client_data(client),
        defendant=prefecture.defendant,
        salutation=prefecture.salutation,
        department_of=prefecture.department_of,
        department_name=prefecture.department_name,
        prefecture_city=prefecture.chef_lieu,
        # The firm's reference data first, else what the paralegal typed on a past request.
        prefecture_address=prefecture.foreigners_service_address
        or _typed_recipient(contacts, "registered_letter"),
        prefecture_email=prefecture.foreigners_service_email or _typed_recipient(contacts, "email"),
        tribunal_name=tribunal.name,
        tribunal_address=tribunal.address,
        tribunal_code=tribunal.code,
        procedure_label=procedure.label,
        procedure_basis=procedure.ceseda_basis,
        is_renewal=case.is_renewal or procedure.is_renewal,
        booking_channel=case.booking_channel,
        booking_url=case.booking_url,
        firm_name=firm.name,
        firm_address=firm.address,
        firm_city=firm.city,
        firm_phone=firm.phone,
        firm_email=firm.email,
        firm_letterhead=firm.letterhead,
        lawyer=_lawyer(session, case=case, lawyers=firm.lawyers),
        today=today(zone),
        zone=zone,
        attempts=tuple(_attempt_data(a, by_attempt) for a in attempts),
        contacts=tuple(
            _contact_data(c, by_contact) for c in sorted(contacts, key=lambda c: c.sent_date)
        ),
        urgency=tuple(_urgency_data(u, numbers) for u in urgency),
        exhibits=tuple(ExhibitData(e.number, e.label, e.file_name, e.kind) for e in built),
        request_phrase=procedure.request_phrase,
        aes_motif=case.aes_motif,
        file_complete=case.file_complete,
        service_name=prefecture.foreigners_service_name,
        has_oqtf=client.has_oqtf,
        oqtf_executed=client.oqtf_executed,
    )
    return data, built


def _pieces_of(
    session: Session, *, case: Case, numbers: dict[str, int]
) -> tuple[dict[str, int | None], dict[str, list[int]]]:
    """The exhibit number of each attempt's capture, and those of each contact's proofs."""
    evidence = session.exec(
        select(Evidence).where(
            Evidence.case_id == case.id,
            col(Evidence.withdrawn_at).is_(None),
            counts(col(Evidence.review_status)),
        )
    ).all()
    by_attempt = {str(e.attempt_id): numbers.get(str(e.id)) for e in evidence if e.attempt_id}
    by_contact: dict[str, list[int]] = {}
    for e in evidence:
        if e.contact_id and (n := numbers.get(str(e.id))):
            by_contact.setdefault(str(e.contact_id), []).append(n)
    return by_attempt, by_contact


def _client_data(client: Client) -> ClientData:
    return ClientData(
        civility=client.civility,
        last_name=client.last_name,
        first_names=client.first_names,
        birth_date=client.birth_date,
        birth_place=client.birth_place,
        nationality=client.nationality,
        address=client.address,
        email=client.email,
        phone=client.phone,
        agdref=client.agdref,
        entry_date=client.entry_date,
        document_type=client.residence_document_type,
        document_number=client.residence_document_number,
        document_expiry=client.residence_document_expiry_date,
        legal_aid_status=client.legal_aid_status,
        legal_aid_bureau=client.legal_aid_bureau,
        legal_aid_decision=client.legal_aid_decision_number,
        legal_aid_request_date=client.legal_aid_request_date,
        legal_aid_decision_date=client.legal_aid_decision_date,
    )


def _attempt_data(a: BookingAttempt, by_attempt: dict[str, int | None]) -> AttemptData:
    return AttemptData(
        a.attempted_at,
        a.outcome,
        a.message,
        a.page_url,
        a.procedure_selected,
        by_attempt.get(str(a.id)),
    )


def _contact_data(c: PrefectureContact, by_contact: dict[str, list[int]]) -> ContactData:
    return ContactData(
        c.channel,
        c.sent_date,
        c.recipient,
        c.registered_letter_number,
        c.delivered_date,
        c.response_date,
        c.response_outcome,
        c.response_summary,
        tuple(by_contact.get(str(c.id), [])),
        c.summary,
        str(c.id),
    )


def _urgency_data(u: UrgencyFact, numbers: dict[str, int]) -> UrgencyData:
    return UrgencyData(
        u.kind,
        u.fact_date,
        u.description,
        numbers.get(str(u.evidence_id)) if u.evidence_id else None,
    )
