import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app import clock
from app.bodies import StrictBody


def _not_in_future(value: date) -> date:
    if value > clock.today():
        raise ValueError("a filing date cannot be in the future")
    if value.year < 2000:
        raise ValueError("date is before 2000")
    return value


class FilingCreate(StrictBody):
    filed_on: Annotated[date, AfterValidator(_not_in_future)] | None = Field(
        default=None, description="Day the bundle was filed (default: today)."
    )
    docket_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{7}(/\d{1,2})?$")]
        | None
    ) = Field(default=None, description="As the court gives it: 2315595 or 2016798/9.")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class FilingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    chain_index: int
    filed_on: date
    tribunal_code: str
    docket_number: str | None
    petition_id: uuid.UUID
    exhibit_plan_hash: str
    sha256: str = Field(description="SHA-256 of the frozen ZIP, as downloaded.")
    size: int
    manifest: dict[str, Any]
    note: str
    created_by_user_id: uuid.UUID
    created_at: datetime
    entry_hash: str


class FilingChainRead(BaseModel):
    case_id: uuid.UUID
    filings: int
    intact: bool = Field(description="Every entry hashes to its stored hash and links up.")
    blobs_intact: bool = Field(description="Every frozen ZIP is stored and hashes to its name.")
