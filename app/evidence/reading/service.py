"""Reading screenshots in the background: OCR, then what the text proves.

A reading is requested in the upload's transaction (a job, so the upload stays as fast as
before) and done by the worker, which holds no transaction while Tesseract works.
"""

import time
import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app import clock
from app.attempts.models import BookingAttempt
from app.blobstore.storage import make_blob_store
from app.cases.models import Case
from app.config import Settings
from app.db import begin_write, utcnow
from app.evidence.models import Evidence, EvidenceKind
from app.evidence.reading import messages, ocr, parse, signs, verdicts
from app.evidence.reading.models import Reading, ReadingStatus
from app.jobs import service as jobs
from app.jobs.context import JobContext
from app.prefectures.models import Prefecture

READ = "evidence.read"
READABLE = {"image/png", "image/jpeg", "image/webp"}


def wants_reading(evidence: Evidence) -> bool:
    return evidence.kind == EvidenceKind.screenshot and evidence.media_type in READABLE


def request(session: Session, *, evidence: Evidence) -> None:
    """A pending reading and the job that makes it, in the caller's transaction."""
    if not wants_reading(evidence):
        return
    reading = session.get(Reading, evidence.id) or Reading(
        evidence_id=evidence.id, case_id=evidence.case_id
    )
    reading.status, reading.verdict, reading.error = ReadingStatus.pending, None, None
    reading.final_verdict = reading.checked_verdict
    session.add(reading)
    jobs.enqueue(session, kind=READ, payload={"evidence_id": str(evidence.id)},
                 dedupe_key=f"read:{evidence.id}", max_attempts=3)  # fmt: skip


def reread(session: Session, *, case_id: uuid.UUID | None = None) -> int:
    """Ask again for every screenshot's reading (after the engine or the messages changed)."""
    query = select(Evidence).where(col(Evidence.kind) == EvidenceKind.screenshot)
    if case_id is not None:
        query = query.where(Evidence.case_id == case_id)
    count = 0
    for evidence in session.exec(query):
        if wants_reading(evidence):
            request(session, evidence=evidence)
            count += 1
    return count


def read(context: JobContext, payload: dict[str, Any], *, settings: Settings) -> None:
    """The job: OCR one screenshot and judge it against its attempt. No transaction is held
    while Tesseract works."""
    with context.session_factory() as session:
        evidence = session.get(Evidence, uuid.UUID(payload["evidence_id"]))
        if evidence is None:
            return
        case_zone = zone_of(session, evidence=evidence)
        attempt = session.get(BookingAttempt, evidence.attempt_id) if evidence.attempt_id else None
        attempt_local = attempt.attempted_at.astimezone(case_zone) if attempt else None
        outcome = attempt.outcome.value if attempt else None
        received_local = evidence.received_at.astimezone(case_zone)
        known = messages.active_texts(session)

    started = time.monotonic()
    engine = ocr.engine()
    status, text, error = ReadingStatus.done, "", None
    try:
        content = b"".join(make_blob_store(settings).open(evidence.sha256))
        text = ocr.read_text(content)
    except ocr.Unavailable as exc:
        status, error = ReadingStatus.unavailable, str(exc)
    except Exception as exc:  # a damaged image or an engine crash: say so, do not retry forever
        status, error = ReadingStatus.failed, f"{type(exc).__name__}: {exc}"[:500]
    elapsed = (time.monotonic() - started) * 1000

    with context.session_factory() as session:
        begin_write(session)
        reading = session.get(Reading, evidence.id) or Reading(
            evidence_id=evidence.id, case_id=evidence.case_id
        )
        reading.status, reading.error, reading.engine = status, error, engine or ""
        reading.duration_ms, reading.read_at = round(elapsed, 1), utcnow()
        if status is ReadingStatus.done:
            shown_times = parse.times(text)
            shown_dates = parse.dates(text, today=received_local.date())
            sign = signs.confirmation(outcome, text, known) if outcome else None
            judged = verdicts.judge(
                text=text,
                confirmation=sign,
                suggested=None if outcome else signs.suggest(text, known),
                visible_times=shown_times,
                visible_dates=shown_dates,
                attempt_local=attempt_local,
                tolerance=timedelta(minutes=settings.policy.capture_time_tolerance_minutes),
                received_local=received_local,
            )
            reading.text, reading.refusal_message = text, parse.refusal(text, known)
            reading.site, reading.sign = parse.site(text), sign
            reading.visible_times, reading.visible_dates = shown_times, shown_dates
            reading.verdict, reading.proposal = judged.verdict, judged.proposal
            reading.time_difference_minutes = judged.difference_minutes
        # A person's check outlives a new reading.
        reading.final_verdict = reading.checked_verdict or reading.verdict
        session.add(reading)
        session.commit()


def zone_of(session: Session, *, evidence: Evidence) -> ZoneInfo:
    """The wall clock of the préfecture the capture's case is filed with."""
    case = session.get(Case, evidence.case_id)
    prefecture = session.get(Prefecture, case.department_code) if case else None
    return prefecture.zone if prefecture else clock.PARIS


def for_evidence(session: Session, *, ids: list[uuid.UUID]) -> dict[uuid.UUID, Reading]:
    if not ids:
        return {}
    query = select(Reading).where(col(Reading.evidence_id).in_(ids))
    return {reading.evidence_id: reading for reading in session.exec(query)}
