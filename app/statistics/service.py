"""Statistics per préfecture and per tribunal, assembled from the database's aggregates."""

from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.cases.stages import Stage
from app.clock import PARIS
from app.prefectures import service as reference
from app.prefectures.models import Prefecture, Tribunal
from app.readiness.service import ReadinessGuard
from app.statistics import queries, referes
from app.statistics.queries import SMALL, Filters


def _ready_share(
    session: Session, *, where: Any, filters: Filters, guard: ReadinessGuard
) -> dict[str, Any]:
    """Open files that meet the référé criteria: the readiness rules, case by case (Python,
    not SQL), so only on request."""
    open_cases = list(
        session.exec(
            queries.case_scope(select(Case), filters).where(
                where, col(Case.stage).in_([Stage.attempts, Stage.prefecture_contact])
            )
        )
    )
    ready = guard.ready(session, open_cases, Stage.interim_relief) if open_cases else set()
    return {
        "open_cases": len(open_cases),
        "ready_for_refere_share": round(len(ready) / len(open_cases), 4) if open_cases else None,
    }


def _assemble(
    figures: queries.Figures, days: dict[str, Any], referes: dict[str, Any]
) -> dict[str, Any]:
    rate_by_slot = [
        [
            round(figures.heat_failed[d][h] / figures.heat[d][h], 3) if figures.heat[d][h] else None
            for h in range(24)
        ]
        for d in range(7)
    ]
    rate = figures.refusal_rate
    return {
        "attempts": figures.attempts,
        "outcomes": figures.outcomes,
        "refusal_rate": None if rate is None else round(rate, 4),
        "clients": figures.clients,
        "cases": figures.cases,
        "small": figures.cases < SMALL,
        "attempts_by_weekday_hour": figures.heat,
        "refusal_rate_by_weekday_hour": rate_by_slot,
        "days_to_appointment": days,
        "referes": referes,
    }


def _figures(
    session: Session,
    *,
    where: Any,
    filters: Filters,
    zone: ZoneInfo,
    guard: ReadinessGuard | None,
) -> dict[str, Any]:
    figures = _assemble(
        queries.attempt_figures(session, where=where, filters=filters, zone=zone),
        queries.days_to_appointment(session, where=where, filters=filters),
        referes.refere_figures(session, where=where, filters=filters),
    )
    if guard is not None:
        figures |= _ready_share(session, where=where, filters=filters, guard=guard)
    return figures


def prefecture(
    session: Session, *, code: str, filters: Filters, guard: ReadinessGuard | None
) -> dict[str, Any]:
    found = reference.get_prefecture(session, raw_code=code)
    where = queries.prefecture_where(found.department_code)
    return {
        "department_code": found.department_code,
        "name": f"préfecture {found.department_of}",
        "time_zone": found.time_zone,
        **_figures(session, where=where, filters=filters, zone=found.zone, guard=guard),
    }


def _grouped(
    session: Session,
    *,
    group: Any,
    filters: Filters,
    zones: dict[str, ZoneInfo],
) -> dict[str, dict[str, Any]]:
    """Every group's figures from one pass of each query (a list costs what one item does)."""
    paris = PARIS
    everywhere = sa.true()
    attempts = queries.attempt_figures_by(
        session,
        group=group,
        where=everywhere,
        filters=filters,
        zone_of=lambda key: zones.get(key, paris),
    )
    days = queries.days_to_appointment_by(session, group=group, where=everywhere, filters=filters)
    filed = referes.refere_figures_by(session, group=group, where=everywhere, filters=filters)
    return {
        key: _assemble(figures, days.get(key, {}), filed.get(key, referes.no_referes()))
        for key, figures in attempts.items()
    }


def _empty() -> dict[str, Any]:
    return _assemble(queries.Figures(), {}, referes.no_referes())


def prefectures(
    session: Session, *, filters: Filters, guard: ReadinessGuard | None
) -> list[dict[str, Any]]:
    """Every préfecture the firm has files at."""
    known = {p.department_code: p for p in session.exec(select(Prefecture))}
    zones = {code: p.zone for code, p in known.items()}
    grouped = _grouped(session, group=col(Case.department_code), filters=filters, zones=zones)
    result = []
    for code in sorted(set(session.exec(select(Case.department_code).distinct()))):
        found = known[code]
        figures = grouped.get(code) or _empty()
        if guard is not None:
            figures |= _ready_share(
                session, where=queries.prefecture_where(code), filters=filters, guard=guard
            )
        name = f"préfecture {found.department_of}"
        result.append(
            {"department_code": code, "name": name, "time_zone": found.time_zone, **figures}
        )
    return result


def tribunal(
    session: Session, *, code: str, filters: Filters, guard: ReadinessGuard | None
) -> dict[str, Any]:
    found = reference.get_tribunal(session, code=code)
    zones = {
        p.time_zone
        for p in session.exec(select(Prefecture).where(Prefecture.tribunal_code == found.code))
    }
    zone = ZoneInfo(zones.pop()) if len(zones) == 1 else PARIS
    where = queries.tribunal_where(found.code)
    return {
        "tribunal_code": found.code,
        "name": found.name,
        **_figures(session, where=where, filters=filters, zone=zone, guard=guard),
    }


def tribunals(
    session: Session, *, filters: Filters, guard: ReadinessGuard | None
) -> list[dict[str, Any]]:
    """The same, per tribunal administratif the firm's files go to."""
    seats: dict[str, set[str]] = {}
    for p in session.exec(select(Prefecture)):
        seats.setdefault(p.tribunal_code, set()).add(p.time_zone)
    paris = PARIS
    zones = {code: ZoneInfo(z.pop()) if len(z) == 1 else paris for code, z in seats.items()}
    grouped = _grouped(session, group=queries.tribunal_of_case(), filters=filters, zones=zones)
    used = set(session.exec(select(Case.department_code).distinct()))
    courts = select(Prefecture.tribunal_code).where(col(Prefecture.department_code).in_(used))
    names = {t.code: t.name for t in session.exec(select(Tribunal))}
    result = []
    for code in sorted(set(session.exec(courts))):
        figures = grouped.get(code) or _empty()
        if guard is not None:
            figures |= _ready_share(
                session, where=queries.tribunal_where(code), filters=filters, guard=guard
            )
        result.append({"tribunal_code": code, "name": names.get(code, code), **figures})
    return result
