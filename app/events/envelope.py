"""An event as JSON: the Standard Webhooks envelope, the same in the feed and in deliveries."""

from typing import Any

from app.api import API_PREFIX
from app.config import Settings
from app.events.models import Event


def envelope(event: Event, settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(event.id),
        "position": event.position,
        "case_id": str(event.case_id) if event.case_id else None,
        "resource": {
            "type": event.resource_type,
            "id": event.resource_id,
            "version": event.resource_version,
            "url": settings.public_url(event.path.removeprefix(API_PREFIX)),
        },
    }
    facts = dict(event.data)
    if "download_path" in facts:
        facts["download_url"] = settings.public_url(
            facts.pop("download_path").removeprefix(API_PREFIX)
        )
    data["facts"] = facts
    return {"type": event.type, "timestamp": event.occurred_at.isoformat(), "data": data}
