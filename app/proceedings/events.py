"""What writes to proceedings emit (installed by app.wiring)."""

from typing import Any

from app.cases.events import case_path
from app.events.emit import Emitter, Spec
from app.proceedings.models import Proceeding


def _path(proceeding: Any) -> str:
    return case_path(proceeding.case_id, f"/proceedings/{proceeding.id}")


def _created(proceeding: Any) -> list[Spec]:
    facts = {"tribunal_code": proceeding.tribunal_code, "filed_date": proceeding.filed_date}
    return [
        Spec("proceeding.created", proceeding, "proceeding", _path(proceeding),
             proceeding.case_id, facts)
    ]  # fmt: skip


def _changed(proceeding: Any, changed: set[str]) -> list[Spec]:
    path = _path(proceeding)
    if "outcome" in changed and proceeding.outcome is not None:
        facts = {"outcome": proceeding.outcome, "decision_date": proceeding.decision_date}
        return [
            Spec("proceeding.decided", proceeding, "proceeding", path, proceeding.case_id, facts)
        ]
    return [Spec("proceeding.updated", proceeding, "proceeding", path, proceeding.case_id)]


EMITTER = Emitter(Proceeding, on_new=_created, on_change=_changed)
