import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from app.bodies import ExternalRef, PatchBody, StrictBody
from app.cases.models import AesMotif, BookingChannel, UrgencyKind
from app.cases.stages import Stage

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Site = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class UrgencyFactIn(StrictBody):
    kind: UrgencyKind
    fact_date: date = Field(description="The date that makes it urgent (expiry, deadline…).")
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
    evidence_ref: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None
    ) = None
    evidence_id: uuid.UUID | None = Field(
        default=None,
        description="The evidence of this case that proves the fact: the petition cites its "
        "exhibit number.",
    )


class UrgencyFactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: UrgencyKind
    fact_date: date
    description: str
    evidence_ref: str | None
    evidence_id: uuid.UUID | None


class CaseCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "client_id": "3f0c2a9e-5b1d-4c7e-9a2f-1d2e3f4a5b6c",
                    "department_code": "93",
                    "procedure_code": "aes_vie_privee",
                    "aes_motif": "vie_privee_familiale",
                    "booking_channel": "rdv_prefecture",
                    "booking_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1234/",
                    "urgency_facts": [
                        {
                            "kind": "employment",
                            "fact_date": "2026-12-15",
                            "description": "Promesse d'embauche caduque au 15 décembre",
                        }
                    ],
                }
            ]
        }
    )

    client_id: uuid.UUID
    department_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=3)] = Field(
        description="The préfecture, by département code (`93`, `2A`, `1`)."
    )
    site: Site = Field(default="", description="A sous-préfecture, if the file is handled there.")
    procedure_code: Code
    is_renewal: bool = False
    booking_channel: BookingChannel
    booking_url: AnyHttpUrl | None = None
    aes_motif: AesMotif | None = Field(
        default=None,
        description="Admission exceptionnelle au séjour (L. 435-1): the motif invoked; required "
        "for that procedure, refused for others.",
    )
    file_complete: bool = Field(
        default=False, description="The client's file for the préfecture is complete."
    )
    assigned_lawyer_id: uuid.UUID | None = None
    assigned_paralegal_id: uuid.UUID | None = None
    urgency_facts: Annotated[list[UrgencyFactIn], Field(max_length=50)] = Field(
        default_factory=list
    )
    external_ref: ExternalRef | None = None


class CaseUpdate(PatchBody):
    clearable = frozenset(
        {
            "booking_url",
            "assigned_lawyer_id",
            "assigned_paralegal_id",
            "outcome",
            "aes_motif",
            "external_ref",
        }
    )

    site: Site | None = None
    procedure_code: Code | None = None
    is_renewal: bool | None = None
    booking_channel: BookingChannel | None = None
    booking_url: AnyHttpUrl | None = None
    aes_motif: AesMotif | None = None
    file_complete: bool | None = None
    assigned_lawyer_id: uuid.UUID | None = None
    assigned_paralegal_id: uuid.UUID | None = None
    outcome: Note | None = None
    urgency_facts: Annotated[list[UrgencyFactIn], Field(max_length=50)] | None = Field(
        default=None, description="Replaces the whole list."
    )
    external_ref: ExternalRef | None = None


class ClientSummary(BaseModel):
    id: uuid.UUID
    civility: str
    last_name: str
    first_names: str


class CaseRead(BaseModel):
    id: uuid.UUID
    reference: str = Field(examples=["CRN-2026-00042"])
    client: ClientSummary
    department_code: str
    tribunal_code: str
    site: str
    procedure_code: str
    is_renewal: bool
    booking_channel: BookingChannel
    booking_url: str | None
    aes_motif: AesMotif | None
    file_complete: bool
    assigned_lawyer_id: uuid.UUID | None
    assigned_paralegal_id: uuid.UUID | None
    stage: Stage
    closed_reason: str | None
    outcome: str | None
    urgency_facts: list[UrgencyFactRead]
    external_ref: str | None
    legal_hold_reason: str | None = Field(
        default=None, description="Set by a lawyer: while held, the case is never erased."
    )
    legal_hold_at: datetime | None = None
    opened_at: datetime
    closed_at: datetime | None
    updated_at: datetime = Field(
        description="Moves with every change to the case or under it (attempts, evidence, "
        "contacts, proceedings, documents, filings, stage), and to its client's name."
    )
    version: int


class StageChangeCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"to_stage": "prefecture_contact", "note": "Lettre recommandée envoyée le 2 mars"}
            ]
        }
    )

    to_stage: Stage
    note: Note = Field(default="", description="Required when closing: the reason.")
    override_reason: Note | None = Field(
        default=None,
        description="A lawyer's reason to move on although the readiness criteria are not met.",
    )


class StageChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_stage: Stage
    to_stage: Stage
    note: str
    override_reason: str | None
    actor_user_id: uuid.UUID
    actor_api_key_id: uuid.UUID | None
    created_at: datetime
