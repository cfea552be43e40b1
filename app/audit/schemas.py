import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    actor_api_key_id: uuid.UUID | None
    action: str
    resource_type: str
    resource_id: str
    request_id: str | None
    details: dict[str, Any]


class AccessEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    client_id: uuid.UUID
    actor_user_id: uuid.UUID | None
    actor_api_key_id: uuid.UUID | None
    via: str = Field(description="`credential` (a user or an API key) or `signed_link`.")
    action: str = Field(
        examples=["client.read"],
        description="`client.read`, `client.list` (the client was in a page of clients), "
        "`evidence.download`, `document.download`, "
        "`bundle.download`, `filing.download` or `export.download`.",
    )
    resource_type: str
    resource_id: str
    request_id: str | None
