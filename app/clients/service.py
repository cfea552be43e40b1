"""Clients: the people the firm represents (all personal data; audit names fields only)."""

import re
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, intersect
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import service as audit
from app.auth.principal import Principal
from app.clients.errors import ClientNotFound
from app.clients.models import Client, ClientNameToken, LegalAidStatus, ResidenceDocumentType
from app.clients.schemas import ClientCreate, ClientUpdate
from app.db import utcnow
from app.errors import invalid_fields
from app.external_refs import ensure_free


def fold(text: str) -> str:
    """Lower-case and strip accents, for search: « Hélène N'Diaye » → « helene n'diaye »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _search_name(client: Client) -> str:
    return fold(f"{client.last_name} {client.first_names}")


def name_tokens(text: str) -> set[str]:
    """The searchable words of a name: each word, its parts, and the parts joined.

    « N'Diaye Ben-Salah » → ndiaye, n, diaye, bensalah, ben, salah.
    """
    tokens: set[str] = set()
    for word in fold(text).split():
        parts = re.findall(r"[a-z0-9]+", word)
        tokens.update(parts)
        if parts:
            tokens.add("".join(parts)[:100])
    return {t[:100] for t in tokens}


def matching_client_ids(
    search: str,
) -> CompoundSelect[tuple[uuid.UUID]] | SelectOfScalar[uuid.UUID] | None:
    """Clients having, for every word typed, a name word that starts with it.

    Each word is an index range scan on the tokens; the sets are intersected
    before anything is joined, so common words stay cheap.
    """
    words = ["".join(re.findall(r"[a-z0-9]+", w)) for w in fold(search).split()]
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    selects = [
        select(ClientNameToken.client_id).where(
            col(ClientNameToken.token) >= word, col(ClientNameToken.token) < word + "\uffff"
        )
        for word in words
    ]
    return selects[0] if len(selects) == 1 else intersect(*selects)


def sync_name_tokens(session: Session, *, client: Client) -> None:
    wanted = name_tokens(f"{client.last_name} {client.first_names}")
    current = {
        t.token: t
        for t in session.exec(select(ClientNameToken).where(ClientNameToken.client_id == client.id))
    }
    for token in current.keys() - wanted:
        session.delete(current[token])
    for token in wanted - current.keys():
        session.add(ClientNameToken(client_id=client.id, token=token))


def _consistency_errors(client: Client) -> list[tuple[str, str]]:
    """Rules that span several fields, each reported on the field to fix."""
    errors: list[tuple[str, str]] = []

    def error(field: str, msg: str) -> None:
        errors.append((field, msg))

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
        raise invalid_fields(errors)


def create_client(session: Session, *, actor: Principal, data: ClientCreate) -> Client:
    ensure_free(session, model=Client, ref=data.external_ref)
    client = Client(**data.model_dump(), search_name="")
    client.search_name = _search_name(client)
    _check(client)
    session.add(client)
    session.flush()
    sync_name_tokens(session, client=client)
    audit.record(
        session, actor=actor, action="client.create", resource_type="client", resource_id=client.id
    )
    return client


def get_client(session: Session, *, client_id: uuid.UUID, for_update: bool = False) -> Client:
    query = select(Client).where(Client.id == client_id)
    if for_update:
        query = query.with_for_update()
    client = session.exec(query).first()
    if client is None:
        raise ClientNotFound(f"No client with id {client_id}.")
    return client


def update_client(
    session: Session, *, actor: Principal, client: Client, data: ClientUpdate
) -> Client:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return client
    if "external_ref" in changes:
        ensure_free(session, model=Client, ref=changes["external_ref"], own_id=client.id)
    for field, value in changes.items():
        setattr(client, field, value)
    client.search_name = _search_name(client)
    _check(client)
    sync_name_tokens(session, client=client)
    client.version += 1
    client.updated_at = utcnow()
    session.add(client)
    audit.record(
        session,
        actor=actor,
        action="client.update",
        resource_type="client",
        resource_id=client.id,
        details={"fields": sorted(changes)},
    )
    return client


def list_clients(
    session: Session,
    *,
    search: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
    external_ref: str | None = None,
    updated_since: datetime | None = None,
) -> Sequence[Client]:
    query = select(Client)
    if external_ref is not None:
        query = query.where(Client.external_ref == external_ref)
    if updated_since is not None:
        query = query.where(col(Client.updated_at) >= updated_since)
    if search:
        matches = matching_client_ids(search)
        if matches is None:
            return []
        query = query.where(col(Client.id).in_(matches))
    if after is not None:
        name, last_id = after
        query = query.where(
            (col(Client.search_name) > name)
            | ((col(Client.search_name) == name) & (col(Client.id) > last_id))
        )
    query = query.order_by(col(Client.search_name), col(Client.id)).limit(limit)
    return session.exec(query).all()
