"""Which evidence a case holds now: the check behind an urgency fact's link to a piece
(``cases.guard.EvidenceOfCase``, wired at start-up: cases cannot import evidence)."""

import uuid

from sqlmodel import Session, col, select

from app.evidence.models import Evidence


def current_of_case(session: Session, *, case_id: uuid.UUID, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` are evidence of the case, not withdrawn."""
    query = select(Evidence.id).where(
        col(Evidence.id).in_(ids),
        Evidence.case_id == case_id,
        col(Evidence.withdrawn_at).is_(None),
    )
    return set(session.exec(query).all())
