import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ResourceRef(BaseModel):
    type: str
    id: str
    version: int | None = Field(
        description="The resource's version after the change, if it has one."
    )
    url: str = Field(description="Fetch the resource here (with your credential).")


class EventData(BaseModel):
    id: uuid.UUID = Field(description="The event's id; also `webhook-id` in deliveries.")
    position: int = Field(description="Its place in the feed: strictly increasing.")
    case_id: uuid.UUID | None
    resource: ResourceRef
    facts: dict[str, Any] = Field(
        description="Ids, kinds, dates and hashes: never a name or a free text."
    )


class EventRead(BaseModel):
    """The Standard Webhooks envelope, the same in the feed and in deliveries."""

    type: str = Field(examples=["document.generated"])
    timestamp: datetime
    data: EventData


class EventPage(BaseModel):
    items: list[EventRead]
    next_cursor: str = Field(
        description="Pass as `after` next time: the position after the last event returned "
        "(or the same cursor when nothing new came). Store it: it never skips an event."
    )
