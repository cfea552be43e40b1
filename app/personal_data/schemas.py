import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from app.bodies import StrictBody


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
