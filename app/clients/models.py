import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class Civility(StrEnum):
    monsieur = "monsieur"
    madame = "madame"


class ResidenceDocumentType(StrEnum):
    titre_de_sejour = "titre_de_sejour"
    recepisse = "recepisse"
    aps = "aps"
    visa = "visa"
    none = "none"


class LegalAidStatus(StrEnum):
    none = "none"
    requested = "requested"
    provisional = "provisional"
    granted = "granted"


class Client(SQLModel, table=True):
    """A person the firm represents. Every column is personal data."""

    __tablename__ = "clients"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    civility: Civility = Field(sa_type=StrEnumType(Civility, 10))
    last_name: str = Field(sa_type=sa.String(100))
    first_names: str = Field(sa_type=sa.String(200))
    # Lower-cased, accent-free "last first" for search: « helene » finds « Hélène ».
    search_name: str = Field(sa_type=sa.String(300), index=True)
    birth_date: date | None = None
    birth_place: str = Field(default="", sa_type=sa.String(200))
    nationality: str = Field(default="", sa_type=sa.String(80))
    address: str = Field(default="", sa_type=sa.Text)
    email: str | None = Field(default=None, sa_type=sa.String(254))
    phone: str | None = Field(default=None, sa_type=sa.String(20))
    agdref: str | None = Field(default=None, sa_type=sa.String(10))
    entry_date: date | None = None
    residence_document_type: ResidenceDocumentType = Field(
        default=ResidenceDocumentType.none, sa_type=StrEnumType(ResidenceDocumentType, 20)
    )
    residence_document_number: str | None = Field(default=None, sa_type=sa.String(40))
    residence_document_expiry_date: date | None = Field(default=None, index=True)
    has_oqtf: bool = False
    oqtf_executed: bool = False
    legal_aid_status: LegalAidStatus = Field(
        default=LegalAidStatus.none, sa_type=StrEnumType(LegalAidStatus, 12)
    )
    legal_aid_bureau: str | None = Field(default=None, sa_type=sa.String(120))
    legal_aid_decision_number: str | None = Field(default=None, sa_type=sa.String(40))
    legal_aid_request_date: date | None = None
    legal_aid_decision_date: date | None = None
    # The firm's own id for this client (its DMS or practice-management system).
    external_ref: str | None = Field(default=None, sa_type=sa.String(120), unique=True)
    # Set when the client's personal data was erased (app/personal_data): the row stays for
    # the firm's counts, with no identity left in it.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class ClientNameToken(SQLModel, table=True):
    """One word of a client's names, folded, so name search is an index range scan."""

    __tablename__ = "client_name_tokens"
    __table_args__ = (sa.Index("ix_client_name_tokens_token_client_id", "token", "client_id"),)

    client_id: uuid.UUID = Field(foreign_key="clients.id", primary_key=True)
    token: str = Field(primary_key=True, sa_type=sa.String(100))
