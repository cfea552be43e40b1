import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.models import CaseOwned
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class DocumentKind(StrEnum):
    prefecture_letter = "prefecture_letter"
    interim_relief_petition = "interim_relief_petition"
    exhibit_inventory = "exhibit_inventory"
    attempts_annex = "attempts_annex"


# A draft's file name when downloaded or exported, before its case and version.
FILE_NAMES = {
    DocumentKind.prefecture_letter: "Courrier_prefecture",
    DocumentKind.interim_relief_petition: "Requete_refere_mesures_utiles",
    DocumentKind.exhibit_inventory: "Bordereau_des_pieces",
    DocumentKind.attempts_annex: "Annexe_tableau_des_tentatives",
}


class GeneratedDocument(SQLModel, CaseOwned, table=True):
    """A draft as generated: never overwritten, a regeneration is a new version."""

    __tablename__ = "documents"
    __table_args__ = (sa.UniqueConstraint("case_id", "kind", "version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    kind: DocumentKind = Field(sa_type=StrEnumType(DocumentKind, 40))
    version: int
    template_id: uuid.UUID | None = Field(default=None, foreign_key="document_templates.id")
    sha256: str = Field(sa_type=sa.String(64))
    size: int
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The numbered exhibits the draft cites (numbers, labels, files, evidence ids) and their
    # hash: a filing never ships a draft whose plan is no longer the case's.
    exhibit_plan: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    exhibit_plan_hash: str = Field(default="", sa_type=sa.String(64))
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Erased with its client: the file, snapshot and plan are gone, the row says when.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DocumentTemplate(SQLModel, table=True):
    """A firm's own template for a kind; the newest active one is used, else the built-in."""

    __tablename__ = "document_templates"
    __table_args__ = (sa.UniqueConstraint("kind", "version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: DocumentKind = Field(sa_type=StrEnumType(DocumentKind, 40))
    version: int
    sha256: str = Field(sa_type=sa.String(64))
    size: int
    original_filename: str = Field(default="", sa_type=sa.String(255))
    is_active: bool = True
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
