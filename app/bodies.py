"""Base classes for request bodies: unknown fields, nulls and unprintable text are refused,
never dropped."""

import re
from datetime import date
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

# What XML 1.0 cannot hold (so no Word document can print it) and PostgreSQL cannot store
# (NUL): control characters but tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unprintable(value: Any) -> str | None:
    """The first character of ``value`` (a string, or strings nested in lists and dicts)
    that cannot be stored and printed, as « U+0000 », else None."""
    if isinstance(value, str):
        found = UNPRINTABLE.search(value)
        return f"U+{ord(found.group()):04X}" if found else None
    if isinstance(value, list | tuple | set):
        return next((c for v in value if (c := unprintable(v))), None)
    if isinstance(value, dict):
        return next((c for v in [*value, *value.values()] if (c := unprintable(v))), None)
    return None


# Every date a file can hold, from a birth date to a deadline; outside, arithmetic on a date
# (a deadline, a time zone) can overflow.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
YEARS = f"dates must fall between {EARLIEST_YEAR} and {LATEST_YEAR}"


def check_year(value: date) -> None:
    """Refuse a date or an instant outside 1900 to 2100 before any arithmetic touches it."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(YEARS)


def _is_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    if get_origin(annotation) in (Union, UnionType):
        return set(get_args(annotation)) == {bool, NoneType}
    return False


def _dates(value: Any) -> list[date]:
    if isinstance(value, date):  # a datetime is a date too
        return [value]
    if isinstance(value, list | tuple):
        return [d for v in value for d in _dates(v)]
    return []


ExternalRef = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=120,
        pattern=r"^[\x21-\x7e]( ?[\x21-\x7e])*$",
    ),
    Field(
        description="Your own system's id for it (the DMS folder, the practice-management "
        "matter): unique among the firm's records when set; look it up with `?external_ref=`.",
        examples=["DMS-2026-0042"],
    ),
]


class TextSafe(BaseModel):
    """Every text field holds only characters a database and a Word document can keep; a
    boolean is true or false, never « yes »; a date falls between 1900 and 2100."""

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value: Any, info: ValidationInfo) -> Any:
        if (character := unprintable(value)) is not None:
            raise ValueError(
                f"contains a control character ({character}) that cannot be stored or printed"
            )
        field = cls.model_fields.get(info.field_name or "")
        strict_bool = field is not None and _is_bool(field.annotation)
        if strict_bool and value is not None and not isinstance(value, bool):
            raise ValueError("give true or false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _sane_dates(cls, value: Any) -> Any:
        for day in _dates(value):
            check_year(day)
        return value


class StrictBody(TextSafe):
    model_config = ConfigDict(extra="forbid")


class PatchBody(StrictBody):
    """A partial update: omit a field to keep its value.

    ``null`` clears the fields listed in ``clearable``; anywhere else it is an
    error rather than a silent no-op.
    """

    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise ValueError("null is not allowed here; omit the field to keep its value")
        return value
