import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.bodies import StrictBody
from app.documents.models import DocumentKind


class DocumentCreate(StrictBody):
    kind: DocumentKind
    variant: Literal["registered_letter", "email"] = Field(
        default="registered_letter",
        description="Letters only: sent by registered letter or e-mail.",
    )
    delay_days: Annotated[int, Field(ge=1, le=90)] | None = Field(
        default=None, description="Days asked for the préfet to give a date (policy default)."
    )
    latest_appointment_days: Annotated[int, Field(ge=1, le=180)] | None = None
    astreinte_cents: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        default=None, description="Astreinte per day, in cents; 0 asks for none."
    )
    costs_cents: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    override_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None
    ) = Field(
        default=None,
        description="A lawyer's reason to draft a petition for a file that fails the référé "
        "readiness criteria or has blockers (recorded in the audit trail and the document).",
    )


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    kind: DocumentKind
    version: int
    template_id: uuid.UUID | None = Field(description="null: the built-in template.")
    sha256: str
    size: int
    options: dict[str, object]
    exhibit_plan_hash: str = Field(
        description="The exhibits this draft cites (see `GET /cases/{id}/exhibits`, "
        "`plan_hash`); empty for drafts made before plans were recorded."
    )
    created_by_user_id: uuid.UUID
    created_at: datetime


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: DocumentKind
    version: int
    sha256: str
    size: int
    original_filename: str
    is_active: bool
    created_at: datetime


class TemplateKindRead(BaseModel):
    kind: DocumentKind
    uses_builtin: bool
    active: TemplateRead | None
    versions: list[TemplateRead]
