"""The case's exhibit plan: the chosen order and grouping behind the numbered exhibits."""

import uuid

from sqlmodel import Session, col, select

from app.attempts.models import BookingAttempt
from app.attempts.review import counts
from app.audit import service as audit
from app.auth.principal import Principal
from app.cases.models import Case
from app.db import utcnow
from app.errors import invalid_fields
from app.evidence import exhibits
from app.evidence.models import Evidence, ExhibitPlan
from app.evidence.schemas import ExhibitPlanUpdate
from app.prefectures.models import Prefecture


def current_sources(session: Session, *, case_id: uuid.UUID) -> list[exhibits.Source]:
    rows = session.exec(
        select(Evidence, BookingAttempt.attempted_at)
        .join(BookingAttempt, col(BookingAttempt.id) == col(Evidence.attempt_id), isouter=True)
        .where(
            Evidence.case_id == case_id,
            col(Evidence.withdrawn_at).is_(None),
            # A client's upload becomes an exhibit once the firm accepted it.
            counts(col(Evidence.review_status)),
        )
    ).all()
    return [
        exhibits.Source(
            e.id, e.kind, e.media_type, e.captured_at, e.received_at, e.description, attempt_at
        )
        for e, attempt_at in rows
    ]


def get_plan(session: Session, *, case_id: uuid.UUID) -> ExhibitPlan:
    return session.get(ExhibitPlan, case_id) or ExhibitPlan(case_id=case_id, version=0)


def case_exhibits(session: Session, *, case: Case) -> tuple[ExhibitPlan, list[exhibits.Exhibit]]:
    plan = get_plan(session, case_id=case.id)
    prefecture = session.get(Prefecture, case.department_code)
    assert prefecture is not None  # foreign key
    built = exhibits.build(
        current_sources(session, case_id=case.id),
        plan.order,
        group_screenshots=plan.group_screenshots,
        zone=prefecture.zone,
    )
    return plan, built


def update_plan(
    session: Session, *, actor: Principal, case: Case, data: ExhibitPlanUpdate
) -> ExhibitPlan:
    current = {s.evidence_id for s in current_sources(session, case_id=case.id)}
    wanted = data.order
    problems = []
    if len(set(wanted)) != len(wanted):
        problems.append(("order", "an evidence id appears twice"))
    if unknown := set(wanted) - current:
        problems.append(
            ("order", f"not current evidence of this case: {sorted(map(str, unknown))}")
        )
    if missing := current - set(wanted):
        problems.append(("order", f"missing from the order: {sorted(map(str, missing))}"))
    if problems:
        raise invalid_fields(problems)
    plan = session.get(ExhibitPlan, case.id) or ExhibitPlan(case_id=case.id, version=0)
    plan.order = [str(i) for i in wanted]
    plan.group_screenshots = data.group_screenshots
    plan.version += 1
    plan.updated_at = utcnow()
    session.add(plan)
    audit.record(
        session, actor=actor, action="exhibits.reorder", resource_type="case", resource_id=case.id,
        details={"count": len(wanted), "group_screenshots": data.group_screenshots},
    )  # fmt: skip
    return plan
