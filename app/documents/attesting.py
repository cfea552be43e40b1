"""The integrity attestation: the case's chain verified, then its PDF added as evidence.

``prepare`` re-reads and re-hashes every stored byte, writes the PDF and checks and publishes
it as evidence bytes; ``record`` adds it to the case's evidence. The route calls them on
either side of ``db.write_phase``, so the write lock is not held while the screenshots are
re-read or the PDF stored.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.attempts.review import counts
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore
from app.cases.models import Case
from app.db import utcnow
from app.documents import attestation
from app.documents.context import citing, parties
from app.documents.errors import ChainDamaged, NoCaptures
from app.documents.snapshot import snapshot
from app.evidence import intake
from app.evidence import service as evidence_service
from app.evidence.content import PDF
from app.evidence.models import Evidence, EvidenceChainHead, EvidenceKind
from app.evidence.schemas import EvidenceForm
from app.evidence.upload import ReceivedUpload


@dataclass(frozen=True)
class Attestation:
    """The attestation's PDF, checked and stored, and the head of the chain its verification
    saw."""

    pdf: intake.Prepared
    head_hash: str


def prepare(session: Session, *, case: Case, store: BlobStore) -> Attestation:
    """Verify the chain and write the attestation of its screenshots."""
    report = evidence_service.verify_case(session, store=store, case=case)
    if not report.intact:
        raise ChainDamaged("GET /cases/{id}/evidence/verification names the damaged items.")
    rows = [
        e
        for e in evidence_service.list_evidence(session, case_id=case.id)
        if e.kind == EvidenceKind.screenshot and e.withdrawn_at is None and counts(e.review_status)
    ]
    if not rows:
        raise NoCaptures("Upload the screenshots of the attempts first.")
    snap, _ = snapshot(session, case=case)
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
    return Attestation(pdf=_stored(pdf, store=store), head_hash=head.head_hash)


def _stored(pdf: bytes, *, store: BlobStore) -> intake.Prepared:
    staging = store.stage()
    staging.write(pdf)
    upload = ReceivedUpload(staging=staging, filename="attestation.pdf", declared_type=PDF)
    try:
        return intake.prepare(upload, store=store)
    finally:
        upload.discard()


def record(
    session: Session,
    *,
    actor: Principal,
    case: Case,
    store: BlobStore,
    prepared: Attestation,
) -> Evidence:
    """Add the attestation to the case's evidence (chained too), right after the head it
    attests."""
    if _locked_head_hash(session, case=case) != prepared.head_hash:
        # Evidence joined the chain since the verification: the PDF would neither list it
        # nor end where the attestation is chained. Verify again, under the lock this time.
        session.expire_all()
        prepared = prepare(session, case=case, store=store)
    form = EvidenceForm(kind=EvidenceKind.integrity_attestation)
    return evidence_service.record_evidence(
        session, actor=actor, case=case, prepared=prepared.pdf, form=form
    )


def _locked_head_hash(session: Session, *, case: Case) -> str:
    """The chain's head as it is now, locked until the commit (PostgreSQL; SQLite's write
    transaction holds the whole database)."""
    query = (
        select(EvidenceChainHead)
        .where(EvidenceChainHead.case_id == case.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(query).one().head_hash
