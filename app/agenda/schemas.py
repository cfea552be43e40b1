import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from app.agenda.deadlines import DeadlineKind


class DeadlineRead(BaseModel):
    kind: DeadlineKind
    due_date: date = Field(description="Paris calendar date.")
    at: datetime | None = Field(description="The exact time, for hearings and appointments.")
    case_id: uuid.UUID
    reference: str
    title: str = Field(examples=["CRN-2026-00042 : dernier jour pour un pourvoi en cassation"])
    source_type: str
    source_id: str
    details: dict[str, int | str]


class NextActionRead(BaseModel):
    code: str = Field(examples=["keep_trying"])
    title: str = Field(
        examples=["Poursuivre les tentatives de prise de rendez-vous : encore 2 semaines."]
    )
    due_date: date | None


class NextActionsRead(BaseModel):
    case_id: uuid.UUID
    actions: list[NextActionRead]
    deadlines: list[DeadlineRead]


class TimelineItem(BaseModel):
    day: date = Field(description="Paris calendar date.")
    occurred_at: datetime | None = Field(description="The instant, when the fact has one.")
    kind: str
    label: str = Field(description="One French sentence, Paris time.")
    source_type: str
    source_id: str


class FeedTokenRead(BaseModel):
    token: str = Field(description="Shown once. Rotating it invalidates the previous one.")
    url: str = Field(description="The address to subscribe to in a calendar application.")
