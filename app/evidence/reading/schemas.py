import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.bodies import StrictBody
from app.evidence.reading.models import ReadingStatus, Verdict


class ReadingRead(BaseModel):
    """What OCR read on a screenshot, and what it proves against its attempt."""

    model_config = ConfigDict(from_attributes=True)

    status: ReadingStatus
    verdict: Verdict | None = Field(
        description="Against the linked attempt; null while pending, or with no attempt."
    )
    refusal_message: str | None = Field(description="The known refusal message found, if any.")
    site: str | None = Field(description="The booking site's address, when visible.")
    visible_times: list[str] = Field(description="Times of day shown (HH:MM), as read.")
    visible_dates: list[str] = Field(description="Dates shown, as ISO dates.")
    proposal: dict[str, Any] | None = Field(
        description="With no attempt linked: the attempt this capture suggests (date, time, "
        "outcome), for a person to confirm."
    )
    engine: str
    error: str | None
    read_at: datetime | None
    text: str = Field(description="The recognised text.")


class RefusalMessageCreate(StrictBody):
    text: str = Field(min_length=10, max_length=500)
    site: str = Field(default="", max_length=120)


class RefusalMessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    text: str
    site: str
    active: bool
    created_at: datetime
