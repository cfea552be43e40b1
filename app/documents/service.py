"""Generating drafts from a case, and the firm's own templates."""

import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app import clock, french
from app.attempts.review import counts
from app.audit import service as audit
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore, Staging
from app.cases.models import Case
from app.cases.stages import Stage
from app.db import utcnow
from app.documents import attestation, bundle, render
from app.documents.builtin import TEMPLATES
from app.documents.context import citing, parties, urgency
from app.documents.context.build import build
from app.documents.context.types import Options, Snapshot
from app.documents.models import DocumentKind, DocumentTemplate, GeneratedDocument
from app.documents.sample import sample_snapshot
from app.documents.schemas import DocumentCreate
from app.documents.snapshot import snapshot
from app.errors import Conflict, FieldError, NotFound, UnprocessableEntity, invalid_fields
from app.evidence import exhibits as exhibit_rules
from app.evidence import service as evidence_service
from app.evidence.content import PDF
from app.evidence.models import Evidence, EvidenceChainHead, EvidenceKind
from app.evidence.schemas import EvidenceForm
from app.evidence.upload import ReceivedUpload
from app.pagination import PageRequest, paginate
from app.policy import FirmPolicy
from app.readiness.service import OverrideNotAllowed, ReadinessGuard
from app.statistics import charts
from app.statistics import queries as stats

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class DocumentNotFound(NotFound):
    slug = "document-not-found"
    title = "Document not found"


class TemplateRejected(UnprocessableEntity):
    slug = "template-rejected"
    title = "The template does not render"


def builtin_source(kind: DocumentKind) -> bytes:
    return (TEMPLATES / f"{kind.value}.docx").read_bytes()


def active_template(session: Session, kind: DocumentKind) -> DocumentTemplate | None:
    query = select(DocumentTemplate).where(
        DocumentTemplate.kind == kind, col(DocumentTemplate.is_active)
    )
    return session.exec(query.order_by(col(DocumentTemplate.version).desc())).first()


def template_source(
    session: Session, store: BlobStore, kind: DocumentKind
) -> tuple[bytes, DocumentTemplate | None]:
    template = active_template(session, kind)
    if template is None:
        return builtin_source(kind), None
    return b"".join(store.open(template.sha256)), template


def _store_bytes(store: BlobStore, data: bytes) -> str:
    staging = store.stage()
    try:
        staging.write(data)
        return store.publish(staging)
    finally:
        staging.discard()


class IdentityIncomplete(Conflict):
    slug = "identity-incomplete"
    title = "The petition must state the applicant's domicile"


class UrgencyNotEstablished(Conflict):
    slug = "urgency-not-established"
    title = "A first request needs a dated fact showing urgency"


class PrefectureEmailMissing(Conflict):
    slug = "prefecture-email-missing"
    title = "No e-mail address for the préfecture's foreigners' service"


def firm_facts(session: Session, department_code: str, snap: Snapshot, policy: FirmPolicy) -> str:
    """« Sur les 12 derniers mois, 214 tentatives enregistrées par 37 personnes auprès de ce
    service ont échoué dans 97 % des cas. » — only when enough people are behind the figure."""
    since = clock.now() - timedelta(days=365)
    figures = stats.attempt_figures(
        session, stats.prefecture_where(department_code), stats.Filters(start=since),
        snap.zone,
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


def generate(
    session: Session,
    actor: Principal,
    case: Case,
    data: DocumentCreate,
    store: BlobStore,
    policy: FirmPolicy,
) -> GeneratedDocument:
    snap, built = snapshot(session, case)
    if data.kind is DocumentKind.interim_relief_petition:
        _check_petition(actor, snap, data)
        # A petition is drafted only for a file ready for the référé, as a stage change
        # is made: failed criteria or blockers are a 409 unless a lawyer overrides.
        ReadinessGuard(policy).check(
            session,
            actor,
            case,
            Stage.interim_relief,
            data.override_reason,
            action="document.readiness_override",
        )
    email_letter = data.kind is DocumentKind.prefecture_letter and data.variant == "email"
    if email_letter and not snap.prefecture_email:
        raise PrefectureEmailMissing(
            "Set the préfecture's foreigners_service_email (PATCH /prefectures/{code}) or "
            "record the address on an e-mail contact, or send a registered letter."
        )
    plan = exhibit_rules.plan_of(built)
    options = options_for(data, policy.for_tribunal(snap.tribunal_code), snap)
    values = build(snap, options)
    if data.firm_statistics and data.kind in (
        DocumentKind.prefecture_letter,
        DocumentKind.interim_relief_petition,
    ):
        values["firm_statistics"] = firm_facts(session, case.department_code, snap, policy)
    pictures: dict[str, render.Picture] = {}
    if data.kind is DocumentKind.attempts_annex and snap.attempts:
        drawn = charts.attempts_chart([(a.at, a.outcome) for a in snap.attempts], snap.zone)
        pictures["attempts_chart"] = render.Picture(drawn, width_mm=165)
    source, template = template_source(session, store, data.kind)
    try:
        content = render.render(source, values | pictures)
    except render.TemplateError as exc:
        # An accepted firm template can still meet a value the sample did not have.
        raise TemplateRejected(
            f"The firm's template failed on this file: {exc.problems[0]}",
            errors=[
                FieldError(loc=["body", "kind"], msg=p, type="template_error") for p in exc.problems
            ],
        ) from exc
    sha256 = _store_bytes(store, content)
    version = (
        session.exec(
            select(func.max(GeneratedDocument.version)).where(
                GeneratedDocument.case_id == case.id, GeneratedDocument.kind == data.kind
            )
        ).one()
        or 0
    ) + 1
    document = GeneratedDocument(
        case_id=case.id,
        kind=data.kind,
        version=version,
        template_id=template.id if template else None,
        sha256=sha256,
        size=len(content),
        snapshot=values,
        options=data.model_dump(mode="json", exclude_none=True)
        | {
            "delay_days": options.delay_days,
            "latest_appointment_days": options.latest_appointment_days,
            "astreinte_cents": options.astreinte_cents,
            "costs_cents": options.costs_cents,
        },
        exhibit_plan=plan,
        exhibit_plan_hash=exhibit_rules.plan_hash(plan),
        created_by_user_id=actor.user_id,
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor,
        action="document.generate",
        resource_type="document",
        resource_id=document.id,
        details={
            "case_id": str(case.id),
            "kind": data.kind.value,
            "sha256": sha256,
            "override": bool(data.override_reason),
        },
    )
    return document


class PetitionMissing(Conflict):
    slug = "petition-missing"
    title = "Generate the petition before the filing bundle"


class StalePetition(Conflict):
    slug = "stale-petition"
    title = "The exhibits changed since the petition was drafted"


class ExhibitNotFileable(Conflict):
    slug = "unfileable-exhibit"
    title = "An exhibit cannot be converted to PDF for filing"


BUNDLE_NAMES = {
    DocumentKind.interim_relief_petition: "Requete_refere_mesures_utiles.docx",
    DocumentKind.exhibit_inventory: "Bordereau_des_pieces.docx",
}


def build_bundle(session: Session, store: BlobStore, case: Case) -> tuple[Staging, dict[str, Any]]:
    """The filing bundle written to a staging file (the caller publishes or discards it),
    and its manifest.

    The latest petition goes in only if the exhibits it cites are still the case's: any
    exhibit added, withdrawn, moved or relabelled since is a 409 naming each change. The
    inventory is rendered from the same plan, dated like the petition.
    """
    petition = latest(session, case.id, DocumentKind.interim_relief_petition)
    if petition is None:
        raise PetitionMissing("POST /cases/{id}/documents with kind interim_relief_petition first.")
    snap, built = snapshot(session, case)
    plan = exhibit_rules.plan_of(built)
    current = exhibit_rules.plan_hash(plan)
    if petition.exhibit_plan_hash != current:
        changes = exhibit_rules.plan_changes(petition.exhibit_plan, plan)
        raise StalePetition(
            f"Petition version {petition.version} cites exhibits that changed since "
            f"({len(changes)} change(s)); generate the petition again.",
            extra={
                "petition_id": str(petition.id),
                "changes": changes,
                "exhibit_plan_hash": current,
            },
        )
    values = build(snap, Options()) | {"today": petition.snapshot.get("today")}
    inventory_source, _ = template_source(session, store, DocumentKind.exhibit_inventory)
    documents = [
        (BUNDLE_NAMES[petition.kind], b"".join(store.open(petition.sha256))),
        (BUNDLE_NAMES[DocumentKind.exhibit_inventory], render.render(inventory_source, values)),
    ]
    ids = [evidence_id for e in built for evidence_id in e.evidence_ids]
    rows = {e.id: e for e in session.exec(select(Evidence).where(col(Evidence.id).in_(ids)))}
    parts = [
        bundle.Part(
            e.number,
            e.file_name,
            tuple((rows[i].sha256, rows[i].media_type) for i in e.evidence_ids),
        )
        for e in built
    ]
    about = {
        "case_reference": case.reference,
        "tribunal": snap.tribunal_name,
        "exhibit_plan_hash": current,
        "petition": {
            "id": str(petition.id),
            "version": petition.version,
            "sha256": petition.sha256,
        },
    }
    staging = store.stage()
    try:
        manifest = bundle.write(staging, documents, parts, store, about=about)
        staging.close()
    except bundle.UnfileableExhibit as exc:
        staging.discard()
        raise ExhibitNotFileable(
            f"Exhibit {exc.part.number} ({exc.part.file_name}) cannot be converted to PDF: "
            f"{exc.reason}. Withdraw it or replace the file.",
            extra={"exhibit": exc.part.number, "file_name": exc.part.file_name},
        ) from exc
    except BaseException:
        staging.discard()
        raise
    return staging, manifest


def get_document(session: Session, document_id: uuid.UUID) -> GeneratedDocument:
    document = session.get(GeneratedDocument, document_id)
    if document is None:
        raise DocumentNotFound(f"No document with id {document_id}.")
    return document


def page_documents(
    session: Session, case_id: uuid.UUID, page: PageRequest
) -> tuple[list[GeneratedDocument], str | None]:
    query = select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
    order = (col(GeneratedDocument.created_at), col(GeneratedDocument.id))
    return paginate(session, query, order, page)


def list_documents(session: Session, case_id: uuid.UUID) -> Sequence[GeneratedDocument]:
    query = select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
    return session.exec(query.order_by(col(GeneratedDocument.created_at))).all()


def latest(session: Session, case_id: uuid.UUID, kind: DocumentKind) -> GeneratedDocument | None:
    query = select(GeneratedDocument).where(
        GeneratedDocument.case_id == case_id, GeneratedDocument.kind == kind
    )
    return session.exec(query.order_by(col(GeneratedDocument.version).desc())).first()


def upload_template(
    session: Session,
    actor: Principal,
    kind: DocumentKind,
    source: bytes,
    filename: str,
    store: BlobStore,
) -> DocumentTemplate:
    """Accept a firm's template only if it renders the sample case, with known variables."""
    sample = build(sample_snapshot(), Options())
    if problems := render.check(source, sample):
        raise TemplateRejected(
            f"The template does not render: {problems[0]}",
            errors=[FieldError(loc=["body"], msg=p, type="template_error") for p in problems],
        )
    sha256 = _store_bytes(store, source)
    for previous in session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind)):
        previous.is_active = False
        session.add(previous)
    version = (
        session.exec(
            select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind)
        ).one()
        or 0
    ) + 1
    template = DocumentTemplate(
        kind=kind,
        version=version,
        sha256=sha256,
        size=len(source),
        original_filename=Path(filename).name[:255],
        created_by_user_id=actor.user_id,
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor,
        action="template.upload",
        resource_type="template",
        resource_id=template.id,
        details={"kind": kind.value, "version": version},
    )
    return template


def restore_builtin(session: Session, actor: Principal, kind: DocumentKind) -> None:
    """Back to the built-in template; the firm's versions are kept, inactive."""
    for template in session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind)):
        template.is_active = False
        session.add(template)
    audit.record(
        session,
        actor,
        action="template.restore_builtin",
        resource_type="template",
        resource_id=kind.value,
    )


def list_templates(session: Session, kind: DocumentKind) -> Sequence[DocumentTemplate]:
    query = select(DocumentTemplate).where(DocumentTemplate.kind == kind)
    return session.exec(query.order_by(col(DocumentTemplate.version))).all()


class ChainDamaged(Conflict):
    slug = "evidence-chain-damaged"
    title = "The evidence chain does not verify: no attestation can be issued"


class NoCaptures(Conflict):
    slug = "no-captures"
    title = "The file has no screenshot to attest"


def attest(session: Session, actor: Principal, case: Case, store: BlobStore) -> Evidence:
    """Verify the chain, then add the attestation to the case's evidence (chained too)."""
    report = evidence_service.verify_case(session, store, case)
    if not report.intact:
        raise ChainDamaged("GET /cases/{id}/evidence/verification names the damaged items.")
    rows = [
        e
        for e in evidence_service.list_evidence(session, case.id)
        if e.kind == EvidenceKind.screenshot and e.withdrawn_at is None and counts(e.review_status)
    ]
    if not rows:
        raise NoCaptures("Upload the screenshots of the attempts first.")
    snap, _ = snapshot(session, case)
    head = session.get(EvidenceChainHead, case.id)
    assert head is not None  # the chain verified with screenshots in it
    pdf = attestation.attestation_pdf(
        reference=case.reference,
        client=parties.full_name(snap.client),
        firm=snap.firm_name or "Le cabinet",
        issued_at=utcnow(),
        zone=snap.zone,
        zone_note=citing.time_zone_name(snap),
        captures=[
            attestation.Capture(e.chain_index, e.captured_at, e.received_at, e.sha256, e.entry_hash)
            for e in sorted(rows, key=lambda e: e.chain_index)
        ],
        chain_length=report.chain_length,
        head_hash=head.head_hash,
    )
    staging = store.stage()
    staging.write(pdf)
    upload = ReceivedUpload(staging=staging, filename="attestation.pdf", declared_type=PDF)
    form = EvidenceForm(kind=EvidenceKind.integrity_attestation)
    try:
        return evidence_service.create_evidence(session, actor, case, upload, form, store)
    finally:
        upload.discard()
