"""What readiness reads and what it answers: the facts of a file, its measures, each
criterion and blocker, the assessment (pure data)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app import clock
from app.agenda.deadlines import ContactFacts


@dataclass(frozen=True)
class AttemptFact:
    at: datetime
    outcome: str
    has_screenshot: bool


@dataclass(frozen=True, order=True)
class CaptureFact:
    """How one screenshot of an attempt reads (app/evidence/reading): its final verdict, the
    clock's difference from the attempt in minutes, and whether a person checked it."""

    at: datetime
    verdict: str
    difference_minutes: int | None = None
    checked: bool = False


@dataclass(frozen=True)
class ReadinessFacts:
    stage: str
    is_renewal: bool
    procedure_channel: str  # the procedure type's filing channel
    booking_channel: str
    has_oqtf: bool
    oqtf_executed: bool
    attempts: tuple[AttemptFact, ...] = ()
    contacts: tuple[ContactFacts, ...] = ()
    refusal_received: bool = False
    urgency_dates: tuple[date, ...] = ()
    zone: ZoneInfo = clock.PARIS  # the préfecture's wall clock: days, weeks, times of day
    captures: tuple[CaptureFact, ...] = ()
    holiday_region: str = ""


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    value: float | int | str | None
    threshold: float | int | str | None
    passed: bool
    explanation: str


@dataclass(frozen=True)
class Blocker:
    code: str
    explanation: str


@dataclass(frozen=True)
class Assessment:
    target: str
    ready: bool
    criteria: list[Criterion]
    next_steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AttemptMeasures:
    count: int
    days: int
    weeks: int
    span_days: int
    slots: int
    screenshot_share: float
    last: date | None
