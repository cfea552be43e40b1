"""Upload links: the firm sends one to its client, who sends failed booking attempts with
their captures from a phone. Nothing the client sends counts until the firm accepts it.

A token opens one case's page and nothing else: every query here is scoped by the link's
case, and what the client sent is never served back on the public page.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.attempts import service as attempts_service
from app.attempts.models import AttemptOutcome, AttemptSource, BookingAttempt, ReviewStatus
from app.audit import service as audit
from app.auth import security
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.blobstore.storage import BlobStore
from app.cases.models import Case
from app.client_links.errors import (
    AlreadyReviewed,
    AttemptNotSubmitted,
    DailyCapReached,
    LinkGone,
    LinkNotFound,
    NotRejected,
)
from app.client_links.models import UploadLink
from app.client_links.schemas import LinkCreate, ReviewCreate
from app.db import utcnow
from app.errors import NotFound
from app.evidence import intake
from app.evidence import service as evidence_service
from app.evidence.intake import Prepared
from app.evidence.models import Evidence, EvidenceKind
from app.evidence.schemas import EvidenceForm
from app.evidence.upload import ReceivedUpload
from app.firm.service import get_profile
from app.prefectures import service as prefecture_service
from app.prefectures.errors import ProcedureNotFound
from app.prefectures.models import Prefecture

TOKEN_PREFIX = "crnu_"
LANGUAGES = ("fr", "en", "ar")


def create(
    session: Session, *, actor: Principal, case: Case, data: LinkCreate, days: int, cap: int
) -> tuple[UploadLink, str]:
    new = security.generate_api_key(TOKEN_PREFIX)
    link = UploadLink(
        case_id=case.id,
        lookup=new.lookup,
        token_hash=new.secret_hash,
        language=data.language,
        note=data.note,
        daily_cap=data.daily_cap or cap,
        expires_at=utcnow() + timedelta(days=data.expires_in_days or days),
        created_by_user_id=actor.user_id,
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="upload_link.create",
        resource_type="case",
        resource_id=case.id,
        details={"link_id": str(link.id)},
    )
    return link, new.secret


def for_case(session: Session, *, case: Case) -> list[UploadLink]:
    query = select(UploadLink).where(UploadLink.case_id == case.id)
    return list(session.exec(query.order_by(col(UploadLink.created_at))))


def get(session: Session, *, case: Case, link_id: uuid.UUID) -> UploadLink:
    link = session.get(UploadLink, link_id)
    if link is None or link.case_id != case.id:
        raise LinkNotFound(f"No upload link {link_id} for this case.")
    return link


def revoke(session: Session, *, actor: Principal, link: UploadLink) -> UploadLink:
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_user_id = utcnow(), actor.user_id
        session.add(link)
        audit.record(
            session,
            actor=actor,
            action="upload_link.revoke",
            resource_type="case",
            resource_id=link.case_id,
            details={"link_id": str(link.id)},
        )
    return link


def received(session: Session, *, link: UploadLink) -> list[tuple[BookingAttempt, list[Evidence]]]:
    """What came through the link, newest first, each attempt with its files."""
    attempts = attempts_service.from_link(session, link_id=link.id)
    files: dict[uuid.UUID, list[Evidence]] = {a.id: [] for a in attempts}
    for item in evidence_service.from_link(session, link_id=link.id, attempt_ids=list(files)):
        if item.attempt_id is not None:
            files[item.attempt_id].append(item)
    return [(a, files[a.id]) for a in attempts]


@dataclass(frozen=True)
class Opened:
    link: UploadLink
    case: Case
    prefecture: Prefecture


def open_link(session: Session, *, token: str) -> Opened:
    """The link for a token: 404 unknown, 410 expired or revoked."""
    lookup = security.api_key_lookup(token, TOKEN_PREFIX)
    link = (
        session.exec(select(UploadLink).where(UploadLink.lookup == lookup)).first()
        if lookup
        else None
    )
    if link is None or not security.api_key_matches(token, link.token_hash):
        raise LinkNotFound("This address is not an upload link.")
    if link.revoked_at is not None or link.expires_at <= utcnow():
        raise LinkGone("Ask the firm for a new link.")
    case = session.get(Case, link.case_id)
    assert case is not None
    prefecture = session.get(Prefecture, case.department_code)
    assert prefecture is not None
    return Opened(link, case, prefecture)


def files_today(session: Session, *, link: UploadLink, prefecture: Prefecture) -> int:
    local_midnight = datetime.combine(clock.today(prefecture.zone), time(0), prefecture.zone)
    return evidence_service.count_from_link(session, link_id=link.id, since=local_midnight)


@dataclass(frozen=True)
class PageFacts:
    """What the client's page says about the firm and the case (nothing else)."""

    firm: str
    procedure: str


def page_facts(session: Session, *, opened: Opened) -> PageFacts:
    code = opened.case.procedure_code
    try:
        procedure = prefecture_service.get_procedure(session, code=code).label
    except ProcedureNotFound:
        procedure = code
    return PageFacts(firm=get_profile(session).name or "Cabinet", procedure=procedure)


def prepare(uploads: list[ReceivedUpload], *, store: BlobStore) -> list[Prepared]:
    """Each file checked and published, before the write that records them begins."""
    return [intake.prepare(upload, store=store) for upload in uploads]


def submit(
    session: Session,
    *,
    opened: Opened,
    attempted_at: datetime,
    outcome: AttemptOutcome,
    files: list[Prepared],
) -> tuple[BookingAttempt, list[Evidence]]:
    """One attempt (or the one already recorded at that instant) and its captures, waiting
    for the firm's review; every file through the evidence pipeline."""
    link, case = opened.link, opened.case
    if files_today(session, link=link, prefecture=opened.prefecture) + len(files) > link.daily_cap:
        raise DailyCapReached(
            f"Up to {link.daily_cap} files a day; try again tomorrow.",
            headers={"Retry-After": str(_seconds_to_midnight(opened.prefecture))},
        )
    # The client acts through the link its creator gave out: that user is the record's author.
    actor = Principal(user_id=link.created_by_user_id, role=Role.paralegal)
    attempt = attempts_service.record_submission(
        session, case=case, actor=actor, link_id=link.id,
        attempted_at=attempted_at, outcome=outcome,
    )  # fmt: skip
    form = EvidenceForm(
        kind=EvidenceKind.screenshot,
        attempt_id=attempt.id,
        description="Envoyé par le client (lien de dépôt)",
    )
    stored = []
    for prepared in files:
        item = evidence_service.record_evidence(
            session, actor=actor, case=case, prepared=prepared, form=form,
            upload_link_id=link.id, review_status=ReviewStatus.submitted,
        )  # fmt: skip
        stored.append(item)
    link.last_used_at = utcnow()
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="upload_link.use",
        resource_type="case",
        resource_id=case.id,
        details={"link_id": str(link.id), "attempt_id": str(attempt.id), "files": len(stored)},
    )
    return attempt, stored


def _seconds_to_midnight(prefecture: Prefecture) -> int:
    now = clock.now().astimezone(prefecture.zone)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), prefecture.zone)
    return max(1, int((midnight - now).total_seconds()))


def _submission(session: Session, *, case: Case, attempt_id: uuid.UUID) -> BookingAttempt:
    """The case's attempt a client sent, to review (404 otherwise; 409 for the firm's own)."""
    attempt = attempts_service.find_attempt(session, case=case, attempt_id=attempt_id)
    if attempt is None:
        raise NotFound(f"No attempt {attempt_id} in this case.")
    if attempt.source is not AttemptSource.client_link:
        raise AttemptNotSubmitted("The firm's own entries need no review.")
    return attempt


def reopen(
    session: Session, *, actor: Principal, case: Case, attempt_id: uuid.UUID
) -> BookingAttempt:
    """A rejected submission back to review, with its files: a rejection made in error is
    undone, and the submission waits for the firm's decision again."""
    attempt = _submission(session, case=case, attempt_id=attempt_id)
    if attempt.review_status is not ReviewStatus.rejected:
        raise NotRejected(
            f"Only a rejected submission is reopened; this one is {attempt.review_status.value}."
        )
    attempts_service.set_review(
        session, attempt=attempt, decision=ReviewStatus.submitted, reason=None
    )
    evidence_service.set_review(
        session,
        attempt_id=attempt.id,
        decision=ReviewStatus.submitted,
        current=ReviewStatus.rejected,
    )
    audit.record(
        session,
        actor=actor,
        action="attempt.reopen",
        resource_type="case",
        resource_id=case.id,
        details={"attempt_id": str(attempt.id)},
    )
    return attempt


def review(
    session: Session, *, actor: Principal, case: Case, attempt_id: uuid.UUID, data: ReviewCreate
) -> BookingAttempt:
    attempt = _submission(session, case=case, attempt_id=attempt_id)
    if attempt.review_status is not ReviewStatus.submitted:
        raise AlreadyReviewed(f"Already {attempt.review_status.value}.")
    attempts_service.set_review(
        session, attempt=attempt, decision=data.decision, reason=data.reason
    )
    evidence_service.set_review(session, attempt_id=attempt.id, decision=data.decision)
    audit.record(
        session,
        actor=actor,
        action=f"attempt.{data.decision.value.removesuffix('ed')}",
        resource_type="case",
        resource_id=case.id,
        details={"attempt_id": str(attempt.id), "reason": data.reason or ""},
    )
    return attempt
