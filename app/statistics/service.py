"""Statistics per préfecture and per tribunal, assembled from the database's aggregates."""

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.cases.models import Case
from app.cases.stages import Stage
from app.prefectures import service as reference
from app.prefectures.models import Prefecture
from app.readiness.service import ReadinessGuard
from app.statistics import queries
from app.statistics.queries import SMALL, Filters


def _ready_share(
    session: Session, where: Any, filters: Filters, guard: ReadinessGuard
) -> dict[str, Any]:
    """Open files that meet the référé criteria: the readiness rules, case by case (Python,
    not SQL), so only on request."""
    open_cases = list(
        session.exec(
            queries._case_scope(select(Case), filters).where(
                where, col(Case.stage).in_([Stage.attempts, Stage.prefecture_contact])
            )
        )
    )
    ready = guard.ready(session, open_cases, Stage.interim_relief) if open_cases else set()
    return {
        "open_cases": len(open_cases),
        "ready_for_refere_share": round(len(ready) / len(open_cases), 4) if open_cases else None,
    }


def _figures(
    session: Session,
    where: Any,
    filters: Filters,
    zone: ZoneInfo,
    guard: ReadinessGuard | None,
) -> dict[str, Any]:
    figures = queries.attempt_figures(session, where, filters, zone)
    rate_by_slot = [
        [
            round(figures.heat_failed[d][h] / figures.heat[d][h], 3) if figures.heat[d][h] else None
            for h in range(24)
        ]
        for d in range(7)
    ]
    return {
        "attempts": figures.attempts,
        "outcomes": figures.outcomes,
        "refusal_rate": round(figures.refusal_rate, 4)
        if figures.refusal_rate is not None
        else None,
        "clients": figures.clients,
        "cases": figures.cases,
        "small": figures.cases < SMALL,
        "attempts_by_weekday_hour": figures.heat,
        "refusal_rate_by_weekday_hour": rate_by_slot,
        "days_to_appointment": queries.days_to_appointment(session, where, filters),
        "referes": queries.refere_figures(session, where, filters),
        **(_ready_share(session, where, filters, guard) if guard is not None else {}),
    }


def prefecture(
    session: Session, code: str, filters: Filters, guard: ReadinessGuard | None
) -> dict[str, Any]:
    found = reference.get_prefecture(session, code)
    where = queries.prefecture_where(found.department_code)
    return {
        "department_code": found.department_code,
        "name": f"préfecture {found.department_of}",
        "time_zone": found.time_zone,
        **_figures(session, where, filters, found.zone, guard),
    }


def prefectures(
    session: Session, filters: Filters, guard: ReadinessGuard | None
) -> list[dict[str, Any]]:
    """Every préfecture the firm has files at."""
    codes = sorted(set(session.exec(select(Case.department_code).distinct())))
    return [prefecture(session, code, filters, guard) for code in codes]


def tribunal(
    session: Session, code: str, filters: Filters, guard: ReadinessGuard | None
) -> dict[str, Any]:
    found = reference.get_tribunal(session, code)
    zones = {
        p.time_zone
        for p in session.exec(select(Prefecture).where(Prefecture.tribunal_code == found.code))
    }
    zone = ZoneInfo(zones.pop()) if len(zones) == 1 else ZoneInfo("Europe/Paris")
    where = queries.tribunal_where(found.code)
    return {
        "tribunal_code": found.code,
        "name": found.name,
        **_figures(session, where, filters, zone, guard),
    }


def tribunals(
    session: Session, filters: Filters, guard: ReadinessGuard | None
) -> list[dict[str, Any]]:
    used = set(session.exec(select(Case.department_code).distinct()))
    codes = sorted(
        {p.tribunal_code for p in session.exec(select(Prefecture)) if p.department_code in used}
    )
    return [tribunal(session, code, filters, guard) for code in codes]
