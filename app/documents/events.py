"""What writes to drafts emit (installed by app.wiring)."""

from typing import Any

from app.api import API_PREFIX
from app.documents.models import GeneratedDocument
from app.events.emit import Emitter, Spec


def _generated(document: Any) -> list[Spec]:
    path = f"{API_PREFIX}/documents/{document.id}"
    facts = {
        "kind": document.kind,
        "version": document.version,
        "sha256": document.sha256,
        "size": document.size,
        "download_path": f"{path}/content",
    }
    return [Spec("document.generated", document, "document", path, document.case_id, facts)]


EMITTER = Emitter(GeneratedDocument, on_new=_generated)
