"""Base classes for request bodies: unknown fields and nulls are refused, never dropped."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


class StrictBody(BaseModel):
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
