import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from app import clock
from app.attempts.models import AttemptOutcome, AttemptSource, Device, ReviewStatus
from app.bodies import StrictBody, check_year

# A phone's clock running a little fast must not turn a real attempt into an error.
CLOCK_SKEW = timedelta(minutes=5)


def _aware_past(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give the time zone offset, e.g. 2026-03-02T09:12:00+01:00")
    check_year(value)
    if value > clock.now() + CLOCK_SKEW:
        raise ValueError("an attempt cannot be in the future")
    return value.astimezone(UTC)


AttemptTime = Annotated[datetime, AfterValidator(_aware_past)]


class AttemptCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "attempted_at": "2026-03-02T09:12:00+01:00",
                    "outcome": "no_slot",
                    "message": "Il n'existe plus de plage horaire libre",
                    "device": "mobile",
                }
            ]
        }
    )

    attempted_at: AttemptTime = Field(
        description="When the client tried, with its offset.",
        examples=["2026-03-02T09:12:00+01:00"],
    )
    outcome: AttemptOutcome
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        default="",
        examples=["Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."],
    )
    page_url: AnyHttpUrl | None = None
    procedure_selected: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = (
        ""
    )
    device: Device = Device.desktop


MAX_BATCH = 1000


class AttemptBatch(StrictBody):
    attempts: Annotated[list[AttemptCreate], Field(min_length=1, max_length=MAX_BATCH)]


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    attempted_at: datetime
    outcome: AttemptOutcome
    message: str
    page_url: str | None
    procedure_selected: str
    device: Device
    recorded_by_user_id: uuid.UUID
    recorded_by_api_key_id: uuid.UUID | None
    created_at: datetime
    source: AttemptSource = Field(description="`client_link` when the client sent it.")
    upload_link_id: uuid.UUID | None
    review_status: ReviewStatus = Field(
        description="A client's submission counts once `accepted`; the firm's own entries are."
    )
    review_reason: str | None


class AttemptBatchResult(BaseModel):
    created: int = Field(description="Attempts written by this batch.")
    duplicates: int = Field(description="Attempts already recorded (same instant and outcome).")
    attempts: list[AttemptRead] = Field(description="The batch's attempts, in the order sent.")
