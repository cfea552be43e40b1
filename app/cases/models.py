import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.stages import Stage
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class BookingChannel(StrEnum):
    prefecture_site = "prefecture_site"
    rdv_prefecture = "rdv_prefecture"
    demarches_simplifiees = "demarches_simplifiees"
    anef = "anef"
    counter = "counter"


class AesMotif(StrEnum):
    vie_privee_familiale = "vie_privee_familiale"
    salarie = "salarie"


class UrgencyKind(StrEnum):
    document_expiry = "document_expiry"
    employment = "employment"
    age_deadline = "age_deadline"
    health = "health"
    family = "family"
    schooling = "schooling"
    other = "other"


class CaseOwned:
    """A row under a case: writing it moves the case's version (``cases/activity.py``).

    A marker the tables under a case inherit, so that the case-activity listener knows them
    without importing them; every such table has a ``case_id``.
    """

    if TYPE_CHECKING:
        case_id: uuid.UUID


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        sa.Index("ix_cases_opened_at_id", "opened_at", "id"),
        sa.Index("ix_cases_updated_at_id", "updated_at", "id"),
        sa.Index("ix_cases_stage_opened_at", "stage", "opened_at"),
        sa.Index("ix_cases_lawyer_opened_at", "assigned_lawyer_id", "opened_at"),
        sa.Index("ix_cases_department_opened_at", "department_code", "opened_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    reference: str = Field(sa_type=sa.String(20), unique=True)
    client_id: uuid.UUID = Field(foreign_key="clients.id", index=True)
    department_code: str = Field(foreign_key="prefectures.department_code", sa_type=sa.String(3))
    site: str = Field(default="", sa_type=sa.String(120))
    procedure_code: str = Field(foreign_key="procedures.code", index=True, sa_type=sa.String(60))
    is_renewal: bool = False
    booking_channel: BookingChannel = Field(sa_type=StrEnumType(BookingChannel, 24))
    booking_url: str | None = Field(default=None, sa_type=sa.String(500))
    # Admission exceptionnelle (L. 435-1): the motif the request will invoke.
    aes_motif: AesMotif | None = Field(default=None, sa_type=StrEnumType(AesMotif, 24))
    # The lawyer's word that the client's file for the préfecture is complete (the letter
    # says so only then).
    file_complete: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    assigned_lawyer_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    assigned_paralegal_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    stage: Stage = Field(default=Stage.attempts, sa_type=StrEnumType(Stage, 24))
    closed_reason: str | None = Field(default=None, sa_type=sa.Text)
    outcome: str | None = Field(default=None, sa_type=sa.Text)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    external_ref: str | None = Field(default=None, sa_type=sa.String(120), unique=True)
    # A lawyer's legal hold: while set, the case is never erased (retention or erasure).
    legal_hold_reason: str | None = Field(default=None, sa_type=sa.Text)
    legal_hold_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Moves with every change to the case or under it (app/cases/activity.py).
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UrgencyFact(SQLModel, CaseOwned, table=True):
    __tablename__ = "case_urgency_facts"
    __table_args__ = (sa.Index("ix_case_urgency_facts_fact_date_case_id", "fact_date", "case_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    kind: UrgencyKind = Field(sa_type=StrEnumType(UrgencyKind, 20))
    fact_date: date
    description: str = Field(sa_type=sa.Text)
    evidence_ref: str | None = Field(default=None, sa_type=sa.String(120))
    # The evidence that proves the fact: the petition cites its exhibit number.
    evidence_id: uuid.UUID | None = Field(default=None, foreign_key="evidence.id")


class StageChange(SQLModel, CaseOwned, table=True):
    """Append-only history of a case's stages."""

    __tablename__ = "case_stage_changes"
    __table_args__ = (sa.Index("ix_case_stage_changes_case_id_at", "case_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id")
    from_stage: Stage = Field(sa_type=StrEnumType(Stage, 24))
    to_stage: Stage = Field(sa_type=StrEnumType(Stage, 24))
    note: str = Field(default="", sa_type=sa.Text)
    override_reason: str | None = Field(default=None, sa_type=sa.Text)
    actor_user_id: uuid.UUID = Field(foreign_key="users.id")
    actor_api_key_id: uuid.UUID | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferenceCounter(SQLModel, table=True):
    """Last case number issued per year; numbers are never reused."""

    __tablename__ = "case_reference_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_value: int = 0
