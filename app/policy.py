"""The firm's policy: the waiting periods and thresholds its deadlines and checks use.

Defaults are the values documented in docs/configuration.md; a firm overrides any
of them with environment variables such as ``CRENEAU_POLICY__RESPONSE_WAIT_DAYS=10``.
They are heuristics drawn from practice (see docs), not rules of law.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class WrittenContact(StrEnum):
    email_or_letter = "email_or_letter"
    registered_letter = "registered_letter"
    email_and_letter = "email_and_letter"


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
    capture_time_tolerance_minutes: int = Field(
        default=10, ge=0, le=720,
        description="How far the time shown on a capture may be from the attempt's.",
    )  # fmt: skip
    min_consistent_capture_share: float = Field(
        default=0.8, ge=0, le=1,
        description="Share of read captures that must show the refusal and a matching time.",
    )  # fmt: skip
    upload_link_days: int = Field(
        default=30, ge=1, le=365, description="Days a client upload link stays valid."
    )
    upload_link_daily_cap: int = Field(
        default=20, ge=1, le=200, description="Files a client upload link accepts a day."
    )
    statistics_min_count: int = Field(
        default=5, ge=1, description="Counts below this are blanked in CSV meant to leave the firm."
    )
    deadline_reminder_days: int = Field(
        default=3, ge=0, le=60, description="Days ahead a `deadline.due_soon` event is sent."
    )
    event_retention_days: int = Field(
        default=90, ge=1, description="Days events stay in the feed (and can be replayed)."
    )
    retention_years: int = Field(
        default=5, ge=1, le=30,
        description="Years a client's data is kept after their last case closed (the lawyer's "
        "liability runs five years: art. 2225 Code civil).",
    )  # fmt: skip
    access_log_retention_days: int = Field(
        default=365, ge=30, description="Days the access log keeps a read."
    )
    export_days: int = Field(
        default=7, ge=1, le=30, description="Days a client's export stays downloadable."
    )
    webhook_disable_after: int = Field(
        default=5,
        ge=1,
        description="Events in a row a subscription may fail before it is disabled.",
    )
    min_attempt_weeks: int = Field(
        default=3, ge=1, description="Distinct ISO weeks the attempts must cover."
    )
    attempts_stale_after_days: int = Field(
        default=7, ge=1, description="A file whose last attempt is older needs new attempts."
    )
    expiry_warning_days: int = Field(
        default=60, ge=1, description="Warn this long before the client's document expires."
    )
    # Readiness for a référé (see docs/readiness.md for the sources of each default).
    min_attempt_days: int = Field(default=6, ge=1, description="Distinct days with attempts.")
    min_attempt_span_days: int = Field(
        default=21, ge=0, description="Days between the first and the last attempt."
    )
    min_time_slots: int = Field(
        default=2, ge=1, le=3, description="Times of day covered: morning, afternoon, evening."
    )
    min_screenshot_share: float = Field(
        default=0.8, ge=0, le=1, description="Share of attempts backed by a screenshot."
    )
    max_days_since_last_attempt: int = Field(
        default=10, ge=1, description="The last attempt must be this recent."
    )
    written_contact: WrittenContact = Field(
        default=WrittenContact.email_or_letter,
        description="Written request the préfecture must have received before a référé.",
    )
    contact_min_attempts: int = Field(
        default=5, ge=0, description="Attempts before writing to the préfecture."
    )
    contact_min_attempt_weeks: int = Field(
        default=2, ge=1, description="ISO weeks those attempts must cover."
    )
    # What a petition asks for, unless the lawyer says otherwise (legal-facts §6.3).
    petition_delay_days: int = Field(
        default=15, ge=1, le=90, description="Days the préfet gets to give an appointment date."
    )
    petition_urgent_delay_days: int = Field(
        default=8,
        ge=1,
        le=90,
        description="The same when an urgency date is less than 30 days away.",
    )
    petition_latest_appointment_days: int = Field(
        default=30, ge=1, le=180, description="Days within which the appointment must take place."
    )
    petition_astreinte_cents: int = Field(
        default=10_000, ge=0, description="Astreinte asked per day of delay (0: none)."
    )
    petition_costs_cents: int = Field(
        default=150_000, ge=0, description="Costs asked under art. L. 761-1 CJA."
    )
    tribunals: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='Overrides per tribunal code, e.g. {"montreuil": {"min_attempt_weeks": 4}}.',
    )

    @model_validator(mode="after")
    def _overrides_are_valid(self) -> "FirmPolicy":
        for code, overrides in self.tribunals.items():
            if "tribunals" in overrides:
                raise ValueError(f"tribunal {code}: overrides cannot nest")
            FirmPolicy.model_validate(self.model_dump(exclude={"tribunals"}) | overrides)
        return self

    def for_tribunal(self, code: str) -> "FirmPolicy":
        """This policy with the tribunal's own thresholds applied."""
        overrides = self.tribunals.get(code)
        if not overrides:
            return self
        return FirmPolicy.model_validate(self.model_dump(exclude={"tribunals"}) | overrides)
