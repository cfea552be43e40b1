"""Clients: the people the firm represents (all personal data; audit names fields only)."""

import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.principal import Principal
from app.clients.errors import ClientNotFound
from app.clients.models import Client, LegalAidStatus, ResidenceDocumentType
from app.clients.schemas import ClientCreate, ClientUpdate
from app.db import utcnow
from app.errors import FieldError, UnprocessableEntity


def fold(text: str) -> str:
    """Lower-case and strip accents, for search: « Hélène N'Diaye » → « helene n'diaye »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _search_name(client: Client) -> str:
    return fold(f"{client.last_name} {client.first_names}")


def _consistency_errors(client: Client) -> list[FieldError]:
    """Rules that span several fields, each reported on the field to fix."""
    errors: list[FieldError] = []

    def error(field: str, msg: str) -> None:
        errors.append(FieldError(loc=["body", field], msg=msg, type="value_error"))

    if client.entry_date and client.birth_date and client.entry_date < client.birth_date:
        error("entry_date", "entry to France cannot precede the birth date")
    if client.oqtf_executed and not client.has_oqtf:
        error("oqtf_executed", "an expulsion order can be executed only if one exists")
    if client.residence_document_type == ResidenceDocumentType.none and (
        client.residence_document_number or client.residence_document_expiry_date
    ):
        error("residence_document_type", "a document number or expiry needs a document type")
    if client.legal_aid_status == LegalAidStatus.none and (
        client.legal_aid_bureau or client.legal_aid_decision_number
    ):
        error("legal_aid_status", "a legal-aid bureau or decision needs a legal-aid status")
    return errors


def _check(client: Client) -> None:
    if errors := _consistency_errors(client):
        fields = ", ".join(".".join(map(str, e.loc)) for e in errors)
        raise UnprocessableEntity(f"Invalid value for: {fields}", errors=errors)


def create_client(session: Session, actor: Principal, data: ClientCreate) -> Client:
    client = Client(**data.model_dump(), search_name="")
    client.search_name = _search_name(client)
    _check(client)
    session.add(client)
    session.flush()
    audit.record(
        session, actor, action="client.create", resource_type="client", resource_id=client.id
    )
    return client


def get_client(session: Session, client_id: uuid.UUID, *, for_update: bool = False) -> Client:
    query = select(Client).where(Client.id == client_id)
    if for_update:
        query = query.with_for_update()
    client = session.exec(query).first()
    if client is None:
        raise ClientNotFound(f"No client with id {client_id}.")
    return client


def update_client(session: Session, actor: Principal, client: Client, data: ClientUpdate) -> Client:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return client
    for field, value in changes.items():
        setattr(client, field, value)
    client.search_name = _search_name(client)
    _check(client)
    client.version += 1
    client.updated_at = utcnow()
    session.add(client)
    audit.record(
        session,
        actor,
        action="client.update",
        resource_type="client",
        resource_id=client.id,
        details={"fields": sorted(changes)},
    )
    return client


def list_clients(
    session: Session, *, search: str | None, after: tuple[str, uuid.UUID] | None, limit: int
) -> Sequence[Client]:
    query = select(Client)
    if search:
        query = query.where(col(Client.search_name).contains(fold(search), autoescape=True))
    if after is not None:
        name, last_id = after
        query = query.where(
            (col(Client.search_name) > name)
            | ((col(Client.search_name) == name) & (col(Client.id) > last_id))
        )
    query = query.order_by(col(Client.search_name), col(Client.id)).limit(limit)
    return session.exec(query).all()
