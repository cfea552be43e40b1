"""Requests made to the préfecture, their acknowledgements and answers."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.cases.models import Case
from app.contacts.models import ContactChannel, PrefectureContact, ResponseOutcome
from app.contacts.schemas import ContactCreate, ContactUpdate
from app.db import utcnow
from app.errors import NotFound, invalid_fields
from app.pagination import PageRequest, paginate


class ContactNotFound(NotFound):
    slug = "contact-not-found"
    title = "Contact not found"


def _check(contact: PrefectureContact) -> None:
    problems: list[tuple[str, str]] = []
    if contact.delivered_date and contact.delivered_date < contact.sent_date:
        problems.append(("delivered_date", "delivery cannot precede sending"))
    if contact.response_date and contact.response_date < contact.sent_date:
        problems.append(("response_date", "an answer cannot precede the request"))
    if contact.response_outcome != ResponseOutcome.none and contact.response_date is None:
        problems.append(("response_date", "an answer needs its date"))
    if contact.registered_letter_number and contact.channel != ContactChannel.registered_letter:
        problems.append(("registered_letter_number", "only a registered letter has a number"))
    if problems:
        raise invalid_fields(problems)


def create_contact(
    session: Session, *, actor: Principal, case: Case, data: ContactCreate
) -> PrefectureContact:
    contact = PrefectureContact(
        case_id=case.id, created_by_user_id=actor.user_id, **data.model_dump()
    )
    _check(contact)
    session.add(contact)
    session.flush()
    audit.record(
        session, actor=actor, action="contact.create", resource_type="contact",
        resource_id=contact.id,
        details={"case_id": str(case.id), "channel": contact.channel},
    )  # fmt: skip
    return contact


def get_contact(
    session: Session, *, case: Case, contact_id: uuid.UUID, for_update: bool = False
) -> PrefectureContact:
    query = select(PrefectureContact).where(
        PrefectureContact.id == contact_id, PrefectureContact.case_id == case.id
    )
    contact = session.exec(query.with_for_update() if for_update else query).first()
    if contact is None:
        raise ContactNotFound(f"No contact {contact_id} on this case.")
    return contact


def update_contact(
    session: Session, *, actor: Principal, contact: PrefectureContact, data: ContactUpdate
) -> PrefectureContact:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return contact
    for field, value in changes.items():
        setattr(contact, field, value)
    _check(contact)
    contact.version += 1
    contact.updated_at = utcnow()
    session.add(contact)
    audit.record(
        session, actor=actor, action="contact.update", resource_type="contact",
        resource_id=contact.id,
        details={"fields": sorted(changes)},
    )  # fmt: skip
    return contact


def page_contacts(
    session: Session, *, case_id: uuid.UUID, page: PageRequest
) -> tuple[list[PrefectureContact], str | None]:
    query = select(PrefectureContact).where(PrefectureContact.case_id == case_id)
    order = (
        col(PrefectureContact.sent_date),
        col(PrefectureContact.created_at),
        col(PrefectureContact.id),
    )
    return paginate(session, query=query, columns=order, page=page)


def list_contacts(session: Session, *, case_id: uuid.UUID) -> Sequence[PrefectureContact]:
    query = select(PrefectureContact).where(PrefectureContact.case_id == case_id)
    return session.exec(
        query.order_by(col(PrefectureContact.sent_date), col(PrefectureContact.created_at))
    ).all()
