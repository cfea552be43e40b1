import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.bodies import PatchBody, StrictBody, TextSafe, check_year
from app.clients.schemas import PastDate
from app.proceedings.models import DecisionOutcome, FilingChannel


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give the time zone offset, e.g. 2026-03-02T14:00:00+01:00")
    check_year(value)
    return value.astimezone(UTC)


Instant = Annotated[datetime, AfterValidator(_aware)]
CaseNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\d{7}(/\d{1,2})?$"),
]
Cents = Annotated[int, Field(ge=0, le=10_000_000)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class ProceedingFields(TextSafe):
    filed_date: PastDate | None = None
    filing_channel: FilingChannel | None = None
    court_case_number: CaseNumber | None = Field(
        default=None, description="As the court gives it: 2315595 or 2016798/9."
    )
    hearing_at: Instant | None = None
    decision_date: PastDate | None = None
    outcome: DecisionOutcome | None = None
    injunction_delay_days: Annotated[int, Field(ge=1, le=365)] | None = Field(
        default=None, description="Days the préfet has, from notification, to give a date."
    )
    latest_appointment_date: date | None = None
    astreinte_per_day_cents: Cents | None = Field(default=None, examples=[10000])
    costs_awarded_cents: Cents | None = Field(default=None, examples=[120000])
    notification_date: PastDate | None = None
    appointment_at: Instant | None = None
    appointment_place: Place = ""


class ProceedingCreate(ProceedingFields, StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filed_date": "2026-03-20",
                    "filing_channel": "telerecours",
                    "court_case_number": "2604512",
                }
            ]
        }
    )

    tribunal_code: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None
    ) = Field(default=None, description="Defaults to the tribunal competent for the préfecture.")


class ProceedingUpdate(PatchBody):
    clearable = frozenset(ProceedingFields.model_fields) - {"appointment_place"}

    filed_date: PastDate | None = None
    filing_channel: FilingChannel | None = None
    court_case_number: CaseNumber | None = None
    hearing_at: Instant | None = None
    decision_date: PastDate | None = None
    outcome: DecisionOutcome | None = None
    injunction_delay_days: Annotated[int, Field(ge=1, le=365)] | None = None
    latest_appointment_date: date | None = None
    astreinte_per_day_cents: Cents | None = None
    costs_awarded_cents: Cents | None = None
    notification_date: PastDate | None = None
    appointment_at: Instant | None = None
    appointment_place: Place | None = None


class ProceedingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    tribunal_code: str
    filed_date: date | None
    filing_channel: FilingChannel | None
    court_case_number: str | None
    hearing_at: datetime | None
    decision_date: date | None
    outcome: DecisionOutcome | None
    injunction_delay_days: int | None
    latest_appointment_date: date | None
    astreinte_per_day_cents: int | None
    costs_awarded_cents: int | None
    notification_date: date | None
    appointment_at: datetime | None
    appointment_place: str
    version: int
    created_at: datetime
    updated_at: datetime
