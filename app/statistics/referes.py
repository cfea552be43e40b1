"""The firm's référés per préfecture and per tribunal: filed, outcomes, astreintes, and the
days from filing to the order and from the order to the appointment (nearest-rank
percentiles from window functions, the same on both databases)."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col

from app.cases.models import Case
from app.proceedings.models import Proceeding
from app.statistics.queries import ALL, SMALL, Filters, case_scope, days_between


def refere_figures(
    session: Session, *, where: ColumnElement[bool], filters: Filters
) -> dict[str, Any]:
    return refere_figures_by(session, group=ALL, where=where, filters=filters).get(
        "all", no_referes()
    )


def no_referes() -> dict[str, Any]:
    none = {"n": 0, "median_days": None, "p90_days": None, "small": True}
    return {
        "filed": 0,
        "outcomes": {},
        "astreintes_ordered": 0,
        "days_filing_to_order": none,
        "days_order_to_appointment": dict(none),
        "small": True,
    }


def refere_figures_by(
    session: Session, *, group: Any, where: ColumnElement[bool], filters: Filters
) -> dict[str, dict[str, Any]]:
    """Référés filed, their outcomes, astreintes and delays, by group."""
    key = group.label("grp")
    base = case_scope(
        sa.select().select_from(Proceeding).join(Case, col(Case.id) == col(Proceeding.case_id)),
        filters,
    ).where(where, col(Proceeding.filed_date).is_not(None))
    if filters.start is not None:
        base = base.where(col(Proceeding.filed_date) >= filters.start.date())
    if filters.end is not None:
        base = base.where(col(Proceeding.filed_date) < filters.end.date())
    result: dict[str, dict[str, Any]] = {}
    outcomes = session.execute(
        base.add_columns(key, col(Proceeding.outcome), func.count()).group_by(
            group, col(Proceeding.outcome)
        )
    ).all()
    for grp, outcome, n in outcomes:
        figures = result.setdefault(str(grp), no_referes())
        name = "pending" if outcome is None else str(getattr(outcome, "value", outcome))
        figures["outcomes"][name] = int(n)
        figures["filed"] += int(n)
        figures["small"] = figures["filed"] < SMALL
    astreintes = session.execute(
        base.add_columns(key, func.count())
        .where(col(Proceeding.astreinte_per_day_cents) > 0)
        .group_by(group)
    ).all()
    for grp, n in astreintes:
        result.setdefault(str(grp), no_referes())["astreintes_ordered"] = int(n)
    spans = (
        (
            "days_filing_to_order",
            days_between(
                session, later=col(Proceeding.decision_date), earlier=col(Proceeding.filed_date)
            ),
            col(Proceeding.decision_date).is_not(None),
        ),
        (
            "days_order_to_appointment",
            days_between(
                session, later=col(Proceeding.appointment_at), earlier=col(Proceeding.decision_date)
            ),
            col(Proceeding.appointment_at).is_not(None)
            & col(Proceeding.decision_date).is_not(None),
        ),
    )
    for name, days, present in spans:
        for grp, figures in _percentiles_by(
            session, base=base, key=key, days=days, present=present
        ).items():
            result.setdefault(grp, no_referes())[name] = figures
    return result


def _percentiles_by(
    session: Session, *, base: Any, key: Any, days: Any, present: Any
) -> dict[str, dict[str, Any]]:
    ranked = (
        base.add_columns(
            key,
            days.label("days"),
            func.row_number().over(partition_by=key, order_by=days).label("rn"),
            func.count().over(partition_by=key).label("n"),
        )
        .where(present)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            ranked.c.grp,
            func.max(ranked.c.n),
            func.max(sa.case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.days))),
            func.max(sa.case((ranked.c.rn == (9 * ranked.c.n + 9) // 10, ranked.c.days))),
        ).group_by(ranked.c.grp)
    ).all()
    return {
        str(grp): {
            "n": int(n),
            "median_days": round(float(med), 1),
            "p90_days": round(float(p90), 1),
            "small": int(n) < SMALL,
        }
        for grp, n, med, p90 in rows
    }
