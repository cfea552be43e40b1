"""Erasing a client's personal data (RGPD art. 17), while the firm keeps what it must.

What goes: every identity field of the client, every free text written about the client's
cases (attempt messages, letters' summaries, notes, reasons, OCR text), every evidence file
and generated draft (from storage, S3 included), the drafts' snapshots and the stored answers
of idempotent requests (they repeat names). What stays: the rows themselves with their
dates, outcomes and kinds — the firm's statistics keep their counts — and each evidence
entry's hash, so the case's chain still verifies (its content is marked erased).

The updates are plain SQL statements: an erasure is one audited act (``client.erase``) and
one event (``client.erased``), not a burst of « updated » events.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.agenda.deadlines import DeadlineKind, case_deadlines
from app.agenda.facts import case_facts
from app.attempts.models import BookingAttempt
from app.audit import service as audit
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore
from app.cases.models import Case, StageChange, UrgencyFact
from app.cases.stages import Stage
from app.client_links.models import UploadLink
from app.clients import events as client_events
from app.clients.errors import ClientNotFound
from app.clients.models import Client, ClientNameToken
from app.clock import today
from app.contacts.models import PrefectureContact
from app.db import utcnow
from app.documents.models import GeneratedDocument
from app.events import emit
from app.evidence.models import Evidence
from app.evidence.reading.models import Reading
from app.filings.models import Filing
from app.idempotency.models import IdempotencyRecord
from app.personal_data.blobs import still_needed
from app.personal_data.errors import AlreadyErased, ErasureRefused
from app.personal_data.models import Export, ExportStatus
from app.policy import FirmPolicy
from app.proceedings.models import Proceeding

ERASED_NAME = "Effacé"
# The client's own dates (a permit's expiry, an urgency): not a procedure's, they keep nothing.
NOT_PROCEDURAL = {DeadlineKind.document_expiry, DeadlineKind.urgency}


@dataclass(frozen=True)
class Erasure:
    client_id: uuid.UUID
    erased_at: datetime
    cases: int
    # Files to delete once the erasure is committed (never before: a rolled-back erasure
    # must not have lost evidence).
    blobs: frozenset[str]


def reasons_to_keep(session: Session, *, policy: FirmPolicy, cases: Iterable[Case]) -> list[str]:
    """Why these cases must be kept for now, one sentence each (empty: they may go)."""
    reasons = []
    day = today()
    for case in cases:
        if case.legal_hold_reason is not None:
            reasons.append(f"{case.reference}: under a legal hold ({case.legal_hold_reason}).")
        if case.stage != Stage.closed:
            reasons.append(f"{case.reference}: the case is still open.")
        pending = session.exec(
            select(Proceeding.id).where(
                Proceeding.case_id == case.id, col(Proceeding.outcome).is_(None)
            )
        ).first()
        if pending is not None:
            reasons.append(f"{case.reference}: a proceeding awaits its decision.")
        ahead = case_deadlines(case_facts(session, case=case), policy, day, start=day)
        if any(deadline.kind not in NOT_PROCEDURAL for deadline in ahead):
            reasons.append(f"{case.reference}: a procedural deadline is still ahead.")
    return reasons


def erase_client(
    session: Session,
    *,
    actor: Principal,
    client_id: uuid.UUID,
    reason: str,
    policy: FirmPolicy,
) -> Erasure:
    client = session.exec(select(Client).where(Client.id == client_id).with_for_update()).first()
    if client is None:
        raise ClientNotFound(f"No client with id {client_id}.")
    if client.erased_at is not None:
        raise AlreadyErased(f"Erased on {client.erased_at.isoformat()}.")
    cases = list(session.exec(select(Case).where(Case.client_id == client_id)))
    if found := reasons_to_keep(session, policy=policy, cases=cases):
        raise ErasureRefused(" ".join(found), extra={"reasons": found})
    now = utcnow()
    case_ids = [case.id for case in cases]
    blobs = _erase_cases(session, case_ids=case_ids, now=now)
    blobs |= _erase_identity(session, client_id=client_id, now=now)
    _forget_stored_answers(session, ids=[client_id, *case_ids])
    audit.record(
        session,
        actor=actor,
        action="client.erase",
        resource_type="client",
        resource_id=client_id,
        details={"reason": reason, "cases": len(case_ids), "files": len(blobs)},
    )
    emit.record(session, specs=[client_events.erased(client_id)])
    # The session's copies predate the plain SQL above.
    session.expire_all()
    return Erasure(client_id, now, len(case_ids), frozenset(blobs))


def delete_unreferenced(session: Session, *, store: BlobStore, blobs: Iterable[str]) -> None:
    """Delete the erased files that no record still needs (the same bytes may have been
    uploaded for another client). Called after the commit; a failure leaves the file for
    ``creneau storage gc``."""
    live = still_needed(session, blobs=blobs)
    for sha256 in set(blobs) - live:
        store.delete(sha256)


def _erase_identity(session: Session, *, client_id: uuid.UUID, now: datetime) -> set[str]:
    """The client's own record and exports; the exports' ZIPs to delete."""
    session.execute(sa.delete(ClientNameToken).where(col(ClientNameToken.client_id) == client_id))
    exports = col(Export.client_id) == client_id
    zips = set(session.exec(select(Export.sha256).where(exports, col(Export.sha256).is_not(None))))
    # A queued export finds the client erased when it is done, and fails.
    session.execute(
        sa.update(Export)
        .where(exports, col(Export.status) == ExportStatus.ready)
        .values(status=ExportStatus.expired)
    )
    session.execute(
        sa.update(Client)
        .where(col(Client.id) == client_id)
        .values(
            last_name=ERASED_NAME, first_names=ERASED_NAME, search_name="", birth_date=None,
            birth_place="", nationality="", address="", email=None, phone=None, agdref=None,
            entry_date=None, residence_document_number=None,
            residence_document_expiry_date=None, has_oqtf=False, oqtf_executed=False,
            legal_aid_bureau=None, legal_aid_decision_number=None,
            legal_aid_request_date=None, legal_aid_decision_date=None, external_ref=None,
            erased_at=now, updated_at=now, version=col(Client.version) + 1,
        )
    )  # fmt: skip
    return {sha256 for sha256 in zips if sha256 is not None}


def _erase_cases(session: Session, *, case_ids: list[uuid.UUID], now: datetime) -> set[str]:
    """Every free text and file under the cases; the blobs to delete."""
    if not case_ids:
        return set()
    evidence_ids = select(Evidence.id).where(col(Evidence.case_id).in_(case_ids))
    blobs = set(
        session.exec(select(Evidence.sha256).where(col(Evidence.case_id).in_(case_ids))).all()
    )
    for column, case_column in (
        (GeneratedDocument.sha256, GeneratedDocument.case_id),
        (Filing.sha256, Filing.case_id),
    ):
        blobs.update(session.exec(select(column).where(col(case_column).in_(case_ids))).all())
    in_cases = col(Case.id).in_(case_ids)
    statements = (
        sa.update(Case).where(in_cases).values(
            site="", booking_url=None, closed_reason=None, outcome=None, external_ref=None,
            updated_at=now, version=col(Case.version) + 1,
        ),
        sa.delete(UrgencyFact).where(col(UrgencyFact.case_id).in_(case_ids)),
        sa.update(StageChange).where(col(StageChange.case_id).in_(case_ids)).values(
            note="", override_reason=None
        ),
        sa.update(BookingAttempt).where(col(BookingAttempt.case_id).in_(case_ids)).values(
            message="", page_url=None, procedure_selected="", review_reason=None
        ),
        sa.update(PrefectureContact).where(col(PrefectureContact.case_id).in_(case_ids)).values(
            recipient="", registered_letter_number=None, summary="", response_summary=""
        ),
        sa.update(Proceeding).where(col(Proceeding.case_id).in_(case_ids)).values(
            court_case_number=None, appointment_place=""
        ),
        sa.delete(Reading).where(col(Reading.evidence_id).in_(evidence_ids)),
        sa.update(Evidence).where(col(Evidence.case_id).in_(case_ids)).values(
            original_filename="", description="", withdrawn_reason=None, erased_at=now
        ),
        sa.update(GeneratedDocument)
        .where(col(GeneratedDocument.case_id).in_(case_ids))
        .values(snapshot={}, options={}, exhibit_plan=[], erased_at=now),
        sa.update(Filing).where(col(Filing.case_id).in_(case_ids)).values(
            manifest={}, note="", docket_number=None, erased_at=now
        ),
        sa.update(UploadLink).where(col(UploadLink.case_id).in_(case_ids)).values(
            note="", revoked_at=sa.func.coalesce(col(UploadLink.revoked_at), now)
        ),
    )  # fmt: skip
    for statement in statements:
        session.execute(statement)
    return blobs


def _forget_stored_answers(session: Session, *, ids: list[uuid.UUID]) -> None:
    """Stored answers of idempotent requests repeat what they created (names included)."""
    body = sa.cast(col(IdempotencyRecord.body), sa.Text)
    session.execute(
        sa.delete(IdempotencyRecord).where(sa.or_(*[body.contains(str(i)) for i in ids]))
    )
