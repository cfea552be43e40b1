import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.attempts.models import ReviewStatus
from app.bodies import StrictBody
from app.evidence.reading.models import Verdict

Language = Literal["fr", "en", "ar"]


class LinkCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"language": "ar", "note": "Envoyez chaque capture le jour même, merci."}]
        }
    )

    language: Language = Field(default="fr", description="The page opens in this language.")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        default="", description="Shown to the client on the page."
    )
    expires_in_days: int | None = Field(
        default=None, ge=1, le=365, description="Default: the firm's policy (30 days)."
    )
    daily_cap: int | None = Field(
        default=None, ge=1, le=200, description="Files a day; default: the firm's policy (20)."
    )


class LinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    language: str
    note: str
    daily_cap: int
    expires_at: datetime
    created_by_user_id: uuid.UUID
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class LinkCreated(LinkRead):
    url: str | None = Field(
        description="The address to send the client, shown only in this answer (the token is "
        "stored hashed). Null in a replay (`Idempotent-Replayed`): revoke and create another."
    )


class ReceivedFile(BaseModel):
    evidence_id: uuid.UUID
    original_filename: str
    sha256: str
    size: int
    review_status: ReviewStatus
    verdict: Verdict | None = Field(
        default=None,
        description="How its reading judges it against the attempt (the final verdict: a "
        "person's check, else OCR's); null while not read, or not a screenshot.",
    )


class ReceivedAttempt(BaseModel):
    attempt_id: uuid.UUID
    attempted_at: datetime
    outcome: str
    review_status: ReviewStatus
    review_reason: str | None
    files: list[ReceivedFile]


class ReviewCreate(StrictBody):
    decision: Literal[ReviewStatus.accepted, ReviewStatus.rejected]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None

    @model_validator(mode="after")
    def _reason_for_a_rejection(self) -> "ReviewCreate":
        if self.decision == ReviewStatus.rejected and not self.reason:
            raise ValueError("say why the submission is rejected (reason)")
        return self
