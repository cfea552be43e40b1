"""What writes to filings emit (installed by app.wiring)."""

from typing import Any

from app.api import API_PREFIX
from app.events.emit import Emitter, Spec
from app.filings.models import Filing


def _created(filing: Any) -> list[Spec]:
    path = f"{API_PREFIX}/filings/{filing.id}"
    facts = {
        "tribunal_code": filing.tribunal_code,
        "filed_on": filing.filed_on,
        "sha256": filing.sha256,
        "size": filing.size,
        "download_path": f"{path}/content",
    }
    return [Spec("filing.created", filing, "filing", path, filing.case_id, facts)]


EMITTER = Emitter(Filing, on_new=_created)
