import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, new_id, utcnow


class UploadLink(SQLModel, table=True):
    """A link a firm sends its client to upload booking attempts for one case.

    The token is stored hashed (SHA-256 of 256 random bits), found by its short lookup part.
    """

    __tablename__ = "upload_links"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True)
    lookup: str = Field(sa_type=sa.String(16), unique=True)
    token_hash: str = Field(sa_type=sa.String(64))
    language: str = Field(default="fr", sa_type=sa.String(8))
    note: str = Field(default="", sa_type=sa.Text)
    daily_cap: int = 20
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
