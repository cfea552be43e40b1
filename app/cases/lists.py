"""Lists of cases: filters, sorts, search by reference or names, and lists by readiness."""

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import false
from sqlmodel import Session, col, exists, or_, select

from app.cases import reads, stages
from app.cases.guard import StageGuard
from app.cases.models import Case
from app.cases.schemas import CaseRead
from app.cases.stages import Stage
from app.clients import service as client_service

REFERENCE_QUERY = re.compile(r"^crn-", re.IGNORECASE)
SEARCH_INLINE_LIMIT = 1000


@dataclass(frozen=True)
class CaseFilters:
    stages: list[Stage] | None = None
    department_code: str | None = None
    tribunal_code: str | None = None
    procedure_code: str | None = None
    lawyer_id: uuid.UUID | None = None
    is_renewal: bool | None = None
    urgency_before: date | None = None
    search: str | None = None
    external_ref: str | None = None
    updated_since: datetime | None = None


def list_cases(
    session: Session,
    *,
    filters: CaseFilters,
    sort: str,
    descending: bool,
    after: tuple[Any, uuid.UUID] | None,
    limit: int,
) -> list[CaseRead]:
    """One query for the page and one for its urgency facts, whatever the page size."""
    c = reads.cases.c
    query = reads.with_client_and_tribunal()
    f = filters
    if f.stages:
        query = query.where(c.stage.in_(f.stages))
    if f.department_code:
        query = query.where(c.department_code == f.department_code)
    if f.tribunal_code:
        query = query.where(reads.prefectures.c.tribunal_code == f.tribunal_code.strip().lower())
    if f.procedure_code:
        query = query.where(c.procedure_code == f.procedure_code)
    if f.lawyer_id:
        query = query.where(c.assigned_lawyer_id == f.lawyer_id)
    if f.is_renewal is not None:
        query = query.where(c.is_renewal == f.is_renewal)
    if f.urgency_before:
        facts = reads.facts.c
        query = query.where(
            exists().where(facts.case_id == c.id, facts.fact_date <= f.urgency_before)
        )
    if f.search:
        query = query.where(_search_condition(session, search=f.search))
    if f.external_ref is not None:
        query = query.where(c.external_ref == f.external_ref)
    if f.updated_since is not None:
        query = query.where(c.updated_at >= f.updated_since)
    key = c[sort]
    if after is not None:
        value, last_id = after
        if descending:
            query = query.where(or_(key < value, (key == value) & (c.id < last_id)))
        else:
            query = query.where(or_(key > value, (key == value) & (c.id > last_id)))
    order = (key.desc(), c.id.desc()) if descending else (key, c.id)
    return reads.case_reads(
        session, rows=session.execute(query.order_by(*order).limit(limit)).all()
    )


READINESS_SCAN_PAGES = 5


def list_by_readiness(
    session: Session,
    *,
    guard: StageGuard,
    target: Stage,
    ready: bool,
    filters: CaseFilters,
    sort: str,
    descending: bool,
    after: tuple[Any, uuid.UUID] | None,
    limit: int,
) -> tuple[list[CaseRead], CaseRead | None]:
    """A page of the files that can move to ``target`` and are (or are not) ready to.

    Readiness is computed, not stored, so candidates are read page by page and
    assessed in batches; a page may hold fewer than ``limit`` items while the
    returned cursor position (the last file examined) still leads further.
    """
    candidates = [
        s for s in (Stage.attempts, Stage.prefecture_contact) if target in stages.allowed_targets(s)
    ]
    wanted = [s for s in (filters.stages or candidates) if s in candidates]
    if not wanted:
        return [], None
    scoped = replace(filters, stages=wanted)
    kept: list[CaseRead] = []
    position = after
    for _ in range(READINESS_SCAN_PAGES):
        batch = list_cases(
            session, filters=scoped, sort=sort, descending=descending, after=position, limit=limit
        )
        rows = session.exec(select(Case).where(col(Case.id).in_([c.id for c in batch]))).all()
        passing = guard.ready(session, rows, target)
        kept += [c for c in batch if (c.id in passing) == ready]
        if len(kept) >= limit:
            return kept[:limit], kept[limit - 1]
        if len(batch) < limit:
            return kept, None
        position = (getattr(batch[-1], sort), batch[-1].id)
    return kept, batch[-1]


def _search_condition(session: Session, *, search: str) -> Any:
    """A case reference (``CRN-…``, by its beginning) or the client's names.

    Both are index range scans: the reference on its unique index, names on the
    client_name_tokens index (every word typed starts a word of the names). The
    matching clients are fetched first when they are few, so the planner sees
    their exact number and reaches the cases through the client_id index.
    """
    text = search.strip()
    if REFERENCE_QUERY.match(text):
        prefix = text.upper()
        return (col(Case.reference) >= prefix) & (col(Case.reference) < prefix + "\uffff")
    matches = client_service.matching_client_ids(text)
    if matches is None:
        return false()
    few = session.execute(matches.limit(SEARCH_INLINE_LIMIT + 1)).scalars().all()
    if len(few) <= SEARCH_INLINE_LIMIT:
        return col(Case.client_id).in_(list(few))
    return col(Case.client_id).in_(matches)


def sort_value(case: CaseRead, sort: str) -> str:
    value: datetime | str = getattr(case, sort)
    return value.isoformat() if isinstance(value, datetime) else value
