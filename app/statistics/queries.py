"""The firm's own figures per préfecture and per tribunal, computed by the database.

Every figure is a GROUP BY or a window function that runs the same on SQLite and PostgreSQL;
Python only turns hour buckets into the préfecture's wall-clock weekday and hour (SQLite has
no time zones) and assembles the answer. Only accepted attempts count (a client's submission
counts once the firm accepted it).
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col

from app.attempts.models import BookingAttempt, ReviewStatus
from app.cases.models import Case, StageChange
from app.cases.stages import Stage
from app.contacts.models import PrefectureContact
from app.db import UTCDateTime
from app.prefectures.models import Prefecture
from app.proceedings.models import Proceeding

FAILED = ("no_slot", "error", "site_unavailable")
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


def _days(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    """Days between two instants or days (UTC), as a fraction."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", _utc(later) - _utc(earlier)) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _hour_bucket(session: Session, instant: Any) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' of an instant, in UTC."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", instant), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", instant)


def _attempt_scope(query: Any, filters: Filters) -> Any:
    query = query.where(col(BookingAttempt.review_status) == ReviewStatus.accepted)
    if filters.start is not None:
        query = query.where(col(BookingAttempt.attempted_at) >= filters.start)
    if filters.end is not None:
        query = query.where(col(BookingAttempt.attempted_at) < filters.end)
    if filters.procedure_code:
        query = query.where(col(Case.procedure_code) == filters.procedure_code)
    if filters.booking_channel:
        query = query.where(col(Case.booking_channel) == filters.booking_channel)
    return query


def _case_scope(query: Any, filters: Filters) -> Any:
    if filters.procedure_code:
        query = query.where(col(Case.procedure_code) == filters.procedure_code)
    if filters.booking_channel:
        query = query.where(col(Case.booking_channel) == filters.booking_channel)
    return query


def attempt_figures(
    session: Session, where: ColumnElement[bool], filters: Filters, zone: ZoneInfo
) -> Figures:
    figures = Figures()
    joined = (
        sa.select()
        .select_from(BookingAttempt)
        .join(Case, col(Case.id) == col(BookingAttempt.case_id))
    )
    # One pass for the outcomes and the hour buckets (UTC; turned into local time below).
    bucket = _hour_bucket(session, col(BookingAttempt.attempted_at))
    rows = session.execute(
        _attempt_scope(
            joined.add_columns(bucket, col(BookingAttempt.outcome), func.count()), filters
        )
        .where(where)
        .group_by(bucket, col(BookingAttempt.outcome))
    ).all()
    outcomes: dict[str, int] = {}
    for hour, outcome, count in rows:
        name = str(outcome.value if hasattr(outcome, "value") else outcome)
        outcomes[name] = outcomes.get(name, 0) + int(count)
        local = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(zone)
        figures.heat[local.weekday()][local.hour] += int(count)
        if name in FAILED:
            figures.heat_failed[local.weekday()][local.hour] += int(count)
    figures.outcomes = dict(sorted(outcomes.items()))
    figures.attempts = sum(outcomes.values())
    failed = sum(n for o, n in outcomes.items() if o in FAILED)
    figures.refusal_rate = failed / figures.attempts if figures.attempts else None
    people = session.execute(
        _attempt_scope(
            joined.add_columns(
                func.count(sa.distinct(col(Case.client_id))), func.count(sa.distinct(col(Case.id)))
            ),
            filters,
        ).where(where)
    ).one()
    figures.clients, figures.cases = int(people[0]), int(people[1])
    return figures


def _per_case(session: Session, where: ColumnElement[bool], filters: Filters) -> Any:
    """Each case that obtained its appointment: its route and the days it took."""
    first = (
        sa.select(
            col(BookingAttempt.case_id).label("case_id"),
            func.min(col(BookingAttempt.attempted_at)).label("first_at"),
        )
        .where(col(BookingAttempt.review_status) == ReviewStatus.accepted)
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
    per_case = _case_scope(
        sa.select(
            route.label("route"),
            _days(session, obtained.c.obtained_at, first.c.first_at).label("days"),
        )
        .select_from(Case)
        .join(first, first.c.case_id == col(Case.id))
        .join(obtained, obtained.c.case_id == col(Case.id))
        .where(where),
        filters,
    ).subquery()
    return per_case


def days_series(
    session: Session, where: ColumnElement[bool], filters: Filters
) -> dict[str, list[float]]:
    per_case = _per_case(session, where, filters)
    series: dict[str, list[float]] = {}
    for route, days in session.execute(sa.select(per_case.c.route, per_case.c.days)):
        series.setdefault(route, []).append(float(days))
    return series


def days_to_appointment(
    session: Session, where: ColumnElement[bool], filters: Filters
) -> dict[str, dict[str, Any]]:
    """Median and p90 days from a case's first attempt to the appointment, by route: after
    attempts alone, after a letter (a written request), after a référé. Nearest-rank
    percentiles from window functions, the same on both databases."""
    per_case = _per_case(session, where, filters)
    ranked = sa.select(
        per_case.c.route,
        per_case.c.days,
        func.row_number().over(partition_by=per_case.c.route, order_by=per_case.c.days).label("rn"),
        func.count().over(partition_by=per_case.c.route).label("n"),
    ).subquery()
    rows = session.execute(
        sa.select(
            ranked.c.route,
            func.max(ranked.c.n),
            func.max(sa.case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.days))),
            func.max(sa.case((ranked.c.rn == (9 * ranked.c.n + 9) // 10, ranked.c.days))),
        ).group_by(ranked.c.route)
    ).all()
    return {
        r: {
            "n": int(n),
            "median_days": round(float(med), 1),
            "p90_days": round(float(p90), 1),
            "small": int(n) < SMALL,
        }
        for r, n, med, p90 in rows
    }


def refere_figures(
    session: Session, where: ColumnElement[bool], filters: Filters
) -> dict[str, Any]:
    base = _case_scope(
        sa.select().select_from(Proceeding).join(Case, col(Case.id) == col(Proceeding.case_id)),
        filters,
    ).where(where, col(Proceeding.filed_date).is_not(None))
    if filters.start is not None:
        base = base.where(col(Proceeding.filed_date) >= filters.start.date())
    if filters.end is not None:
        base = base.where(col(Proceeding.filed_date) < filters.end.date())
    outcomes = session.execute(
        base.add_columns(col(Proceeding.outcome), func.count()).group_by(col(Proceeding.outcome))
    ).all()
    filed = sum(int(n) for _, n in outcomes)
    astreintes = session.execute(
        base.add_columns(func.count()).where(col(Proceeding.astreinte_per_day_cents) > 0)
    ).scalar_one()
    to_order = _percentiles(
        session,
        base,
        _days(session, col(Proceeding.decision_date), col(Proceeding.filed_date)),
        col(Proceeding.decision_date).is_not(None),
    )
    to_appointment = _percentiles(
        session,
        base,
        _days(session, col(Proceeding.appointment_at), col(Proceeding.decision_date)),
        col(Proceeding.appointment_at).is_not(None) & col(Proceeding.decision_date).is_not(None),
    )
    return {
        "filed": filed,
        "outcomes": {
            (o.value if hasattr(o, "value") else str(o)) if o is not None else "pending": int(n)
            for o, n in outcomes
        },
        "astreintes_ordered": int(astreintes),
        "days_filing_to_order": to_order,
        "days_order_to_appointment": to_appointment,
        "small": filed < SMALL,
    }


def _percentiles(session: Session, base: Any, days: Any, present: Any) -> dict[str, Any]:
    ranked = (
        base.add_columns(
            days.label("days"),
            func.row_number().over(order_by=days).label("rn"),
            func.count().over().label("n"),
        )
        .where(present)
        .subquery()
    )
    n, med, p90 = session.execute(
        sa.select(
            func.max(ranked.c.n),
            func.max(sa.case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.days))),
            func.max(sa.case((ranked.c.rn == (9 * ranked.c.n + 9) // 10, ranked.c.days))),
        )
    ).one()
    if not n:
        return {"n": 0, "median_days": None, "p90_days": None, "small": True}
    return {
        "n": int(n),
        "median_days": round(float(med), 1),
        "p90_days": round(float(p90), 1),
        "small": int(n) < SMALL,
    }


def prefecture_where(code: str | None) -> ColumnElement[bool]:
    return sa.true() if code is None else col(Case.department_code) == code


def tribunal_where(code: str) -> ColumnElement[bool]:
    codes = sa.select(col(Prefecture.department_code)).where(col(Prefecture.tribunal_code) == code)
    return col(Case.department_code).in_(codes)


def case_ids(session: Session, where: ColumnElement[bool], filters: Filters) -> list[uuid.UUID]:
    return list(
        session.execute(_case_scope(sa.select(col(Case.id)), filters).where(where)).scalars()
    )
