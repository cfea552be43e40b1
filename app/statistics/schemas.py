"""The statistics' JSON as published in OpenAPI.

The service assembles plain dicts from the database's aggregates and the routes send them as
they are (or as CSV); these models describe them for API clients and generated code, and a
test holds every answer to them (`extra="forbid"`: a key the service adds must be declared).
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Grid = Annotated[list[list[int]], Field(description="Seven rows (Monday first) of 24 hours.")]
RateGrid = Annotated[
    list[list[float | None]],
    Field(description="Seven rows (Monday first) of 24 hours; null where nothing was tried."),
]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Delay(_Schema):
    n: int = Field(description="How many files the figure is drawn from.")
    median_days: float | None
    p90_days: float | None
    small: bool = Field(description="Drawn from too few files to be read as a trend.")


class RefereFigures(_Schema):
    filed: int
    outcomes: dict[str, int] = Field(description="By decision outcome; `pending` if none yet.")
    astreintes_ordered: int
    days_filing_to_order: Delay
    days_order_to_appointment: Delay
    small: bool


class Figures(_Schema):
    attempts: int = Field(description="Booking attempts the firm accepted.")
    outcomes: dict[str, int] = Field(description="Attempts by outcome.")
    refusal_rate: float | None = Field(description="Share of attempts with no slot or an error.")
    clients: int
    cases: int
    small: bool = Field(description="Too few files for the figures to be read as a trend.")
    attempts_by_weekday_hour: Grid
    refusal_rate_by_weekday_hour: RateGrid
    days_to_appointment: dict[str, Delay] = Field(
        description="From a file's first attempt to its appointment, by route: `attempts` "
        "alone, after a `letter`, after a `refere`."
    )
    referes: RefereFigures
    open_cases: int | None = Field(
        default=None, description="With `readiness=true` only: open files (attempts, contact)."
    )
    ready_for_refere_share: float | None = Field(
        default=None,
        description="With `readiness=true` only: the share of them ready for a référé.",
    )


class PrefectureStatistics(Figures):
    department_code: str
    name: str
    time_zone: str


class TribunalStatistics(Figures):
    tribunal_code: str
    name: str
