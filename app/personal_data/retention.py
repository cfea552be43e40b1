"""Retention: a client's data is kept ``retention_years`` after their last case closed, then
erased — after an admin confirms, never on its own.

A client is due when every case is closed and the last closed that many years ago (a client
with no case: that long after their record was made). A due client whose cases must still
be kept (a legal hold, a proceeding awaiting its decision, a procedural deadline ahead) is
listed as kept, with the reasons, and a run skips it: the guards are the erasure's own.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app import clock
from app.api import API_PREFIX
from app.audit import service as audit
from app.auth.principal import Principal
from app.cases.models import Case
from app.cases.stages import Stage
from app.clients.models import Client
from app.db import new_id, utcnow
from app.events import emit
from app.french import paris
from app.personal_data import erasure
from app.personal_data.errors import AlreadyErased, ErasureRefused
from app.policy import FirmPolicy

REVIEW = "retention.review"


@dataclass
class Review:
    due: list[tuple[uuid.UUID, list[str], date]] = field(default_factory=list)
    kept: list[tuple[uuid.UUID, list[str], list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    id: uuid.UUID
    ran_at: datetime
    erased: list[uuid.UUID]
    skipped: list[tuple[uuid.UUID, list[str]]]
    blobs: frozenset[str]  # to delete once committed, as for one erasure


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def review(session: Session, *, policy: FirmPolicy) -> Review:
    """The clients past their retention: those a run may erase, and those kept for now."""
    today = clock.today()
    # Past its period: the last closing (or, with no case, the record's making) came before
    # the day after « today minus the period » began in Paris. The database narrows to those;
    # the exact day and the reasons to keep are worked out for them alone.
    day_after = _years_after(today, -policy.retention_years) + timedelta(days=1)
    cutoff = datetime.combine(day_after, time(0), clock.PARIS)
    still_open = sa.or_(col(Case.stage) != Stage.closed, col(Case.closed_at).is_(None))
    with_cases = (
        select(Case.client_id)
        .join(Client, col(Client.id) == col(Case.client_id))
        .where(col(Client.erased_at).is_(None))
        .group_by(col(Case.client_id))
        .having(
            sa.func.sum(sa.case((still_open, 1), else_=0)) == 0,
            sa.func.max(col(Case.closed_at)) < cutoff,
        )
    )
    without_cases = select(Client.id).where(
        col(Client.erased_at).is_(None),
        col(Client.created_at) < cutoff,
        ~sa.exists().where(col(Case.client_id) == col(Client.id)),
    )
    candidates = [*session.exec(with_cases).all(), *session.exec(without_cases).all()]
    by_client: dict[uuid.UUID, list[Case]] = defaultdict(list)
    for case in session.exec(
        select(Case).where(col(Case.client_id).in_(candidates)).order_by(col(Case.opened_at))
    ):
        by_client[case.client_id].append(case)
    # .all(): a result has keys() (its columns), which dict() would take for a mapping's.
    made = dict(
        session.exec(
            select(Client.id, Client.created_at).where(col(Client.id).in_(candidates))
        ).all()
    )
    found = Review()
    for client_id in sorted(candidates, key=str):
        cases = by_client[client_id]
        last = max((case.closed_at or made[client_id] for case in cases), default=made[client_id])
        until = _years_after(paris(last).date(), policy.retention_years)
        references = [case.reference for case in cases]
        if reasons := erasure.reasons_to_keep(session, policy=policy, cases=cases):
            found.kept.append((client_id, references, reasons))
        else:
            found.due.append((client_id, references, until))
    return found


def run(
    session: Session, *, actor: Principal, client_ids: list[uuid.UUID], policy: FirmPolicy
) -> Run:
    """Erase the confirmed clients that are still due; skip and report the others."""
    found = review(session, policy=policy)
    due = {client_id: until for client_id, _, until in found.due}
    kept = {client_id: reasons for client_id, _, reasons in found.kept}
    run_id = new_id()
    erased: list[uuid.UUID] = []
    skipped: list[tuple[uuid.UUID, list[str]]] = []
    blobs: set[str] = set()
    for client_id in dict.fromkeys(client_ids):
        if client_id not in due:
            why = kept.get(client_id) or ["not past its retention period (or already erased)."]
            skipped.append((client_id, why))
            continue
        reason = f"retention: kept until {due[client_id].isoformat()} (run {run_id})"
        try:
            done = erasure.erase_client(
                session, actor=actor, client_id=client_id, reason=reason, policy=policy
            )
        except (ErasureRefused, AlreadyErased) as refused:
            skipped.append((client_id, [str(refused)]))
            continue
        erased.append(client_id)
        blobs |= done.blobs
    audit.record(
        session, actor=actor, action="retention.run", resource_type="retention", resource_id=run_id,
        details={"erased": len(erased), "skipped": len(skipped),
                 "retention_years": policy.retention_years},
    )  # fmt: skip
    return Run(run_id, utcnow(), erased, skipped, frozenset(blobs))


def announce(session: Session, *, policy: FirmPolicy) -> int:
    """The scheduled review: a ``retention.due`` event, once a day, when clients are due."""
    found = review(session, policy=policy)
    if not found.due:
        return 0
    today = clock.today()
    key = f"retention:{today.isoformat()}"
    if not emit.recorded(session, dedupe_key=key):
        spec = emit.Spec(
            type="retention.due", obj=emit.Ref(today.isoformat()), resource_type="retention",
            path=f"{API_PREFIX}/retention/due", case_id=None,
            data={"clients": len(found.due), "kept": len(found.kept)},
        )  # fmt: skip
        emit.record(session, specs=[spec], dedupe_key=key)
    return len(found.due)


def review_job(session: Session, payload: dict[str, Any], *, policy: FirmPolicy) -> None:
    announce(session, policy=policy)
