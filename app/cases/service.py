"""Cases: creation with a never-reused reference, edits, stage changes and lists."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app import clock
from app.audit import service as audit
from app.auth.models import User
from app.auth.permissions import Permission, Role
from app.auth.principal import Principal
from app.cases import reads, stages
from app.cases.errors import (
    CaseNotFound,
    StageChangeForbidden,
    StageTransitionNotAllowed,
)
from app.cases.guard import EvidenceOfCase, StageGuard
from app.cases.models import AesMotif, Case, ReferenceCounter, StageChange, UrgencyFact
from app.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    StageChangeCreate,
    UrgencyFactIn,
)
from app.cases.stages import Stage
from app.clients.models import Client
from app.db import utcnow
from app.errors import UnprocessableEntity, invalid_fields
from app.external_refs import ensure_free
from app.pagination import PageRequest, paginate
from app.prefectures import service as reference
from app.prefectures.errors import PrefectureNotFound, ProcedureNotFound


def _invalid(field: str, msg: str) -> UnprocessableEntity:
    return invalid_fields([(field, msg)])


def next_reference(session: Session, *, year: int) -> str:
    """CRN-<year>-<n>, from one atomic upsert on the year's counter row.

    Concurrent creations serialise on that row, so a number is never issued twice;
    a creation that rolls back takes its increment with it, so numbers have no gaps.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ReferenceCounter)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_value": ReferenceCounter.last_value + 1}
        )
        .returning(col(ReferenceCounter.last_value))
    )
    number = session.execute(statement).scalar_one()
    return f"CRN-{year}-{number:05d}"


def _check_assignee(
    session: Session, *, field: str, user_id: uuid.UUID | None, roles: set[Role]
) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in roles:
        raise _invalid(field, f"no active user with role {' or '.join(sorted(roles))} has this id")


def _check_procedure(session: Session, *, code: str) -> str:
    try:
        return reference.get_procedure(session, code=code).code
    except ProcedureNotFound as exc:
        raise _invalid("procedure_code", "unknown procedure type") from exc


def _check_motif(session: Session, *, procedure_code: str, motif: AesMotif | None) -> None:
    """Admission exceptionnelle names its motif (VPF or salarié); other procedures have none."""
    takes_motif = "{motif}" in reference.get_procedure(session, code=procedure_code).request_phrase
    if takes_motif and motif is None:
        raise _invalid(
            "aes_motif",
            "choose the motif of the admission exceptionnelle: vie_privee_familiale or salarie",
        )
    if motif is not None and not takes_motif:
        raise _invalid("aes_motif", "only an admission exceptionnelle au séjour has a motif")


def _replace_facts(
    session: Session, *, case: Case, facts: list[UrgencyFactIn], evidence: EvidenceOfCase
) -> None:
    linked = {f.evidence_id for f in facts if f.evidence_id is not None}
    if linked:
        found = evidence(session, case_id=case.id, ids=linked)
        for n, fact in enumerate(facts):
            if fact.evidence_id is not None and fact.evidence_id not in found:
                raise invalid_fields(
                    [(f"urgency_facts.{n}.evidence_id", "not current evidence of this case")]
                )
    for old in session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id)).all():
        session.delete(old)
    for fact in facts:
        session.add(UrgencyFact(case_id=case.id, **fact.model_dump()))


def create_case(
    session: Session, *, actor: Principal, data: CaseCreate, evidence: EvidenceOfCase
) -> Case:
    if session.get(Client, data.client_id) is None:
        raise _invalid("client_id", "no client has this id")
    try:
        prefecture = reference.get_prefecture(session, raw_code=data.department_code)
    except PrefectureNotFound as exc:
        raise _invalid("department_code", "unknown département code") from exc
    procedure_code = _check_procedure(session, code=data.procedure_code)
    _check_motif(session, procedure_code=procedure_code, motif=data.aes_motif)
    _check_assignee(
        session,
        field="assigned_lawyer_id",
        user_id=data.assigned_lawyer_id,
        roles={Role.lawyer, Role.admin},
    )
    _check_assignee(
        session,
        field="assigned_paralegal_id",
        user_id=data.assigned_paralegal_id,
        roles={Role.paralegal},
    )
    ensure_free(session, model=Case, ref=data.external_ref)
    now = utcnow()
    case = Case(
        reference=next_reference(session, year=clock.today().year),
        client_id=data.client_id,
        department_code=prefecture.department_code,
        site=data.site,
        procedure_code=procedure_code,
        is_renewal=data.is_renewal,
        booking_channel=data.booking_channel,
        booking_url=str(data.booking_url) if data.booking_url else None,
        aes_motif=data.aes_motif,
        file_complete=data.file_complete,
        assigned_lawyer_id=data.assigned_lawyer_id,
        assigned_paralegal_id=data.assigned_paralegal_id,
        external_ref=data.external_ref,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    _replace_facts(session, case=case, facts=data.urgency_facts, evidence=evidence)
    session.flush()
    audit.record(
        session, actor=actor, action="case.create", resource_type="case", resource_id=case.id
    )
    return case


def client_of_case(session: Session, *, case_id: uuid.UUID) -> uuid.UUID:
    """Whose file this is (the access log names the client of what was read)."""
    return session.exec(select(Case.client_id).where(Case.id == case_id)).one()


def get_case(session: Session, *, case_id: uuid.UUID, for_update: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id)
    if for_update:
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None:
        raise CaseNotFound(f"No case with id {case_id}.")
    return case


def update_case(
    session: Session, *, actor: Principal, case: Case, data: CaseUpdate, evidence: EvidenceOfCase
) -> Case:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return case
    if "external_ref" in changes:
        ensure_free(session, model=Case, ref=changes["external_ref"], own_id=case.id)
    if "procedure_code" in changes:
        changes["procedure_code"] = _check_procedure(session, code=changes["procedure_code"])
    if "procedure_code" in changes or "aes_motif" in changes:
        _check_motif(
            session,
            procedure_code=changes.get("procedure_code", case.procedure_code),
            motif=changes.get("aes_motif", case.aes_motif),
        )
    if "assigned_lawyer_id" in changes:
        _check_assignee(
            session,
            field="assigned_lawyer_id",
            user_id=changes["assigned_lawyer_id"],
            roles={Role.lawyer, Role.admin},
        )
    if "assigned_paralegal_id" in changes:
        _check_assignee(
            session,
            field="assigned_paralegal_id",
            user_id=changes["assigned_paralegal_id"],
            roles={Role.paralegal},
        )
    if "urgency_facts" in changes:
        assert data.urgency_facts is not None
        _replace_facts(session, case=case, facts=data.urgency_facts, evidence=evidence)
        del changes["urgency_facts"]
    if changes.get("booking_url") is not None:
        changes["booking_url"] = str(data.booking_url)
    for field, value in changes.items():
        setattr(case, field, value)
    _touch(session, case=case)
    audit.record(
        session,
        actor=actor,
        action="case.update",
        resource_type="case",
        resource_id=case.id,
        details={"fields": sorted(data.model_dump(exclude_unset=True))},
    )
    return case


def _touch(session: Session, *, case: Case) -> None:
    case.version += 1
    case.updated_at = utcnow()
    session.add(case)
    session.flush()


def set_legal_hold(
    session: Session, *, actor: Principal, case: Case, reason: str | None, now: datetime
) -> None:
    """Hold the case (a reason) or lift its hold (None); audited either way."""
    case.legal_hold_reason = reason
    case.legal_hold_at = now if reason is not None else None
    _touch(session, case=case)
    audit.record(
        session,
        actor=actor,
        action="case.legal_hold" if reason is not None else "case.legal_hold_lift",
        resource_type="case",
        resource_id=case.id,
    )


def change_stage(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    data: StageChangeCreate,
    guard: StageGuard | None = None,
) -> StageChange:
    current, target = Stage(case.stage), data.to_stage
    if not stages.is_allowed(current, target):
        allowed = ", ".join(sorted(stages.allowed_targets(current)))
        raise StageTransitionNotAllowed(
            f"A case at stage {current} cannot move to {target}; allowed: {allowed}.",
            extra={
                "from_stage": current,
                "to_stage": target,
                "allowed": sorted(stages.allowed_targets(current)),
            },
        )
    if stages.needs_close_permission(current, target) and not actor.can(Permission.cases_close):
        raise StageChangeForbidden(f"The {actor.role} role cannot close or reopen a case.")
    if target is Stage.closed and not data.note:
        raise _invalid("note", "closing a case needs a reason")
    if guard is not None:
        guard.check(session, actor, case, target, data.override_reason)
    change = StageChange(
        case_id=case.id,
        from_stage=current,
        to_stage=target,
        note=data.note,
        override_reason=data.override_reason,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
    )
    session.add(change)
    case.stage = target
    if target is Stage.closed:
        case.closed_at, case.closed_reason = change.created_at, data.note
    elif current is Stage.closed:
        case.closed_at, case.closed_reason = None, None
    _touch(session, case=case)
    audit.record(
        session,
        actor=actor,
        action="case.stage_change",
        resource_type="case",
        resource_id=case.id,
        details={"from": current, "to": target}
        | ({"override": True} if data.override_reason else {}),
    )
    return change


def page_stage_changes(
    session: Session, *, case: Case, page: PageRequest
) -> tuple[list[StageChange], str | None]:
    query = select(StageChange).where(StageChange.case_id == case.id)
    return paginate(
        session, query=query, columns=(col(StageChange.created_at), col(StageChange.id)), page=page
    )


def view_case(session: Session, *, case_id: uuid.UUID) -> CaseRead:
    """A case as read, in two queries: with its client and tribunal, then its facts."""
    rows = session.execute(reads.BY_ID, {"case_id": case_id}).all()
    if not rows:
        raise CaseNotFound(f"No case with id {case_id}.")
    return reads.case_reads(session, rows=rows)[0]


def read_case(session: Session, *, case: Case) -> CaseRead:
    """The case as the API shows it, after a write (its changes are flushed first)."""
    session.flush()
    return view_case(session, case_id=case.id)
