"""Readiness of a case, and the guard that makes stage changes respect it."""

import uuid
from collections.abc import Sequence
from dataclasses import asdict

from sqlmodel import Session

from app.audit import service as audit
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases.models import Case
from app.cases.stages import Stage
from app.clock import today
from app.errors import Conflict, PermissionDenied
from app.policy import FirmPolicy
from app.readiness import facts as readiness_facts
from app.readiness import rules, terms

GUARDED = (Stage.prefecture_contact, Stage.interim_relief)


class ReadinessNotMet(Conflict):
    slug = "readiness-not-met"
    title = "The file does not meet the criteria for this stage"


class OverrideNotAllowed(PermissionDenied):
    slug = "override-not-allowed"
    title = "Only a lawyer or an admin can override the readiness criteria"


def targets_from(stage: Stage) -> list[Stage]:
    """The guarded stages a case can move to next."""
    if stage == Stage.attempts:
        return [Stage.prefecture_contact, Stage.interim_relief]
    if stage == Stage.prefecture_contact:
        return [Stage.interim_relief]
    return []


def assess(
    policy: FirmPolicy, facts: terms.ReadinessFacts, tribunal: str, target: Stage
) -> tuple[terms.Assessment, list[terms.Blocker]]:
    """Blockers bar a référé; they do not stop the firm from writing to the préfecture."""
    effective = policy.for_tribunal(tribunal)
    assessment = rules.assess(facts, effective, today(facts.zone), target.value)
    found = rules.blockers(facts) if target == Stage.interim_relief else []
    return assessment, found


class ReadinessGuard:
    def __init__(self, policy: FirmPolicy) -> None:
        self.policy = policy

    def check(
        self,
        session: Session,
        actor: Principal,
        case: Case,
        target: Stage,
        override_reason: str | None,
        *,
        action: str = "case.readiness_override",
    ) -> None:
        if target not in GUARDED:
            return
        facts, tribunal = readiness_facts.load(session, cases=[case])[case.id]
        assessment, found = assess(self.policy, facts, tribunal, target)
        if assessment.ready and not found:
            return
        failed = [c for c in assessment.criteria if not c.passed]
        if override_reason:
            if not actor.can(Permission.readiness_override):
                raise OverrideNotAllowed(
                    f"The {actor.role} role cannot move a file on against the readiness criteria."
                )
            audit.record(
                session, actor=actor, action=action, resource_type="case",
                resource_id=case.id,
                details={"to": target.value, "criteria": [c.code for c in failed],
                         "blockers": [b.code for b in found]},
            )  # fmt: skip
            return
        raise ReadinessNotMet(
            f"Not ready for {target.value}: "
            + ", ".join([c.code for c in failed] + [b.code for b in found])
            + ". A lawyer may move on anyway with an override_reason.",
            extra={
                "to_stage": target.value,
                "failed_criteria": [asdict(c) for c in failed],
                "blockers": [asdict(b) for b in found],
            },
        )

    def ready(self, session: Session, cases: Sequence[Case], target: Stage) -> set[uuid.UUID]:
        loaded = readiness_facts.load(session, cases=cases)
        result = set()
        for case_id, (facts, tribunal) in loaded.items():
            assessment, found = assess(self.policy, facts, tribunal, target)
            if assessment.ready and not found:
                result.add(case_id)
        return result
