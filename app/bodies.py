"""Base classes for request bodies: unknown fields, nulls and unprintable text are refused,
never dropped."""

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

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


class TextSafe(BaseModel):
    """Every text field holds only characters a database and a Word document can keep."""

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if (character := unprintable(value)) is not None:
            raise ValueError(
                f"contains a control character ({character}) that cannot be stored or printed"
            )
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
