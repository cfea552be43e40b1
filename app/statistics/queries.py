"""The firm's own figures per préfecture and per tribunal, computed by the database.

Every figure is a GROUP BY or a window function that runs the same on SQLite and PostgreSQL;
Python only turns hour buckets into the préfecture's wall-clock weekday and hour (SQLite has
no time zones) and assembles the answer. Only accepted attempts count (a client's submission
counts once the firm accepted it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col

from app.attempts.models import AttemptOutcome, BookingAttempt
from app.attempts.review import counts
from app.cases.models import Case, StageChange
from app.cases.stages import Stage
from app.contacts.models import PrefectureContact
from app.db import UTCDateTime
from app.prefectures.models import Prefecture
from app.proceedings.models import Proceeding

FAILED = ("no_slot", "error", "site_unavailable", "captcha_failed", "anef_error")
OUTCOMES = tuple(o.value for o in AttemptOutcome)
SMALL = 5  # figures from fewer cases or attempts than this are flagged, not hidden


@dataclass(frozen=True)
class Filters:
    start: datetime | None = None
    end: datetime | None = None
    procedure_code: str | None = None
    booking_channel: str | None = None


@dataclass
class Figures:
    attempts: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    refusal_rate: float | None = None
    clients: int = 0
    cases: int = 0
    heat: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    heat_failed: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    days_to_appointment: dict[str, dict[str, Any]] = field(default_factory=dict)
    referes: dict[str, Any] = field(default_factory=dict)


def _utc(value: Any) -> Any:
    """On PostgreSQL, an instant as a UTC timestamp, and a day as its midnight."""
    if getattr(value.type, "timezone", False) or isinstance(value.type, UTCDateTime):
        return func.timezone("UTC", value)
    return sa.cast(value, sa.DateTime)


def days_between(session: Session, *, later: Any, earlier: Any) -> ColumnElement[Any]:
    """Days between two instants or days (UTC), as a fraction."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", _utc(later) - _utc(earlier)) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _hour_bucket(session: Session, *, instant: Any) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' of an instant, in UTC (a string: SQLite's cheapest grouping key)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", instant), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", instant)


class _LocalHours:
    """UTC hour buckets to (weekday, hour) on a zone's wall clock, each converted once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[ZoneInfo, str], tuple[int, int]] = {}

    def __call__(self, zone: ZoneInfo, bucket: str) -> tuple[int, int]:
        found = self._seen.get((zone, bucket))
        if found is None:
            # Sliced, not strptime'd: a year of hours is 9 000 buckets per préfecture.
            utc = datetime(
                int(bucket[0:4]), int(bucket[5:7]), int(bucket[8:10]), int(bucket[11:13]),
                tzinfo=UTC,
            )  # fmt: skip
            local = utc.astimezone(zone)
            found = self._seen[(zone, bucket)] = (local.weekday(), local.hour)
        return found


def _attempt_scope(query: Any, filters: Filters) -> Any:
    query = query.where(counts(col(BookingAttempt.review_status)))
    if filters.start is not None:
        query = query.where(col(BookingAttempt.attempted_at) >= filters.start)
    if filters.end is not None:
        query = query.where(col(BookingAttempt.attempted_at) < filters.end)
    if filters.procedure_code:
        query = query.where(col(Case.procedure_code) == filters.procedure_code)
    if filters.booking_channel:
        query = query.where(col(Case.booking_channel) == filters.booking_channel)
    return query


def case_scope(query: Any, filters: Filters) -> Any:
    if filters.procedure_code:
        query = query.where(col(Case.procedure_code) == filters.procedure_code)
    if filters.booking_channel:
        query = query.where(col(Case.booking_channel) == filters.booking_channel)
    return query


ALL = sa.literal("all")


def attempt_figures(
    session: Session, *, where: ColumnElement[bool], filters: Filters, zone: ZoneInfo
) -> Figures:
    found = attempt_figures_by(
        session, group=ALL, where=where, filters=filters, zone_of=lambda _: zone
    )
    return found.get("all", Figures())


def attempt_figures_by(
    session: Session,
    *,
    group: Any,
    where: ColumnElement[bool],
    filters: Filters,
    zone_of: Callable[[str], ZoneInfo],
) -> dict[str, Figures]:
    """The attempt figures of each group (a préfecture, a tribunal…) in two queries."""
    joined = (
        sa.select()
        .select_from(BookingAttempt)
        .join(Case, col(Case.id) == col(BookingAttempt.case_id))
    )
    # Grouping by a constant costs SQLite a third more: one group needs no key at all.
    keys = [] if group is ALL else [group.label("grp")]
    groups = [] if group is ALL else [group]
    # One pass: per hour bucket (UTC; turned into local time below), a count per outcome.
    bucket = _hour_bucket(session, instant=col(BookingAttempt.attempted_at))
    outcome = col(BookingAttempt.outcome)
    per_outcome = [func.sum(sa.case((outcome == o, 1), else_=0)) for o in OUTCOMES]
    rows = session.execute(
        _attempt_scope(joined.add_columns(*keys, bucket, *per_outcome), filters)
        .where(where)
        .group_by(*groups, bucket)
    ).all()
    result: dict[str, Figures] = {}
    local_hours = _LocalHours()
    failed_columns = [i for i, o in enumerate(OUTCOMES) if o in FAILED]
    for row in rows:
        grp, hour, *counts = ("all", *row) if group is ALL else row
        figures = result.get(str(grp)) or result.setdefault(str(grp), Figures())
        totals = figures.outcomes
        for name, count in zip(OUTCOMES, counts, strict=True):
            if count:
                totals[name] = totals.get(name, 0) + int(count)
        weekday, local_hour = local_hours(zone_of(str(grp)), hour)
        figures.heat[weekday][local_hour] += sum(counts)
        figures.heat_failed[weekday][local_hour] += sum([counts[i] for i in failed_columns])
    for figures in result.values():
        figures.outcomes = dict(sorted(figures.outcomes.items()))
        figures.attempts = sum(figures.outcomes.values())
        failed = sum(n for o, n in figures.outcomes.items() if o in FAILED)
        figures.refusal_rate = failed / figures.attempts if figures.attempts else None
    people = session.execute(
        _attempt_scope(
            joined.add_columns(
                *keys,
                func.count(sa.distinct(col(Case.client_id))),
                func.count(sa.distinct(col(Case.id))),
            ),
            filters,
        )
        .where(where)
        .group_by(*groups)
    ).all()
    for row in people:
        grp, clients, cases = ("all", *row) if group is ALL else row
        if not cases:
            continue
        figures = result.setdefault(str(grp), Figures())
        figures.clients, figures.cases = int(clients), int(cases)
    return result


def _per_case(
    session: Session, *, where: ColumnElement[bool], filters: Filters, group: Any = ALL
) -> Any:
    """Each case that obtained its appointment: its route and the days it took."""
    first = (
        sa.select(
            col(BookingAttempt.case_id).label("case_id"),
            func.min(col(BookingAttempt.attempted_at)).label("first_at"),
        )
        .where(counts(col(BookingAttempt.review_status)))
        .group_by(col(BookingAttempt.case_id))
        .subquery()
    )
    obtained = (
        sa.select(
            col(StageChange.case_id).label("case_id"),
            func.min(col(StageChange.created_at)).label("obtained_at"),
        )
        .where(col(StageChange.to_stage) == Stage.appointment_obtained)
        .group_by(col(StageChange.case_id))
        .subquery()
    )
    has_refere = sa.exists().where(col(Proceeding.case_id) == col(Case.id))
    has_letter = sa.exists().where(col(PrefectureContact.case_id) == col(Case.id))
    route = sa.case((has_refere, "refere"), (has_letter, "letter"), else_="attempts")
    per_case = case_scope(
        sa.select(
            group.label("grp"),
            route.label("route"),
            days_between(session, later=obtained.c.obtained_at, earlier=first.c.first_at).label(
                "days"
            ),
        )
        .select_from(Case)
        .join(first, first.c.case_id == col(Case.id))
        .join(obtained, obtained.c.case_id == col(Case.id))
        .where(where),
        filters,
    ).subquery()
    return per_case


def days_series(
    session: Session, *, where: ColumnElement[bool], filters: Filters
) -> dict[str, list[float]]:
    per_case = _per_case(session, where=where, filters=filters)
    series: dict[str, list[float]] = {}
    for route, days in session.execute(sa.select(per_case.c.route, per_case.c.days)):
        series.setdefault(route, []).append(float(days))
    return series


def days_to_appointment(
    session: Session, *, where: ColumnElement[bool], filters: Filters
) -> dict[str, dict[str, Any]]:
    return days_to_appointment_by(session, group=ALL, where=where, filters=filters).get("all", {})


def days_to_appointment_by(
    session: Session, *, group: Any, where: ColumnElement[bool], filters: Filters
) -> dict[str, dict[str, dict[str, Any]]]:
    """Median and p90 days from a case's first attempt to the appointment, by group and route:
    after attempts alone, after a letter (a written request), after a référé. Nearest-rank
    percentiles from window functions, the same on both databases."""
    per_case = _per_case(session, where=where, filters=filters, group=group)
    parts = (per_case.c.grp, per_case.c.route)
    ranked = sa.select(
        *parts,
        per_case.c.days,
        func.row_number().over(partition_by=parts, order_by=per_case.c.days).label("rn"),
        func.count().over(partition_by=parts).label("n"),
    ).subquery()
    rows = session.execute(
        sa.select(
            ranked.c.grp,
            ranked.c.route,
            func.max(ranked.c.n),
            func.max(sa.case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.days))),
            func.max(sa.case((ranked.c.rn == (9 * ranked.c.n + 9) // 10, ranked.c.days))),
        ).group_by(ranked.c.grp, ranked.c.route)
    ).all()
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for grp, route, n, med, p90 in rows:
        result.setdefault(str(grp), {})[route] = {
            "n": int(n),
            "median_days": round(float(med), 1),
            "p90_days": round(float(p90), 1),
            "small": int(n) < SMALL,
        }
    return result


def prefecture_where(code: str | None) -> ColumnElement[bool]:
    return sa.true() if code is None else col(Case.department_code) == code


def tribunal_where(code: str) -> ColumnElement[bool]:
    codes = sa.select(col(Prefecture.department_code)).where(col(Prefecture.tribunal_code) == code)
    return col(Case.department_code).in_(codes)


def tribunal_of_case() -> Any:
    """The tribunal competent for a case's préfecture, as a column to group by."""
    return (
        sa.select(col(Prefecture.tribunal_code))
        .where(col(Prefecture.department_code) == col(Case.department_code))
        .scalar_subquery()
    )
