import uuid
from datetime import date

from pydantic import BaseModel, Field

from app.cases.stages import Stage


class CriterionRead(BaseModel):
    code: str = Field(examples=["attempt_weeks"])
    label: str
    value: float | int | str | None = Field(description="What the file shows.")
    threshold: float | int | str | None = Field(description="What the policy asks.")
    passed: bool
    explanation: str = Field(description="One French sentence for the lawyer and the client.")


class BlockerRead(BaseModel):
    code: str = Field(examples=["unexecuted_oqtf"])
    explanation: str


class TargetRead(BaseModel):
    stage: Stage
    ready: bool = Field(description="Every criterion passed and no blocker.")
    criteria: list[CriterionRead]
    blockers: list[BlockerRead]
    next_steps: list[str] = Field(examples=[["Encore 2 semaines de tentatives."]])


class ReadinessRead(BaseModel):
    case_id: uuid.UUID
    stage: Stage
    tribunal_code: str
    assessed_on: date
    blockers: list[BlockerRead] = Field(description="Legal obstacles to a référé.")
    targets: list[TargetRead]
