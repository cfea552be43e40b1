"""Freezing a filing bundle: stored once, content-addressed, hash-chained per case."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.audit import service as audit
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore, store_intact
from app.cases.models import Case
from app.documents import bundling
from app.errors import NotFound
from app.evidence import chain
from app.filings.models import Filing
from app.filings.schemas import FilingCreate
from app.pagination import PageRequest, paginate
from app.prefectures.models import Prefecture

# What the chain commits to: everything fixed when the filing is frozen.
CHAINED = (
    "id", "case_id", "chain_index", "filed_on", "tribunal_code", "docket_number", "petition_id",
    "exhibit_plan_hash", "sha256", "size", "note", "created_by_user_id", "created_at",
)  # fmt: skip


class FilingNotFound(NotFound):
    slug = "filing-not-found"
    title = "Filing not found"


def _fields(filing: Filing) -> dict[str, object]:
    return {name: getattr(filing, name) for name in CHAINED}


@dataclass(frozen=True)
class Bundle:
    """The bundle as built and stored, before it is chained."""

    sha256: str
    size: int
    manifest: dict[str, Any]


def build(session: Session, *, case: Case, store: BlobStore) -> Bundle:
    """Build the bundle as GET /bundle would (same checks) and store it: reads and I/O only,
    before the write begins."""
    staging, manifest = bundling.build_bundle(session, store=store, case=case)
    size = staging.size
    return Bundle(store.publish(staging), size, manifest)


def freeze(
    session: Session, *, actor: Principal, case: Case, data: FilingCreate, bundle: Bundle
) -> Filing:
    """Chain the stored bundle as filed: database work only."""
    sha256, size, manifest = bundle.sha256, bundle.size, bundle.manifest
    prefecture = session.get(Prefecture, case.department_code)
    assert prefecture is not None  # foreign key
    # The chain's last entry, read before appending: a concurrent freeze of the same case
    # collides on (case_id, chain_index) and is refused rather than forking the chain.
    last = session.exec(
        select(Filing).where(Filing.case_id == case.id).order_by(col(Filing.chain_index).desc())
    ).first()
    filing = Filing(
        case_id=case.id,
        chain_index=(last.chain_index if last else 0) + 1,
        filed_on=data.filed_on or clock.today(),
        tribunal_code=prefecture.tribunal_code,
        docket_number=data.docket_number,
        petition_id=uuid.UUID(manifest["petition"]["id"]),
        exhibit_plan_hash=manifest["exhibit_plan_hash"],
        sha256=sha256,
        size=size,
        manifest=manifest,
        note=data.note,
        created_by_user_id=actor.user_id,
        prev_hash=last.entry_hash if last else chain.GENESIS,
        entry_hash="",
    )
    filing.entry_hash = chain.entry_hash(_fields(filing), filing.prev_hash, CHAINED)
    session.add(filing)
    session.flush()
    audit.record(
        session, actor=actor, action="filing.freeze", resource_type="filing", resource_id=filing.id,
        details={"case_id": str(case.id), "sha256": sha256, "entry_hash": filing.entry_hash},
    )  # fmt: skip
    return filing


def page_filings(
    session: Session, *, case_id: uuid.UUID, page: PageRequest
) -> tuple[list[Filing], str | None]:
    query = select(Filing).where(Filing.case_id == case_id)
    return paginate(session, query=query, columns=(col(Filing.chain_index),), page=page)


def list_filings(session: Session, *, case_id: uuid.UUID) -> Sequence[Filing]:
    query = select(Filing).where(Filing.case_id == case_id)
    return session.exec(query.order_by(col(Filing.chain_index))).all()


def get_filing(session: Session, *, filing_id: uuid.UUID) -> Filing:
    filing = session.get(Filing, filing_id)
    if filing is None:
        raise FilingNotFound(f"No filing with id {filing_id}.")
    return filing


def verify(session: Session, *, case_id: uuid.UUID, store: BlobStore) -> tuple[int, bool, bool]:
    """(filings, chain intact, every ZIP stored and unaltered)."""
    filings = list_filings(session, case_id=case_id)
    checks, _ = chain.check_links(
        [(_fields(f), f.prev_hash, f.entry_hash) for f in filings],
        len(filings),
        filings[-1].entry_hash if filings else chain.GENESIS,
        CHAINED,
    )
    intact = all(c.record_intact and c.link_intact for c in checks)
    blobs = all(store_intact(store, f.sha256) for f in filings)
    return len(filings), intact, blobs
