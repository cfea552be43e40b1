import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.cases.models import CaseOwned
from app.db import StrEnumType, UTCDateTime, new_id, utcnow


class ContactChannel(StrEnum):
    email = "email"
    registered_letter = "registered_letter"
    visit = "visit"
    phone = "phone"
    online_form = "online_form"
    defenseur_des_droits = "defenseur_des_droits"


class ResponseOutcome(StrEnum):
    none = "none"
    appointment_offered = "appointment_offered"
    refusal = "refusal"
    standard_reply = "standard_reply"


class PrefectureContact(SQLModel, CaseOwned, table=True):
    """A request made to the préfecture (or the Défenseur des droits) and its answer."""

    __tablename__ = "prefecture_contacts"
    __table_args__ = (sa.Index("ix_prefecture_contacts_case_id_sent_date", "case_id", "sent_date"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id")
    channel: ContactChannel = Field(sa_type=StrEnumType(ContactChannel, 24))
    sent_date: date = Field(index=True)
    recipient: str = Field(default="", sa_type=sa.String(254))
    registered_letter_number: str | None = Field(default=None, sa_type=sa.String(40))
    delivered_date: date | None = Field(default=None, index=True)
    summary: str = Field(default="", sa_type=sa.Text)
    response_date: date | None = None
    response_summary: str = Field(default="", sa_type=sa.Text)
    response_outcome: ResponseOutcome = Field(
        default=ResponseOutcome.none, sa_type=StrEnumType(ResponseOutcome, 24)
    )
    version: int = 1
    created_by_user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
