from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class FirmProfile(SQLModel, table=True):
    """The firm's identity on its letters and petitions (one row)."""

    __tablename__ = "firm_profile"

    id: int = Field(default=1, primary_key=True)
    name: str = Field(default="", sa_type=sa.String(200))
    address: str = Field(default="", sa_type=sa.Text)
    city: str = Field(default="", sa_type=sa.String(100))
    phone: str = Field(default="", sa_type=sa.String(40))
    email: str = Field(default="", sa_type=sa.String(254))
    letterhead: str = Field(default="", sa_type=sa.Text)
    lawyers: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
