import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.attempts.models import ReviewStatus
from app.cases.models import CaseOwned
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class EvidenceKind(StrEnum):
    screenshot = "screenshot"
    email = "email"
    registered_letter_proof = "registered_letter_proof"
    acknowledgement_of_receipt = "acknowledgement_of_receipt"
    identity_document = "identity_document"
    residence_document = "residence_document"
    urgency_proof = "urgency_proof"
    court_document = "court_document"
    legal_aid_document = "legal_aid_document"
    integrity_attestation = "integrity_attestation"
    other = "other"


class Evidence(SQLModel, CaseOwned, table=True):
    """One piece of evidence exactly as received, and its link in the case's hash chain.

    Everything but the withdrawal columns is fixed at upload and covered by
    ``entry_hash``; ``entry_hash`` also commits to the previous entry's, so an entry
    removed or altered breaks the chain from that point on.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "chain_index"),
        sa.Index("ix_evidence_sha256", "sha256"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id")
    chain_index: int
    kind: EvidenceKind = Field(sa_type=StrEnumType(EvidenceKind, 32))
    captured_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sha256: str = Field(sa_type=sa.String(64))
    size: int = Field(sa_type=sa.BigInteger)
    media_type: str = Field(sa_type=sa.String(40))
    original_filename: str = Field(default="", sa_type=sa.String(255))
    description: str = Field(default="", sa_type=sa.Text)
    attempt_id: uuid.UUID | None = Field(
        default=None, foreign_key="booking_attempts.id", index=True
    )
    contact_id: uuid.UUID | None = Field(
        default=None, foreign_key="prefecture_contacts.id", index=True
    )
    uploaded_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    uploaded_by_api_key_id: uuid.UUID | None = None
    image_width: int | None = None
    image_height: int | None = None
    image_capture_time: str | None = Field(default=None, sa_type=sa.String(64))
    prev_hash: str = Field(sa_type=sa.String(64))
    entry_hash: str = Field(sa_type=sa.String(64), unique=True)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_reason: str | None = Field(default=None, sa_type=sa.Text)
    # Erased with its client: the file and free text are gone, the entry hash stays in the chain.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    upload_link_id: uuid.UUID | None = Field(default=None, foreign_key="upload_links.id")
    review_status: ReviewStatus = Field(
        default=ReviewStatus.accepted,
        sa_type=StrEnumType(ReviewStatus, 12),
        sa_column_kwargs={"server_default": "accepted"},
    )
    withdrawn_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")


class ExhibitPlan(SQLModel, CaseOwned, table=True):
    """A case's chosen exhibit order; evidence not in it follows in the default order."""

    __tablename__ = "exhibit_plans"

    case_id: uuid.UUID = Field(foreign_key="cases.id", primary_key=True)
    order: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    group_screenshots: bool = False
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EvidenceChainHead(SQLModel, table=True):
    """Length and last hash of a case's evidence chain; appends lock this row."""

    __tablename__ = "evidence_chain_heads"

    case_id: uuid.UUID = Field(foreign_key="cases.id", primary_key=True)
    length: int = 0
    head_hash: str = Field(sa_type=sa.String(64))
