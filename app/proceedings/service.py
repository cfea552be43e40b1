"""Référé proceedings: filing, hearing, decision, notification and the appointment."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app import french
from app.audit import service as audit
from app.auth.principal import Principal
from app.cases import service as case_service
from app.cases import stages
from app.cases.models import Case
from app.cases.schemas import StageChangeCreate
from app.cases.stages import Stage
from app.db import utcnow
from app.errors import NotFound, invalid_fields
from app.pagination import PageRequest, paginate
from app.prefectures import service as reference
from app.prefectures.errors import TribunalNotFound
from app.proceedings.models import DecisionOutcome, Proceeding
from app.proceedings.schemas import ProceedingCreate, ProceedingUpdate

INJUNCTION_FIELDS = ("injunction_delay_days", "latest_appointment_date", "astreinte_per_day_cents")


class ProceedingNotFound(NotFound):
    slug = "proceeding-not-found"
    title = "Proceeding not found"


def _check(p: Proceeding) -> None:
    problems: list[tuple[str, str]] = []
    if p.decision_date and p.filed_date and p.decision_date < p.filed_date:
        problems.append(("decision_date", "a decision cannot precede the filing"))
    if p.outcome and not p.decision_date:
        problems.append(("decision_date", "an outcome needs the decision's date"))
    if p.notification_date and p.decision_date and p.notification_date < p.decision_date:
        problems.append(("notification_date", "notification cannot precede the decision"))
    if p.outcome != DecisionOutcome.injunction:
        problems += [(f, "only an injunction has this") for f in INJUNCTION_FIELDS if getattr(p, f)]
    if problems:
        raise invalid_fields(problems)


def create_proceeding(
    session: Session, *, actor: Principal, case: Case, data: ProceedingCreate
) -> Proceeding:
    fields = data.model_dump(exclude={"tribunal_code"})
    if data.tribunal_code:
        try:
            tribunal_code = reference.get_tribunal(session, code=data.tribunal_code).code
        except TribunalNotFound as exc:
            raise invalid_fields([("tribunal_code", "unknown tribunal")]) from exc
    else:
        tribunal_code = reference.get_prefecture(
            session, raw_code=case.department_code
        ).tribunal_code
    proceeding = Proceeding(
        case_id=case.id, tribunal_code=tribunal_code, created_by_user_id=actor.user_id, **fields
    )
    _check(proceeding)
    session.add(proceeding)
    session.flush()
    audit.record(
        session, actor=actor, action="proceeding.create", resource_type="proceeding",
        resource_id=proceeding.id, details={"case_id": str(case.id)},
    )  # fmt: skip
    _close_the_loop(session, actor=actor, case=case, proceeding=proceeding)
    return proceeding


def get_proceeding(
    session: Session, *, case: Case, proceeding_id: uuid.UUID, for_update: bool = False
) -> Proceeding:
    query = select(Proceeding).where(Proceeding.id == proceeding_id, Proceeding.case_id == case.id)
    proceeding = session.exec(query.with_for_update() if for_update else query).first()
    if proceeding is None:
        raise ProceedingNotFound(f"No proceeding {proceeding_id} on this case.")
    return proceeding


def update_proceeding(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    proceeding: Proceeding,
    data: ProceedingUpdate,
) -> Proceeding:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return proceeding
    for field, value in changes.items():
        setattr(proceeding, field, value)
    _check(proceeding)
    proceeding.version += 1
    proceeding.updated_at = utcnow()
    session.add(proceeding)
    audit.record(
        session, actor=actor, action="proceeding.update", resource_type="proceeding",
        resource_id=proceeding.id, details={"fields": sorted(changes)},
    )  # fmt: skip
    if "appointment_at" in changes:
        _close_the_loop(session, actor=actor, case=case, proceeding=proceeding)
    return proceeding


def _close_the_loop(
    session: Session, *, actor: Principal, case: Case, proceeding: Proceeding
) -> None:
    """The appointment obtained moves an open case to ``appointment_obtained``, on the record."""
    if proceeding.appointment_at is None:
        return
    if not stages.is_allowed(Stage(case.stage), Stage.appointment_obtained):
        return
    place = f", {proceeding.appointment_place}" if proceeding.appointment_place else ""
    note = f"Rendez-vous obtenu {french.format_datetime(proceeding.appointment_at)}{place}."
    case_service.change_stage(
        session,
        actor=actor,
        case=case,
        data=StageChangeCreate(to_stage=Stage.appointment_obtained, note=note),
    )


def page_proceedings(
    session: Session, *, case_id: uuid.UUID, page: PageRequest
) -> tuple[list[Proceeding], str | None]:
    query = select(Proceeding).where(Proceeding.case_id == case_id)
    return paginate(
        session, query=query, columns=(col(Proceeding.created_at), col(Proceeding.id)), page=page
    )


def list_proceedings(session: Session, *, case_id: uuid.UUID) -> Sequence[Proceeding]:
    query = select(Proceeding).where(Proceeding.case_id == case_id)
    return session.exec(query.order_by(col(Proceeding.created_at))).all()
