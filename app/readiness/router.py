import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Request

from app.auth.dependencies import require
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.cases import service as cases
from app.cases.models import Case
from app.cases.stages import Stage
from app.clock import today
from app.db import SessionDep, read_in_thread
from app.errors import problem_responses
from app.readiness import facts as readiness_facts
from app.readiness import rules, service
from app.readiness.schemas import BlockerRead, CriterionRead, ReadinessRead, TargetRead
from app.readiness.terms import ReadinessFacts

router = APIRouter(prefix="/cases/{case_id}", tags=["readiness"])

Reader = Annotated[Principal, require(Permission.cases_read)]


@router.get(
    "/readiness",
    summary="Is the file ready for the next stage, and what is missing?",
    description="For each next stage (`prefecture_contact`, `interim_relief`): every criterion "
    "with its measured value, threshold and a French explanation, the blockers, and what to "
    "do next. Thresholds are the firm policy's, adjusted for the competent tribunal.",
    responses=problem_responses(401, 403, 404),
)
async def read_readiness(
    request: Request, session: SessionDep, actor: Reader, case_id: uuid.UUID
) -> ReadinessRead:
    def load() -> tuple[Case, ReadinessFacts, str]:
        case = cases.get_case(session, case_id=case_id)
        facts, tribunal = readiness_facts.load(session, cases=[case])[case.id]
        return case, facts, tribunal

    case, facts, tribunal = await read_in_thread(session, work=load)
    policy = request.app.state.settings.policy
    targets = []
    for target in service.targets_from(Stage(case.stage)):
        assessment, found = service.assess(policy, facts, tribunal, target)
        targets.append(
            TargetRead(
                stage=target,
                ready=assessment.ready and not found,
                criteria=[CriterionRead(**asdict(c)) for c in assessment.criteria],
                blockers=[BlockerRead(**asdict(b)) for b in found],
                next_steps=assessment.next_steps,
            )
        )
    return ReadinessRead(
        case_id=case.id,
        stage=Stage(case.stage),
        tribunal_code=tribunal,
        assessed_on=today(facts.zone),
        blockers=[BlockerRead(**asdict(b)) for b in rules.blockers(facts)],
        targets=targets,
    )
