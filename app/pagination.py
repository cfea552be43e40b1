"""Opaque cursors for keyset pagination.

A cursor is the sort key of the last row a client has seen, base64url-encoded
JSON, so pages neither skip nor repeat rows when others are inserted meanwhile.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from app.errors import BadRequest

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")]
CursorQuery = Annotated[
    str | None,
    Query(max_length=512, description="The `next_cursor` of the previous page."),
]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


def page_of(items: Sequence[T], limit: int, key: Callable[[T], list[Any]]) -> "Page[T]":
    """The page from ``limit + 1`` fetched items; the extra one only says whether more follow.

    ``key`` gives the sort values of an item, which the next cursor starts after.
    """
    shown = list(items[:limit])
    more = len(items) > limit
    return Page(items=shown, next_cursor=encode_cursor(key(shown[-1])) if more else None)


class InvalidCursor(BadRequest):
    slug = "invalid-cursor"
    title = "Invalid pagination cursor"


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *parsers: Callable[[Any], Any]) -> list[Any]:
    """Decode a cursor and parse each value, e.g. ``decode_cursor(c, str, uuid.UUID)``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(parsers):
            raise ValueError("wrong arity")
        return [parse(value) for parse, value in zip(parsers, values, strict=True)]
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor("The cursor is not one this API produced.") from exc


def parse_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("naive datetime in cursor")
    return parsed
