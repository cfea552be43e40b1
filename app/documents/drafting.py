"""Drafting: a Word draft from a case, rendered and stored, then recorded as a new version.

``prepare`` reads, checks, renders and publishes; ``record`` only writes rows. The route
calls them on either side of ``db.write_phase``: SQLite's write lock is held for the rows,
never while a draft renders, its statistics are counted or its bytes are stored.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, func, select

from app import clock, french
from app.audit import service as audit
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore
from app.cases.models import Case
from app.cases.stages import Stage
from app.documents import render, template_versions
from app.documents.context import parties, urgency
from app.documents.context.build import build
from app.documents.context.types import Options, Snapshot
from app.documents.errors import (
    IdentityIncomplete,
    PrefectureEmailMissing,
    TemplateRejected,
    UrgencyNotEstablished,
)
from app.documents.models import DocumentKind, GeneratedDocument
from app.documents.schemas import DocumentCreate
from app.documents.snapshot import snapshot
from app.errors import FieldError, invalid_fields
from app.evidence import exhibits as exhibit_rules
from app.policy import FirmPolicy
from app.readiness.service import OverrideNotAllowed, ReadinessGuard
from app.statistics import charts
from app.statistics import queries as stats

# The drafts that may carry the firm's own figures for the préfecture.
WITH_STATISTICS = (DocumentKind.prefecture_letter, DocumentKind.interim_relief_petition)


@dataclass(frozen=True)
class Draft:
    """A draft rendered and published, not yet recorded."""

    data: DocumentCreate
    sha256: str
    size: int
    values: dict[str, Any]
    options: dict[str, Any]
    exhibit_plan: list[dict[str, Any]]
    template_id: uuid.UUID | None
    guard: ReadinessGuard | None = None  # the readiness check left for the write phase


def firm_facts(
    session: Session, *, department_code: str, snap: Snapshot, policy: FirmPolicy
) -> str:
    """« Sur les 12 derniers mois, 214 tentatives enregistrées par 37 personnes auprès de ce
    service ont échoué dans 97 % des cas. » — only when enough people are behind the figure."""
    since = clock.now() - timedelta(days=365)
    figures = stats.attempt_figures(
        session, where=stats.prefecture_where(department_code), filters=stats.Filters(start=since),
        zone=snap.zone,
    )  # fmt: skip
    if figures.clients < policy.statistics_min_count or figures.refusal_rate is None:
        return ""
    failed = round(figures.refusal_rate * 100)
    return (
        f"Le cabinet constate le même blocage pour ses autres clients : sur les 12 derniers "
        f"mois, {french.format_number(figures.attempts)} tentatives enregistrées par "
        f"{french.format_number(figures.clients)} personnes auprès de ce service ont échoué "
        f"dans {failed}{french.NBSP}% des cas."
    )


def options_for(data: DocumentCreate, policy: FirmPolicy, snap: Snapshot) -> Options:
    """The lawyer's figures, else the policy's; a shorter delay when an urgency date is
    ahead and near (a past date shortens nothing)."""
    urgent = urgency.urgent(snap)
    default_delay = policy.petition_urgent_delay_days if urgent else policy.petition_delay_days
    return Options(
        variant=data.variant,
        delay_days=data.delay_days or default_delay,
        latest_appointment_days=data.latest_appointment_days
        or policy.petition_latest_appointment_days,
        astreinte_cents=policy.petition_astreinte_cents
        if data.astreinte_cents is None
        else data.astreinte_cents,
        costs_cents=policy.petition_costs_cents if data.costs_cents is None else data.costs_cents,
        response_days=policy.response_wait_days,
        oqtf=data.oqtf.model_dump(mode="json") if data.oqtf else None,
        exclude_contact_id=str(data.contact_id) if data.contact_id else None,
        contacts_before=snap.today if data.kind is DocumentKind.prefecture_letter else None,
    )


def _check_petition(actor: Principal, snap: Snapshot, data: DocumentCreate) -> None:
    """What no override can fix (R. 411-1: the domicile), then what only a lawyer can."""
    if missing := parties.missing_identity(snap.client):
        raise IdentityIncomplete(
            "Record the client's domicile (or domiciliation) before drafting the petition "
            "(art. R. 411-1 CJA).",
            extra={"missing_fields": missing},
        )
    if not snap.is_renewal and not snap.urgency:
        if not data.override_reason:
            raise UrgencyNotEstablished(
                "A first request must show particular circumstances (CE 9 June 2022, "
                "n° 453391): record a dated urgency fact, or a lawyer gives an override_reason."
            )
        if not actor.can(Permission.readiness_override):
            raise OverrideNotAllowed(f"The {actor.role} role cannot draft without urgency.")
    if snap.has_oqtf and not snap.oqtf_executed and data.override_reason and data.oqtf is None:
        raise invalid_fields(
            [("oqtf", "say why the unexecuted OQTF does not stand in the way (date, ground)")]
        )


def _check(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    data: DocumentCreate,
    snap: Snapshot,
    policy: FirmPolicy,
) -> ReadinessGuard | None:
    """Every refusal, before anything is rendered; the readiness guard if it must wait for
    the write phase."""
    pending = None
    if data.kind is DocumentKind.interim_relief_petition:
        _check_petition(actor, snap, data)
        # A petition is drafted only for a file ready for the référé, as a stage change
        # is made: failed criteria or blockers are a 409 unless a lawyer overrides.
        guard = ReadinessGuard(policy)
        if _guard_writes(actor, data):
            pending = guard
        else:
            _check_readiness(session, guard=guard, actor=actor, case=case, data=data)
    email_letter = data.kind is DocumentKind.prefecture_letter and data.variant == "email"
    if email_letter and not snap.prefecture_email:
        raise PrefectureEmailMissing(
            "Set the préfecture's foreigners_service_email (PATCH /prefectures/{code}) or "
            "record the address on an e-mail contact, or send a registered letter."
        )
    return pending


def _guard_writes(actor: Principal, data: DocumentCreate) -> bool:
    """Whether the readiness guard would write: it records the override's audit only when
    someone allowed to override gives a reason, and then it refuses nothing. That case is
    checked in the write phase; every other one, which refuses or passes without writing,
    before the rendering as always."""
    return bool(data.override_reason) and actor.can(Permission.readiness_override)


def _check_readiness(
    session: Session,
    *,
    guard: ReadinessGuard,
    actor: Principal,
    case: Case,
    data: DocumentCreate,
) -> None:
    guard.check(
        session,
        actor,
        case,
        Stage.interim_relief,
        data.override_reason,
        action="document.readiness_override",
    )


def _values(
    session: Session,
    *,
    case: Case,
    data: DocumentCreate,
    snap: Snapshot,
    options: Options,
    policy: FirmPolicy,
) -> dict[str, Any]:
    """The context the template prints, with the firm's figures and the annex's chart."""
    values = build(snap, options)
    if data.firm_statistics and data.kind in WITH_STATISTICS:
        values["firm_statistics"] = firm_facts(
            session, department_code=case.department_code, snap=snap, policy=policy
        )
    return values


def _pictures(data: DocumentCreate, snap: Snapshot) -> dict[str, render.Picture]:
    if data.kind is not DocumentKind.attempts_annex or not snap.attempts:
        return {}
    drawn = charts.attempts_chart([(a.at, a.outcome) for a in snap.attempts], snap.zone)
    return {"attempts_chart": render.Picture(drawn, width_mm=165)}


def _render(source: bytes, context: dict[str, Any]) -> bytes:
    try:
        return render.render(source, context)
    except render.TemplateError as exc:
        # An accepted firm template can still meet a value the sample did not have.
        raise TemplateRejected(
            f"The firm's template failed on this file: {exc.problems[0]}",
            errors=[
                FieldError(loc=["body", "kind"], msg=p, type="template_error") for p in exc.problems
            ],
        ) from exc


def prepare(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    data: DocumentCreate,
    store: BlobStore,
    policy: FirmPolicy,
) -> Draft:
    """Read the case, refuse what must be refused, render the draft and publish its bytes
    (content-addressed: harmless if never recorded, ``creneau storage gc`` collects it)."""
    snap, built = snapshot(session, case=case)
    guard = _check(session, actor=actor, case=case, data=data, snap=snap, policy=policy)
    options = options_for(data, policy.for_tribunal(snap.tribunal_code), snap)
    values = _values(session, case=case, data=data, snap=snap, options=options, policy=policy)
    source, template = template_versions.template_source(session, store=store, kind=data.kind)
    content = _render(source, values | _pictures(data, snap))
    return Draft(
        data=data,
        sha256=template_versions.publish_bytes(store, content),
        size=len(content),
        values=values,
        options=data.model_dump(mode="json", exclude_none=True)
        | {
            "delay_days": options.delay_days,
            "latest_appointment_days": options.latest_appointment_days,
            "astreinte_cents": options.astreinte_cents,
            "costs_cents": options.costs_cents,
        },
        exhibit_plan=exhibit_rules.plan_of(built),
        template_id=template.id if template else None,
        guard=guard,
    )


def record(session: Session, *, actor: Principal, case: Case, draft: Draft) -> GeneratedDocument:
    """The draft as the case's next version of its kind (numbered now, under the write
    lock), audited."""
    if draft.guard is not None:
        _check_readiness(session, guard=draft.guard, actor=actor, case=case, data=draft.data)
    kind = draft.data.kind
    version = (
        session.exec(
            select(func.max(GeneratedDocument.version)).where(
                GeneratedDocument.case_id == case.id, GeneratedDocument.kind == kind
            )
        ).one()
        or 0
    ) + 1
    document = GeneratedDocument(
        case_id=case.id,
        kind=kind,
        version=version,
        template_id=draft.template_id,
        sha256=draft.sha256,
        size=draft.size,
        snapshot=draft.values,
        options=draft.options,
        exhibit_plan=draft.exhibit_plan,
        exhibit_plan_hash=exhibit_rules.plan_hash(draft.exhibit_plan),
        created_by_user_id=actor.user_id,
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="document.generate",
        resource_type="document",
        resource_id=document.id,
        details={
            "case_id": str(case.id),
            "kind": kind.value,
            "sha256": draft.sha256,
            "override": bool(draft.data.override_reason),
        },
    )
    return document
