import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.attempts.models import ReviewStatus
from app.attempts.schemas import AttemptTime
from app.bodies import StrictBody
from app.evidence.models import EvidenceKind
from app.evidence.reading.models import Verdict
from app.evidence.reading.schemas import ReadingRead


class EvidenceForm(StrictBody):
    """The form fields sent with the file."""

    kind: EvidenceKind
    captured_at: AttemptTime | None = Field(
        default=None, description="When the screenshot or document was made, with its offset."
    )
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    attempt_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None


class EvidenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    chain_index: int
    kind: EvidenceKind
    captured_at: datetime | None
    received_at: datetime = Field(description="Fixed by the server at upload.")
    sha256: str
    size: int
    media_type: str = Field(description="Identified from the bytes.")
    original_filename: str = Field(description="As sent; metadata only.")
    description: str
    attempt_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    uploaded_by_user_id: uuid.UUID
    uploaded_by_api_key_id: uuid.UUID | None
    image_width: int | None
    image_height: int | None
    image_capture_time: str | None = Field(description="Capture time embedded in the image.")
    entry_hash: str
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    upload_link_id: uuid.UUID | None = None
    review_status: ReviewStatus = ReviewStatus.accepted
    reading: ReadingRead | None = Field(
        default=None,
        description="What OCR read on a screenshot (images only), and its verdict.",
    )


def _reason(value: str) -> str:
    if not value:
        raise ValueError("give the reason for withdrawing this evidence")
    return value


class WithdrawalCreate(StrictBody):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_reason)
    ]


class ItemCheck(BaseModel):
    evidence_id: uuid.UUID
    chain_index: int
    blob_intact: bool = Field(description="The stored bytes still hash to the recorded SHA-256.")
    record_intact: bool = Field(description="The record's fields still hash to its entry hash.")
    link_intact: bool = Field(description="The entry still follows the previous one.")
    erased: bool = Field(
        default=False,
        description="The content was erased with the client's personal data: its hash stays "
        "in the chain, its file and record are no longer checked.",
    )
    intact: bool


class VerificationRead(BaseModel):
    case_id: uuid.UUID
    intact: bool
    checked_at: datetime
    chain_length: int
    head_intact: bool = Field(description="No entry was removed from the end of the chain.")
    items: list[ItemCheck]


class ExhibitRead(BaseModel):
    number: int
    label: str
    file_name: str
    evidence_ids: list[uuid.UUID]
    kind: EvidenceKind


class ExhibitListRead(BaseModel):
    case_id: uuid.UUID
    group_screenshots: bool
    version: int
    plan_hash: str = Field(
        description="Hash of the numbers, labels, file names and evidence of the exhibits: a "
        "draft whose `exhibit_plan_hash` differs cites an outdated list."
    )
    exhibits: list[ExhibitRead]


class ExhibitPlanUpdate(StrictBody):
    order: Annotated[list[uuid.UUID], Field(max_length=5000)] = Field(
        description="Every current (not withdrawn) evidence id of the case, once, in order."
    )
    group_screenshots: bool = Field(
        default=False, description="Group each run of consecutive screenshots as one series."
    )


class QueuedFile(BaseModel):
    """A file a client sent with an attempt, and how its reading judges it."""

    evidence_id: uuid.UUID
    original_filename: str
    verdict: Verdict | None = Field(description="The final verdict of its reading, if read.")


class SubmissionToReview(BaseModel):
    """An attempt a client sent through a link, waiting for the firm's decision."""

    attempt_id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    department_code: str
    assigned_lawyer_id: uuid.UUID | None
    attempted_at: datetime
    outcome: str
    received_at: datetime
    files: list[QueuedFile]


class CaptureToCheck(BaseModel):
    """A screenshot whose reading does not prove its attempt, and no person checked yet."""

    evidence_id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    department_code: str
    assigned_lawyer_id: uuid.UUID | None
    attempt_id: uuid.UUID | None
    attempted_at: datetime | None
    outcome: str | None
    received_at: datetime
    verdict: Verdict
    time_difference_minutes: int | None
    visible_times: list[str]
