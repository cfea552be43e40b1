import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.auth.permissions import Role
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # Stored lower-cased: one address, one account.
    email: str = Field(sa_type=sa.String(254), unique=True)
    full_name: str = Field(sa_type=sa.String(200))
    role: Role = Field(sa_type=StrEnumType(Role, 16))
    password_hash: str | None = Field(default=None, sa_type=sa.String(255))
    is_active: bool = True
    # Password guessing: after MAX_FAILED_LOGINS failures in a row the account is locked a while.
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Calendar feed: the token's lookup part and the SHA-256 of the whole token.
    feed_token_lookup: str | None = Field(default=None, sa_type=sa.String(16), unique=True)
    feed_token_hash: str | None = Field(default=None, sa_type=sa.String(64))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(sa_type=sa.String(100))
    role: Role = Field(sa_type=StrEnumType(Role, 16))
    lookup: str = Field(sa_type=sa.String(16), unique=True)
    secret_hash: str = Field(sa_type=sa.String(64))
    owner_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
