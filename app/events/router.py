import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.db import SessionDep
from app.errors import problem_responses
from app.events import service
from app.events.envelope import envelope
from app.events.schemas import EventPage, EventRead
from app.events.types import EVENT_TYPES
from app.pagination import LimitQuery, decode_cursor, encode_cursor

router = APIRouter(prefix="/events", tags=["integrations"])
Reader = Annotated[Principal, require(Permission.events_read)]


@router.get(
    "",
    summary="The change feed: every event after a cursor, in commit order",
    description="Start without `after`, then pass back `next_cursor`: a consumer that stores "
    "its cursor never misses an event and never reads one twice, however many processes write. "
    f"Types: {', '.join(EVENT_TYPES)}. Events are kept 90 days by default (firm policy).",
    responses=problem_responses(400, 401, 403, 422),
)
def list_events(
    request: Request,
    session: SessionDep,
    actor: Reader,
    after: Annotated[str | None, Query(max_length=64, description="A `next_cursor`.")] = None,
    types: Annotated[list[str] | None, Query(description="Repeat for several.")] = None,
    case_id: uuid.UUID | None = None,
    limit: LimitQuery = 100,
) -> EventPage:
    position = decode_cursor(after, int)[0] if after else 0
    # Events nobody numbered yet (no worker running, or a burst) are numbered now, apart.
    service.number_now(request.app.state.session_factory)
    found = service.feed(session, after=position, limit=limit, types=types, case_id=case_id)
    settings = request.app.state.settings
    items = [EventRead.model_validate(envelope(event, settings)) for event in found]
    last = found[-1].position if found else position
    return EventPage(items=items, next_cursor=encode_cursor([last]))
