import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import TypeAdapter

from app import clock
from app.agenda import ics, service, timeline
from app.agenda.deadlines import Deadline, DeadlineKind
from app.agenda.schemas import (
    DeadlineRead,
    FeedTokenRead,
    NextActionRead,
    NextActionsRead,
    TimelineItem,
)
from app.api import API_PREFIX
from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.bodies import EARLIEST_YEAR, LATEST_YEAR
from app.cases.dependencies import CaseDep
from app.db import SessionDep, utcnow
from app.errors import invalid_fields, problem_responses
from app.pagination import Page, PageParams, paginate_sorted

cases_router = APIRouter(prefix="/cases/{case_id}", tags=["agenda"])
agenda_router = APIRouter(tags=["agenda"])

CaseReader = Annotated[Principal, require(Permission.cases_read)]
AgendaReader = Annotated[Principal, require(Permission.agenda_read)]
FIRST_DAY, LAST_DAY = date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)
MAX_SPAN = timedelta(days=366)
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=365)
CALENDAR: dict[int | str, dict[str, Any]] = {200: {"content": {"text/calendar": {}}}}


def _read(deadline: Deadline) -> DeadlineRead:
    return DeadlineRead(
        kind=deadline.kind,
        due_date=deadline.due_date,
        at=deadline.at,
        case_id=deadline.case_id,
        reference=deadline.reference,
        title=deadline.title,
        source_type=deadline.source_type,
        source_id=deadline.source_id,
        details=deadline.details,
    )


@cases_router.get(
    "/next-actions",
    summary="What to do next on this file, and its deadlines",
    responses=problem_responses(401, 403, 404),
)
def read_next_actions(
    request: Request, session: SessionDep, actor: CaseReader, case: CaseDep
) -> NextActionsRead:
    actions, deadlines = service.case_next_actions(
        session, case=case, policy=request.app.state.settings.policy
    )
    return NextActionsRead(
        case_id=case.id,
        actions=[NextActionRead(code=a.code, title=a.title, due_date=a.due_date) for a in actions],
        deadlines=[_read(d) for d in deadlines],
    )


@cases_router.get(
    "/timeline",
    summary="Every dated fact of the file, oldest first",
    responses=problem_responses(401, 403, 404),
)
def read_timeline(
    session: SessionDep, *, actor: CaseReader, case: CaseDep, page: PageParams
) -> Page[TimelineItem]:
    items, cursor = paginate_sorted(
        timeline.case_timeline(session, case=case),
        lambda item: f"{item.kind}:{item.source_type}:{item.source_id}",
        page,
    )
    return Page(items=items, next_cursor=cursor)


# Thousands of deadlines: serialised straight from the dataclasses in one pass, rather
# than built into response models and validated again (same shape as DeadlineRead).
DEADLINES_JSON = TypeAdapter(list[Deadline])


@agenda_router.get(
    "/agenda",
    response_model=list[DeadlineRead],
    summary="The firm's deadlines between two dates",
    description="Open files only. Dates are Paris calendar dates; `from` defaults to today and "
    "`to` to 30 days later, at most 366 days apart.",
    responses=problem_responses(401, 403, 422),
)
def read_agenda(
    request: Request,
    session: SessionDep,
    actor: AgendaReader,
    start: Annotated[date | None, Query(alias="from", ge=FIRST_DAY, le=LAST_DAY)] = None,
    end: Annotated[date | None, Query(alias="to", ge=FIRST_DAY, le=LAST_DAY)] = None,
    lawyer_id: uuid.UUID | None = None,
    kind: Annotated[list[DeadlineKind] | None, Query(description="Repeat for several.")] = None,
) -> Response:
    start = start or clock.today()
    end = end or start + timedelta(days=30)
    if end < start or end - start > MAX_SPAN:
        raise invalid_fields([("to", "must be on or after 'from', at most 366 days later")])
    found = service.agenda(
        session,
        policy=request.app.state.settings.policy,
        start=start,
        end=end,
        lawyer_id=lawyer_id,
        kinds=set(kind) if kind else None,
    )
    return Response(DEADLINES_JSON.dump_json(found), media_type="application/json")


@agenda_router.post(
    "/agenda/feed-token",
    status_code=201,
    summary="Create (or rotate) your calendar feed address",
    responses=problem_responses(401, 403),
)
def rotate_feed_token(
    request: Request, session: SessionDep, actor: AgendaReader, response: Response
) -> FeedTokenRead:
    token = service.rotate_feed_token(session, actor=actor)
    url = request.app.state.settings.public_url(f"/agenda.ics?token={token}")
    response.headers["Location"] = f"{API_PREFIX}/agenda.ics"  # the token stays out of headers
    return FeedTokenRead(token=token, url=url)


@agenda_router.get(
    "/agenda.ics",
    summary="Your deadlines as an iCalendar feed (RFC 5545)",
    description="Authenticated by the `token` of `POST /agenda/feed-token`, since calendar "
    "applications cannot send headers. Events name the case reference, never the client.",
    response_class=Response,
    responses=CALENDAR | problem_responses(401),
)
def read_agenda_feed(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Query(min_length=1, max_length=200)],
) -> Response:
    owner = service.feed_owner(session, token=token)
    today = clock.today()
    lawyer_id, paralegal_id = service.feed_filters(owner)
    found = service.agenda(
        session,
        policy=request.app.state.settings.policy,
        start=today - FEED_PAST,
        end=today + FEED_FUTURE,
        lawyer_id=lawyer_id,
        paralegal_id=paralegal_id,
    )
    body = ics.render(
        found,
        now=utcnow(),
        name="Créneau — échéances",
        case_url=request.app.state.settings.public_url("/cases/{case_id}"),
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


@agenda_router.head(
    "/agenda.ics",
    summary="Check the calendar feed (calendar applications do before subscribing)",
    response_class=Response,
    responses=CALENDAR | problem_responses(401),
)
def check_agenda_feed(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Query(min_length=1, max_length=200)],
) -> Response:
    full = read_agenda_feed(request, session, token)
    headers = {
        "Cache-Control": full.headers["cache-control"],
        "Content-Length": str(len(full.body)),
    }
    return Response(headers=headers, media_type=full.media_type)
