"""What writes to evidence emit (installed by app.wiring)."""

from typing import Any

from app.api import API_PREFIX
from app.events.emit import Emitter, Spec
from app.evidence.models import Evidence


def _added(evidence: Any) -> list[Spec]:
    facts = {
        "kind": evidence.kind,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "attempt_id": evidence.attempt_id,
        "review_status": evidence.review_status,
    }
    path = f"{API_PREFIX}/evidence/{evidence.id}"
    return [Spec("evidence.added", evidence, "evidence", path, evidence.case_id, facts)]


def _changed(evidence: Any, changed: set[str]) -> list[Spec]:
    if "withdrawn_at" in changed and evidence.withdrawn_at is not None:
        path = f"{API_PREFIX}/evidence/{evidence.id}"
        return [Spec("evidence.withdrawn", evidence, "evidence", path, evidence.case_id)]
    return []


EMITTER = Emitter(Evidence, on_new=_added, on_change=_changed)
