import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.bodies import StrictBody
from app.personal_data.models import ExportStatus


class ErasureCreate(StrictBody):
    reason: str = Field(
        min_length=3,
        max_length=500,
        description="Why (a client's request under RGPD art. 17, the end of retention…). "
        "Kept in the audit trail: write no personal data here.",
    )


class ErasureRead(BaseModel):
    client_id: uuid.UUID
    erased_at: datetime
    cases: int = Field(description="Cases whose free text and files were erased.")
    files: int = Field(description="Evidence files and drafts deleted from storage.")


class LegalHoldSet(StrictBody):
    reason: str = Field(min_length=3, max_length=500)


class ExportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_id: uuid.UUID
    status: ExportStatus = Field(
        description="`queued` while the worker builds it, then `ready`, `failed` or, once "
        "its days are over (its ZIP deleted), `expired`."
    )
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When the ZIP is deleted.")
    size: int | None
    files: int | None = Field(description="Evidence files, drafts and filings in the ZIP.")
    sha256: str | None
    error: str | None
    download_url: str | None = Field(
        default=None,
        description="When ready: a signed link to the ZIP, valid 15 minutes (read this "
        "export again for a fresh one). Each download is recorded in the access log.",
    )


class RetentionDue(BaseModel):
    client_id: uuid.UUID
    case_references: list[str]
    kept_until: date = Field(description="The last case's closing day plus the retention years.")


class RetentionKept(BaseModel):
    client_id: uuid.UUID
    case_references: list[str]
    reasons: list[str]


class RetentionReview(BaseModel):
    retention_years: int
    due: list[RetentionDue] = Field(description="Past their retention: erased by a run.")
    kept: list[RetentionKept] = Field(
        description="Past their retention but kept for now (a hold, a pending proceeding, a "
        "deadline ahead), with the reasons."
    )


class RetentionRunCreate(StrictBody):
    client_ids: list[uuid.UUID] = Field(
        min_length=1,
        max_length=500,
        description="The clients to erase, as listed due by `GET /retention/due`: a client "
        "no longer due (or now held) is skipped and reported, never erased.",
    )


class RetentionSkipped(BaseModel):
    client_id: uuid.UUID
    reasons: list[str]


class RetentionRunRead(BaseModel):
    id: uuid.UUID = Field(description="The run's id in the audit trail (`retention.run`).")
    ran_at: datetime
    erased: list[uuid.UUID]
    skipped: list[RetentionSkipped]
