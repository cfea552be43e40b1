import csv
import io
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.models import BookingChannel
from app.db import SessionDep
from app.errors import problem_responses
from app.readiness.service import ReadinessGuard
from app.statistics import charts, queries, service
from app.statistics.queries import Filters
from app.statistics.schemas import PrefectureStatistics, TribunalStatistics

router = APIRouter(prefix="/statistics", tags=["statistics"])
Reader = Annotated[Principal, require(Permission.statistics_read)]


def _json_or_csv(model: Any) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "model": model,
            "description": "JSON, or CSV with `Accept: text/csv` (one row per figure).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }


IMAGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The chart.",
        "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _filters(
    start: Annotated[
        AwareDatetime | None, Query(alias="from", description="Start (inclusive).")
    ] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to", description="End (exclusive).")] = None,
    procedure: Annotated[str | None, Query(max_length=60)] = None,
    booking_channel: BookingChannel | None = None,
) -> Filters:
    return Filters(start=start, end=end, procedure_code=procedure, booking_channel=booking_channel)


def _rows(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """A nested figure flattened to (name, value) rows for a spreadsheet."""
    if isinstance(value, dict):
        return [row for key, inner in value.items() for row in _rows(f"{prefix}.{key}", inner)]
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [
            (f"{prefix}.{charts.WEEKDAYS[d]}.{h:02d}h", cell)
            for d, line in enumerate(value)
            for h, cell in enumerate(line)
        ]
    return [(prefix.lstrip("."), value)]


Readiness = Annotated[
    bool,
    Query(
        description="Also the share of open files ready for a référé (the readiness rules "
        "run on each file: slower)."
    ),
]

External = Annotated[
    bool,
    Query(description="CSV meant to leave the firm: counts under the firm's threshold blanked."),
]


@dataclass(frozen=True)
class Options:
    """How the caller wants the figures: with the readiness share, for outside the firm."""

    guard: ReadinessGuard | None
    external: bool
    min_count: int


def _options(request: Request, external: External = False, readiness: Readiness = False) -> Options:
    settings = request.app.state.settings
    guard = request.app.state.stage_guard if readiness else None
    return Options(guard, external, settings.policy.statistics_min_count)


def _answer(request: Request, body: Any, options: Options) -> Response:
    if "text/csv" not in request.headers.get("accept", ""):
        return JSONResponse(body)
    items = body if isinstance(body, list) else [body]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["scope", "figure", "value"])
    for item in items:
        scope = item.get("department_code") or item.get("tribunal_code")
        for name, value in _rows("", {k: v for k, v in item.items() if k not in ("name",)}):
            if (
                options.external
                and isinstance(value, int)
                and not isinstance(value, bool)
                and 0 < value < options.min_count
            ):
                value = ""  # small counts never leave the firm
            writer.writerow([scope, name, value])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


@router.get(
    "/prefectures",
    summary="Figures for every préfecture the firm has files at",
    responses=_json_or_csv(list[PrefectureStatistics]) | problem_responses(401, 403, 422),
)
def list_prefecture_statistics(
    request: Request,
    session: SessionDep,
    actor: Reader,
    filters: Annotated[Filters, Depends(_filters)],
    options: Annotated[Options, Depends(_options)],
) -> Any:
    return _answer(
        request, service.prefectures(session, filters=filters, guard=options.guard), options
    )


@router.get(
    "/prefectures/{department_code}",
    summary="Figures for one préfecture: attempts, refusals by weekday and hour, delays, référés",
    responses=_json_or_csv(PrefectureStatistics) | problem_responses(401, 403, 404, 422),
)
def get_prefecture_statistics(
    request: Request,
    session: SessionDep,
    actor: Reader,
    department_code: str,
    filters: Annotated[Filters, Depends(_filters)],
    options: Annotated[Options, Depends(_options)],
) -> Any:
    return _answer(
        request,
        service.prefecture(session, code=department_code, filters=filters, guard=options.guard),
        options,
    )


@router.get(
    "/tribunals",
    summary="The same figures per tribunal administratif",
    responses=_json_or_csv(list[TribunalStatistics]) | problem_responses(401, 403, 422),
)
def list_tribunal_statistics(
    request: Request,
    session: SessionDep,
    actor: Reader,
    filters: Annotated[Filters, Depends(_filters)],
    options: Annotated[Options, Depends(_options)],
) -> Any:
    return _answer(
        request, service.tribunals(session, filters=filters, guard=options.guard), options
    )


@router.get(
    "/prefectures/{department_code}/charts/{name}.{extension}",
    summary="A chart: `refusals` (weekday by hour), `days-to-appointment`, `refere-outcomes`",
    response_class=Response,
    responses=IMAGE_RESPONSE | problem_responses(401, 403, 404, 422),
)
def get_prefecture_chart(
    request: Request,
    session: SessionDep,
    actor: Reader,
    department_code: str,
    name: Literal["refusals", "days-to-appointment", "refere-outcomes"],
    extension: Literal["png", "svg"],
    filters: Annotated[Filters, Depends(_filters)],
) -> Response:
    body = service.prefecture(session, code=department_code, filters=filters, guard=None)
    period = _period(filters)
    if name == "refusals":
        title = f"Refus par jour et heure — {body['name']} — {period} — n = {body['attempts']}"
        image = charts.heat_map(body["refusal_rate_by_weekday_hour"],
                                body["attempts_by_weekday_hour"], title, extension)  # fmt: skip
    elif name == "days-to-appointment":
        series = queries.days_series(session,
                                     where=queries.prefecture_where(body["department_code"]),
                                     filters=filters)  # fmt: skip
        count = sum(len(v) for v in series.values())
        title = f"Délai jusqu'au rendez-vous — {body['name']} — {period} — n = {count}"
        image = charts.cumulative_days(series, title, extension)
    else:
        referes = body["referes"]
        title = f"Issue des référés — {body['name']} — {period} — n = {referes['filed']}"
        image = charts.refere_outcomes(referes["outcomes"], title, extension)
    media = "image/png" if extension == "png" else "image/svg+xml"
    return Response(image, media_type=media, headers={"Cache-Control": "private, no-store"})


def _period(filters: Filters) -> str:
    if filters.start and filters.end:
        return f"du {filters.start.date():%d/%m/%Y} au {filters.end.date():%d/%m/%Y}"
    if filters.start:
        return f"depuis le {filters.start.date():%d/%m/%Y}"
    if filters.end:
        return f"jusqu'au {filters.end.date():%d/%m/%Y}"
    return "toute la période"
