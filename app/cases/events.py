"""What writes to cases emit (installed by app.wiring)."""

import uuid
from typing import Any

from app.api import API_PREFIX
from app.cases.models import Case
from app.cases.stages import Stage
from app.events.emit import Emitter, Spec, old

# Columns a closing writes beside the stage: they are part of case.closed, not an update.
_CLOSING = {"stage", "closed_at", "closed_reason", "outcome"}


def case_path(case_id: uuid.UUID, tail: str = "") -> str:
    """The API path of a case, or of something under it."""
    return f"{API_PREFIX}/cases/{case_id}{tail}"


def _created(case: Any) -> list[Spec]:
    facts = {
        "stage": case.stage,
        "department_code": case.department_code,
        "procedure_code": case.procedure_code,
    }
    return [Spec("case.created", case, "case", case_path(case.id), case.id, facts)]


def _changed(case: Any, changed: set[str]) -> list[Spec]:
    path = case_path(case.id)
    specs = []
    if "stage" in changed:
        facts = {"from_stage": old(case, "stage"), "to_stage": case.stage}
        specs.append(Spec("case.stage_changed", case, "case", path, case.id, facts))
        if case.stage == Stage.closed:
            specs.append(Spec("case.closed", case, "case", path, case.id))
    if changed - _CLOSING or not specs:
        specs.append(Spec("case.updated", case, "case", path, case.id))
    return specs


EMITTER = Emitter(Case, on_new=_created, on_change=_changed)
