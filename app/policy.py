"""The firm's policy: the waiting periods and thresholds its deadlines and checks use.

Defaults are the values documented in docs/configuration.md; a firm overrides any
of them with environment variables such as ``CRENEAU_POLICY__RESPONSE_WAIT_DAYS=10``.
They are heuristics drawn from practice (see docs), not rules of law.
"""

from pydantic import BaseModel, ConfigDict, Field


class FirmPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    response_wait_days: int = Field(
        default=15, ge=1, le=120,
        description="Days to wait for the préfecture's answer after the acknowledgement of "
        "receipt (or after sending, for an e-mail).",
    )  # fmt: skip
    waiting_in_working_days: bool = Field(
        default=False, description="Count the firm's waiting periods in working days."
    )
    compliance_in_working_days: bool = Field(
        default=False,
        description="Count the préfet's delay to comply with an injunction in working days "
        "(the order's wording decides; calendar days by default).",
    )
    min_attempts: int = Field(default=10, ge=1, description="Attempts before writing or filing.")
    min_attempt_weeks: int = Field(
        default=3, ge=1, description="Distinct ISO weeks the attempts must cover."
    )
    attempts_stale_after_days: int = Field(
        default=7, ge=1, description="A file whose last attempt is older needs new attempts."
    )
    expiry_warning_days: int = Field(
        default=60, ge=1, description="Warn this long before the client's document expires."
    )
