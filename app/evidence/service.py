"""Evidence: accepted only if allowed, stored exactly as received, chained, provable."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.attempts.models import BookingAttempt, ReviewStatus
from app.audit import service as audit
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore, store_intact
from app.cases.models import Case
from app.contacts.models import PrefectureContact
from app.db import utcnow
from app.errors import invalid_fields
from app.evidence import chain
from app.evidence.errors import AlreadyWithdrawn, EvidenceNotFound
from app.evidence.intake import Prepared
from app.evidence.models import Evidence, EvidenceChainHead
from app.evidence.reading import service as readings
from app.evidence.reading.models import Reading, Verdict
from app.evidence.schemas import EvidenceForm, ItemCheck, VerificationRead
from app.pagination import PageRequest, paginate


def _check_links(session: Session, *, case: Case, form: EvidenceForm) -> None:
    problems = []
    if form.attempt_id is not None:
        attempt = session.get(BookingAttempt, form.attempt_id)
        if attempt is None or attempt.case_id != case.id:
            problems.append(("attempt_id", "no attempt of this case has this id"))
    if form.contact_id is not None:
        contact = session.get(PrefectureContact, form.contact_id)
        if contact is None or contact.case_id != case.id:
            problems.append(("contact_id", "no contact of this case has this id"))
    if problems:
        raise invalid_fields(problems)


def _lock_head(session: Session, *, case_id: uuid.UUID) -> EvidenceChainHead:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(EvidenceChainHead)
        .values(case_id=case_id, length=0, head_hash=chain.GENESIS)
        .on_conflict_do_nothing(index_elements=["case_id"])
    )
    query = select(EvidenceChainHead).where(EvidenceChainHead.case_id == case_id)
    return session.exec(query.with_for_update().execution_options(populate_existing=True)).one()


def chained_fields(evidence: Evidence) -> dict[str, Any]:
    return {name: getattr(evidence, name) for name in chain.CHAINED_FIELDS}


def record_evidence(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    prepared: Prepared,
    form: EvidenceForm,
    upload_link_id: uuid.UUID | None = None,
    review_status: ReviewStatus = ReviewStatus.accepted,
    read: bool = True,
) -> Evidence:
    """Append a prepared upload to the case's chain, in the caller's write: database work
    only (the bytes were checked and published by ``intake.prepare``)."""
    _check_links(session, case=case, form=form)
    if prepared.refusal is not None:
        raise prepared.refusal
    image = prepared.image
    head = _lock_head(session, case_id=case.id)
    evidence = Evidence(
        case_id=case.id,
        chain_index=head.length + 1,
        kind=form.kind,
        captured_at=form.captured_at,
        received_at=utcnow(),
        sha256=prepared.sha256,
        size=prepared.size,
        media_type=prepared.media_type,
        original_filename=prepared.filename,
        description=form.description,
        attempt_id=form.attempt_id,
        contact_id=form.contact_id,
        uploaded_by_user_id=actor.user_id,
        uploaded_by_api_key_id=actor.api_key_id,
        image_width=image.width if image else None,
        image_height=image.height if image else None,
        image_capture_time=image.capture_time if image else None,
        prev_hash=head.head_hash,
        entry_hash="",
        upload_link_id=upload_link_id,
        review_status=review_status,
    )
    evidence.entry_hash = chain.entry_hash(chained_fields(evidence), evidence.prev_hash)
    head.length, head.head_hash = evidence.chain_index, evidence.entry_hash
    session.add_all([evidence, head])
    session.flush()
    audit.record(
        session, actor=actor, action="evidence.create", resource_type="evidence",
        resource_id=evidence.id,
        details={
            "case_id": str(case.id), "sha256": prepared.sha256, "entry_hash": evidence.entry_hash
        },
    )  # fmt: skip
    if read:
        readings.request(
            session, evidence=evidence
        )  # OCR in the background: the upload does not wait
    return evidence


def get_evidence(session: Session, *, evidence_id: uuid.UUID) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise EvidenceNotFound(f"No evidence with id {evidence_id}.")
    return evidence


def page_evidence(
    session: Session, *, case_id: uuid.UUID, page: PageRequest, verdict: Verdict | None = None
) -> tuple[list[Evidence], str | None]:
    query = select(Evidence).where(Evidence.case_id == case_id)
    if verdict is not None:
        read = select(Reading.evidence_id).where(
            Reading.case_id == case_id, Reading.final_verdict == verdict
        )
        query = query.where(col(Evidence.id).in_(read))
    return paginate(session, query=query, columns=(col(Evidence.chain_index),), page=page)


def list_evidence(session: Session, *, case_id: uuid.UUID) -> Sequence[Evidence]:
    query = select(Evidence).where(Evidence.case_id == case_id)
    return session.exec(query.order_by(col(Evidence.chain_index))).all()


def from_link(
    session: Session, *, link_id: uuid.UUID, attempt_ids: list[uuid.UUID]
) -> list[Evidence]:
    """The files sent through an upload link with these attempts."""
    if not attempt_ids:
        return []
    query = select(Evidence).where(col(Evidence.attempt_id).in_(attempt_ids))
    return list(session.exec(query.where(Evidence.upload_link_id == link_id)))


def count_from_link(session: Session, *, link_id: uuid.UUID, since: datetime) -> int:
    """How many files an upload link has received since an instant."""
    query = (
        select(func.count())
        .select_from(Evidence)
        .where(Evidence.upload_link_id == link_id, col(Evidence.received_at) >= since)
    )
    return int(session.exec(query).one())


def set_review(
    session: Session,
    *,
    attempt_id: uuid.UUID,
    decision: ReviewStatus,
    current: ReviewStatus = ReviewStatus.submitted,
) -> list[Evidence]:
    """The firm's decision on the files a client sent with an attempt, on those whose
    review status is ``current`` (waiting for it; rejected, to reopen them)."""
    query = select(Evidence).where(
        Evidence.attempt_id == attempt_id, Evidence.review_status == current
    )
    items = list(session.exec(query))
    for item in items:
        item.review_status = decision
        session.add(item)
    return items


def withdraw(session: Session, *, actor: Principal, evidence: Evidence, reason: str) -> Evidence:
    """Take the item out of the exhibits; its bytes and its chain entry stay."""
    if evidence.withdrawn_at is not None:
        raise AlreadyWithdrawn(f"Withdrawn on {evidence.withdrawn_at.isoformat()}.")
    evidence.withdrawn_at = utcnow()
    evidence.withdrawn_reason = reason
    evidence.withdrawn_by_user_id = actor.user_id
    session.add(evidence)
    audit.record(
        session, actor=actor, action="evidence.withdraw", resource_type="evidence",
        resource_id=evidence.id, details={"case_id": str(evidence.case_id)},
    )  # fmt: skip
    return evidence


def blob_intact(store: BlobStore, evidence: Evidence) -> bool:
    return store_intact(store, evidence.sha256, evidence.size)


def verify_case(session: Session, *, store: BlobStore, case: Case) -> VerificationRead:
    """Re-read every stored byte and re-walk the chain."""
    items = list(list_evidence(session, case_id=case.id))
    head = session.get(EvidenceChainHead, case.id)
    links, head_ok = chain.check_links(
        [(chained_fields(e), e.prev_hash, e.entry_hash) for e in items],
        head.length if head else 0,
        head.head_hash if head else chain.GENESIS,
    )
    checks = []
    for evidence, link in zip(items, links, strict=True):
        # An erased entry keeps its hash (the chain still proves order and count) but no
        # longer its content: its file and its record cannot be checked, by design.
        erased = evidence.erased_at is not None
        blob_ok = erased or blob_intact(store, evidence)
        record_ok = erased or link.record_intact
        checks.append(
            ItemCheck(
                evidence_id=evidence.id,
                chain_index=evidence.chain_index,
                blob_intact=blob_ok,
                record_intact=record_ok,
                link_intact=link.link_intact,
                erased=erased,
                intact=blob_ok and record_ok and link.link_intact,
            )
        )
    return VerificationRead(
        case_id=case.id,
        intact=head_ok and all(c.intact for c in checks),
        checked_at=utcnow(),
        chain_length=head.length if head else 0,
        head_intact=head_ok,
        items=checks,
    )
