"""Which stored blobs are still needed: every table that names a blob by its hash.

One list for ``storage gc`` (what may go), an erasure and an export's expiry (whether the
same bytes still serve another record before deleting them). An erased record keeps its
hash, not its file; an export needs its ZIP only while it can be downloaded.
"""

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from app.documents.models import DocumentTemplate, GeneratedDocument
from app.evidence.models import Evidence
from app.filings.models import Filing
from app.personal_data.models import Export, ExportStatus


def _needing() -> list[tuple[Any, Any]]:
    """(hash column, condition) for each kind of record that needs its blob."""
    return [
        (Evidence.sha256, col(Evidence.erased_at).is_(None)),
        (GeneratedDocument.sha256, col(GeneratedDocument.erased_at).is_(None)),
        (DocumentTemplate.sha256, True),
        (Filing.sha256, col(Filing.erased_at).is_(None)),
        (Export.sha256, col(Export.status) == ExportStatus.ready),
    ]


def needed(session: Session) -> set[str]:
    found: set[str] = set()
    for column, condition in _needing():
        found.update(session.exec(select(column).where(condition).distinct()).all())
    return found


def still_needed(session: Session, *, blobs: Iterable[str]) -> set[str]:
    """Those of ``blobs`` some record still needs."""
    wanted = list(blobs)
    found: set[str] = set()
    if not wanted:
        return found
    for column, condition in _needing():
        found.update(session.exec(select(column).where(condition, col(column).in_(wanted))).all())
    return found
