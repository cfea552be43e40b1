import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.models import CaseOwned
from app.db import UTCDateTime, new_id, utcnow


class Filing(SQLModel, CaseOwned, table=True):
    """A filing bundle frozen as it was sent to the court: stored once, never rebuilt.

    Like evidence, filings form a per-case hash chain: entry n commits to its fields
    (the bundle's SHA-256 among them) and to entry n-1's hash.
    """

    __tablename__ = "filings"
    __table_args__ = (sa.UniqueConstraint("case_id", "chain_index"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    chain_index: int
    filed_on: date
    tribunal_code: str = Field(foreign_key="tribunals.code", sa_type=sa.String(40))
    docket_number: str | None = Field(default=None, sa_type=sa.String(40))
    petition_id: uuid.UUID = Field(foreign_key="documents.id")
    exhibit_plan_hash: str = Field(sa_type=sa.String(64))
    sha256: str = Field(sa_type=sa.String(64), index=True)
    size: int = Field(sa_type=sa.BigInteger)
    manifest: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    note: str = Field(default="", sa_type=sa.Text)
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Erased with its client: the frozen bundle is deleted, the row says when.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    prev_hash: str = Field(sa_type=sa.String(64))
    entry_hash: str = Field(sa_type=sa.String(64), unique=True)
