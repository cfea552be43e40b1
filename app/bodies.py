"""Base classes for request bodies: unknown fields and nulls are refused, never dropped."""

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatchBody(StrictBody):
    """A partial update: omit a field to keep its value; ``null`` is an error, not a no-op."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("null is not allowed here; omit the field to keep its value")
        return value
