import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.bodies import PatchBody, StrictBody
from app.events.types import EVENT_TYPES
from app.webhooks.models import DeliveryStatus

Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
EventTypes = Annotated[list[str], Field(min_length=1, max_length=len(EVENT_TYPES) + 1)]


def _known(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - {*EVENT_TYPES, "*"})
    if unknown:
        raise ValueError(f"unknown event types: {', '.join(unknown)}")
    return types


class SubscriptionCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://dms.cabinet.example/hooks/creneau",
                    "event_types": ["document.generated", "filing.created", "case.stage_changed"],
                    "description": "Classement des actes dans la GED",
                }
            ]
        }
    )

    url: AnyHttpUrl = Field(description="https in production; public addresses only.")
    event_types: EventTypes = Field(description='Event types to send, or ["*"] for all.')
    description: Description = ""
    active: bool = True

    _check_types = field_validator("event_types")(_known)


class SubscriptionUpdate(PatchBody):
    url: AnyHttpUrl | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    active: bool | None = Field(
        default=None, description="Set true to re-enable a subscription disabled for failures."
    )

    @field_validator("event_types")
    @classmethod
    def _types(cls, types: list[str] | None) -> list[str] | None:
        return None if types is None else _known(types)


class SubscriptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    active: bool
    consecutive_failures: int
    disabled_reason: str | None
    disabled_at: datetime | None
    previous_secret_until: datetime | None = Field(
        description="Until then the previous secret also signs (after a rotation)."
    )
    created_at: datetime
    version: int


class SubscriptionCreated(SubscriptionRead):
    secret: str | None = Field(
        description="The signing secret (`whsec_…`), shown only in this answer: store it with "
        "the receiver. Null in a replay (`Idempotent-Replayed`)."
    )


class DeliveryAttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    duration_ms: float
    status_code: int | None
    error: str | None


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID = Field(description="Also the `webhook-id` header of every attempt.")
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    history: list[DeliveryAttemptRead]


class ReplayRead(BaseModel):
    deliveries: int = Field(description="Deliveries queued.")
