"""Cases: creation with a never-reused reference, edits, stage changes and lists."""

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import false
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, exists, or_, select

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
from app.cases.guard import StageGuard
from app.cases.models import AesMotif, Case, ReferenceCounter, StageChange, UrgencyFact
from app.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    StageChangeCreate,
    UrgencyFactIn,
)
from app.cases.stages import Stage
from app.clients import service as client_service
from app.clients.models import Client
from app.db import utcnow
from app.errors import UnprocessableEntity, invalid_fields
from app.evidence.models import Evidence
from app.external_refs import ensure_free
from app.pagination import PageRequest, paginate
from app.prefectures import service as reference
from app.prefectures.errors import PrefectureNotFound, ProcedureNotFound

REFERENCE_QUERY = re.compile(r"^crn-", re.IGNORECASE)
SEARCH_INLINE_LIMIT = 1000


def _invalid(field: str, msg: str) -> UnprocessableEntity:
    return invalid_fields([(field, msg)])


def next_reference(session: Session, year: int) -> str:
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
    session: Session, field: str, user_id: uuid.UUID | None, roles: set[Role]
) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in roles:
        raise _invalid(field, f"no active user with role {' or '.join(sorted(roles))} has this id")


def _check_procedure(session: Session, code: str) -> str:
    try:
        return reference.get_procedure(session, code).code
    except ProcedureNotFound as exc:
        raise _invalid("procedure_code", "unknown procedure type") from exc


def _check_motif(session: Session, procedure_code: str, motif: AesMotif | None) -> None:
    """Admission exceptionnelle names its motif (VPF or salarié); other procedures have none."""
    takes_motif = "{motif}" in reference.get_procedure(session, procedure_code).request_phrase
    if takes_motif and motif is None:
        raise _invalid(
            "aes_motif",
            "choose the motif of the admission exceptionnelle: vie_privee_familiale or salarie",
        )
    if motif is not None and not takes_motif:
        raise _invalid("aes_motif", "only an admission exceptionnelle au séjour has a motif")


def _replace_facts(session: Session, case: Case, facts: list[UrgencyFactIn]) -> None:
    linked = {f.evidence_id for f in facts if f.evidence_id is not None}
    if linked:
        found = set(
            session.exec(
                select(Evidence.id).where(
                    col(Evidence.id).in_(linked),
                    Evidence.case_id == case.id,
                    col(Evidence.withdrawn_at).is_(None),
                )
            ).all()
        )
        for n, fact in enumerate(facts):
            if fact.evidence_id is not None and fact.evidence_id not in found:
                raise invalid_fields(
                    [(f"urgency_facts.{n}.evidence_id", "not current evidence of this case")]
                )
    for old in session.exec(select(UrgencyFact).where(UrgencyFact.case_id == case.id)).all():
        session.delete(old)
    for fact in facts:
        session.add(UrgencyFact(case_id=case.id, **fact.model_dump()))


def create_case(session: Session, actor: Principal, data: CaseCreate) -> Case:
    if session.get(Client, data.client_id) is None:
        raise _invalid("client_id", "no client has this id")
    try:
        prefecture = reference.get_prefecture(session, data.department_code)
    except PrefectureNotFound as exc:
        raise _invalid("department_code", "unknown département code") from exc
    procedure_code = _check_procedure(session, data.procedure_code)
    _check_motif(session, procedure_code, data.aes_motif)
    _check_assignee(
        session, "assigned_lawyer_id", data.assigned_lawyer_id, {Role.lawyer, Role.admin}
    )
    _check_assignee(session, "assigned_paralegal_id", data.assigned_paralegal_id, {Role.paralegal})
    ensure_free(session, Case, data.external_ref)
    now = utcnow()
    case = Case(
        reference=next_reference(session, clock.today().year),
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
    _replace_facts(session, case, data.urgency_facts)
    session.flush()
    audit.record(session, actor, action="case.create", resource_type="case", resource_id=case.id)
    return case


def client_of_case(session: Session, case_id: uuid.UUID) -> uuid.UUID:
    """Whose file this is (the access log names the client of what was read)."""
    return session.exec(select(Case.client_id).where(Case.id == case_id)).one()


def get_case(session: Session, case_id: uuid.UUID, *, for_update: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id)
    if for_update:
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None:
        raise CaseNotFound(f"No case with id {case_id}.")
    return case


def update_case(session: Session, actor: Principal, case: Case, data: CaseUpdate) -> Case:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if not changes:
        return case
    if "external_ref" in changes:
        ensure_free(session, Case, changes["external_ref"], own_id=case.id)
    if "procedure_code" in changes:
        changes["procedure_code"] = _check_procedure(session, changes["procedure_code"])
    if "procedure_code" in changes or "aes_motif" in changes:
        _check_motif(
            session,
            changes.get("procedure_code", case.procedure_code),
            changes.get("aes_motif", case.aes_motif),
        )
    if "assigned_lawyer_id" in changes:
        _check_assignee(
            session, "assigned_lawyer_id", changes["assigned_lawyer_id"], {Role.lawyer, Role.admin}
        )
    if "assigned_paralegal_id" in changes:
        _check_assignee(
            session, "assigned_paralegal_id", changes["assigned_paralegal_id"], {Role.paralegal}
        )
    if "urgency_facts" in changes:
        assert data.urgency_facts is not None
        _replace_facts(session, case, data.urgency_facts)
        del changes["urgency_facts"]
    if changes.get("booking_url") is not None:
        changes["booking_url"] = str(data.booking_url)
    for field, value in changes.items():
        setattr(case, field, value)
    _touch(session, case)
    audit.record(
        session,
        actor,
        action="case.update",
        resource_type="case",
        resource_id=case.id,
        details={"fields": sorted(data.model_dump(exclude_unset=True))},
    )
    return case


def _touch(session: Session, case: Case) -> None:
    case.version += 1
    case.updated_at = utcnow()
    session.add(case)
    session.flush()


def set_legal_hold(
    session: Session, actor: Principal, case: Case, reason: str | None, now: datetime
) -> None:
    """Hold the case (a reason) or lift its hold (None); audited either way."""
    case.legal_hold_reason = reason
    case.legal_hold_at = now if reason is not None else None
    _touch(session, case)
    audit.record(
        session,
        actor,
        action="case.legal_hold" if reason is not None else "case.legal_hold_lift",
        resource_type="case",
        resource_id=case.id,
    )


def change_stage(
    session: Session,
    actor: Principal,
    case: Case,
    data: StageChangeCreate,
    *,
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
    _touch(session, case)
    audit.record(
        session,
        actor,
        action="case.stage_change",
        resource_type="case",
        resource_id=case.id,
        details={"from": current, "to": target}
        | ({"override": True} if data.override_reason else {}),
    )
    return change


def page_stage_changes(
    session: Session, case: Case, page: PageRequest
) -> tuple[list[StageChange], str | None]:
    query = select(StageChange).where(StageChange.case_id == case.id)
    return paginate(session, query, (col(StageChange.created_at), col(StageChange.id)), page)


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
        query = query.where(_search_condition(session, f.search))
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
    return reads.case_reads(session, session.execute(query.order_by(*order).limit(limit)).all())


def view_case(session: Session, case_id: uuid.UUID) -> CaseRead:
    """A case as read, in two queries: with its client and tribunal, then its facts."""
    rows = session.execute(reads.BY_ID, {"case_id": case_id}).all()
    if not rows:
        raise CaseNotFound(f"No case with id {case_id}.")
    return reads.case_reads(session, rows)[0]


READINESS_SCAN_PAGES = 5


def list_by_readiness(
    session: Session,
    guard: StageGuard,
    target: Stage,
    *,
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


def _search_condition(session: Session, search: str) -> Any:
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


def read_case(session: Session, case: Case) -> CaseRead:
    """The case as the API shows it, after a write (its changes are flushed first)."""
    session.flush()
    return view_case(session, case.id)


def sort_value(case: CaseRead, sort: str) -> str:
    value: datetime | str = getattr(case, sort)
    return value.isoformat() if isinstance(value, datetime) else value
