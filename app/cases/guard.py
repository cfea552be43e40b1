"""What the cases domain needs from the layers above it, supplied at start-up.

The cases domain cannot import what depends on it: the application wires a guard on stage
changes (readiness) into ``app.state.stage_guard`` and a check of a case's evidence into
``app.state.case_evidence``, and the routes pass them down.
"""

import uuid
from collections.abc import Sequence
from typing import Protocol

from sqlmodel import Session

from app.auth.principal import Principal
from app.cases.models import Case
from app.cases.stages import Stage


class StageGuard(Protocol):
    def check(
        self,
        session: Session,
        actor: Principal,
        case: Case,
        target: Stage,
        override_reason: str | None,
    ) -> None:
        """Raise when ``case`` may not move to ``target`` (unless validly overridden)."""
        ...

    def ready(self, session: Session, cases: Sequence[Case], target: Stage) -> set[uuid.UUID]:
        """The ids of ``cases`` that meet the criteria to move to ``target``."""
        ...


class EvidenceOfCase(Protocol):
    def __call__(
        self, session: Session, *, case_id: uuid.UUID, ids: set[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Which of ``ids`` are current (not withdrawn) evidence of the case."""
        ...
