import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.bodies import PatchBody, StrictBody
from app.clients.schemas import PastDate
from app.contacts.models import ContactChannel, ResponseOutcome

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Recipient = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]


def _letter_number(value: str) -> str:
    compact = "".join(value.split()).upper()
    if not 8 <= len(compact) <= 20 or not compact.isalnum():
        raise ValueError("a registered-letter number has 8 to 20 letters and digits")
    return compact


LetterNumber = Annotated[str, StringConstraints(max_length=40), AfterValidator(_letter_number)]


class ContactCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "channel": "registered_letter",
                    "sent_date": "2026-03-02",
                    "recipient": "Préfecture de la Seine-Saint-Denis, bureau du séjour",
                    "registered_letter_number": "1A 123 456 7890 1",
                    "summary": "Demande de convocation pour une admission exceptionnelle",
                }
            ]
        }
    )

    channel: ContactChannel
    sent_date: PastDate = Field(description="Day the request was sent, posted or made.")
    recipient: Recipient = Field(default="", description="Address, e-mail or office reached.")
    registered_letter_number: LetterNumber | None = Field(
        default=None, examples=["1A 123 456 7890 1"]
    )
    delivered_date: PastDate | None = Field(
        default=None, description="Day of delivery on the acknowledgement of receipt (AR)."
    )
    summary: Text = ""
    response_date: PastDate | None = None
    response_summary: Text = ""
    response_outcome: ResponseOutcome = ResponseOutcome.none


class ContactUpdate(PatchBody):
    clearable = frozenset({"registered_letter_number", "delivered_date", "response_date"})

    channel: ContactChannel | None = None
    sent_date: PastDate | None = None
    recipient: Recipient | None = None
    registered_letter_number: LetterNumber | None = None
    delivered_date: PastDate | None = None
    summary: Text | None = None
    response_date: PastDate | None = None
    response_summary: Text | None = None
    response_outcome: ResponseOutcome | None = None


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    channel: ContactChannel
    sent_date: date
    recipient: str
    registered_letter_number: str | None
    delivered_date: date | None
    summary: str
    response_date: date | None
    response_summary: str
    response_outcome: ResponseOutcome
    version: int
    created_by_user_id: uuid.UUID
    created_at: datetime
    updated_at: datetime
