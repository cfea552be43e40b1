"""The JSON at the heart of a client's export, and its published JSON Schema.

Each record is the API's own read model, so the export says what the API says; files are
named by their path in the ZIP and their SHA-256. The schema is generated from these
models and kept in ``docs/schemas/client-export.schema.json`` (a test holds them equal).
"""

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.attempts.schemas import AttemptRead
from app.audit.schemas import AccessEntryRead, AuditEventRead
from app.cases.schemas import CaseRead, StageChangeRead
from app.clients.schemas import ClientRead
from app.contacts.schemas import ContactRead
from app.documents.schemas import DocumentRead
from app.evidence.schemas import EvidenceRead
from app.filings.schemas import FilingRead
from app.proceedings.schemas import ProceedingRead

FORMAT = "creneau.client-export/1"
SCHEMA_ID = "https://creneau.dev/schemas/client-export-1.json"


class ExportedFile(BaseModel):
    path: str = Field(description="Where the file is in the ZIP.")
    sha256: str
    size: int


class ExportedEvidence(EvidenceRead):
    file: ExportedFile | None = Field(description="null once erased.")


class ExportedDocument(DocumentRead):
    file: ExportedFile | None = Field(description="null once erased.")


class ExportedFiling(FilingRead):
    file: ExportedFile | None = Field(description="null once erased.")


class ExportedCase(BaseModel):
    case: CaseRead
    stage_changes: list[StageChangeRead]
    attempts: list[AttemptRead]
    contacts: list[ContactRead]
    proceedings: list[ProceedingRead]
    evidence: list[ExportedEvidence]
    documents: list[ExportedDocument]
    filings: list[ExportedFiling]


class ClientExport(BaseModel):
    """Everything Créneau holds about one client."""

    format: Literal["creneau.client-export/1"] = "creneau.client-export/1"
    export_id: uuid.UUID
    generated_at: datetime
    client: ClientRead
    cases: list[ExportedCase]
    audit: list[AuditEventRead] = Field(
        description="Changes made to the client, their cases and everything under them."
    )
    access: list[AccessEntryRead] = Field(
        description="Reads of the client's record and downloads of their files."
    )


def json_schema() -> dict[str, Any]:
    schema = ClientExport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID} | schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
