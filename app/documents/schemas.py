import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.bodies import StrictBody
from app.clients.schemas import PastDate
from app.documents.models import DocumentKind


class OqtfStatement(StrictBody):
    """Why an unexecuted OQTF does not stand in the way: printed in the petition."""

    date: PastDate | None = Field(default=None, description="Day the OQTF was issued.")
    ground: Literal["lapsed", "contested", "other"] = Field(
        description="`lapsed`: no longer enforceable; `contested`: a court challenge is "
        "pending; `other`: the statement says why."
    )
    statement: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        default="", description="The lawyer's own sentence(s); required with `other`."
    )

    @model_validator(mode="after")
    def _other_needs_words(self) -> "OqtfStatement":
        if self.ground == "other" and not self.statement:
            raise ValueError("give the statement that explains why the OQTF does not apply")
        return self


class DocumentCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "interim_relief_petition", "delay_days": 15, "astreinte_cents": 10000}
            ]
        }
    )

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
    firm_statistics: bool = Field(
        default=False,
        description="Letters and petitions: add a paragraph of the firm's own figures for this "
        "préfecture over the last 12 months (attempts, people, refusal rate), when enough "
        "people are behind them; never naming anyone.",
    )
    override_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None
    ) = Field(
        default=None,
        description="A lawyer's reason to draft a petition for a file that fails the référé "
        "readiness criteria or has blockers (recorded in the audit trail and the document).",
    )
    oqtf: OqtfStatement | None = Field(
        default=None,
        description="Required to draft a petition despite an unexecuted OQTF: the petition "
        "carries a paragraph on it.",
    )
    contact_id: uuid.UUID | None = Field(
        default=None,
        description="Letters: the request this letter is, once recorded; it is never cited as a "
        "past request (nor is any request dated today or later).",
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


class DocumentLinkCreate(StrictBody):
    expires_in_seconds: int = Field(default=900, ge=60, le=86400)


class DocumentLinkRead(BaseModel):
    url: str = Field(description="Opens the .docx without a credential until `expires_at`.")
    expires_at: datetime
