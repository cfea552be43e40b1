"""Opaque cursors for keyset pagination.

A cursor is the sort key of the last row a client has seen, base64url-encoded
JSON, so pages neither skip nor repeat rows when others are inserted meanwhile.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import AwareDatetime, BaseModel, Field
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import BadRequest

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")]
CursorQuery = Annotated[
    str | None,
    Query(max_length=512, description="The `next_cursor` of the previous page."),
]


ExternalRefQuery = Annotated[
    str | None, Query(max_length=120, description="Only the record with this external reference.")
]
UpdatedSinceQuery = Annotated[
    AwareDatetime | None,
    Query(
        description="Only what changed at or after this instant (with its offset): keep the "
        "largest `updated_at` you have seen and pass it back to sync."
    ),
]

T = TypeVar("T")
M = TypeVar("M")


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


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None


def page_request(limit: LimitQuery = DEFAULT_PAGE_SIZE, cursor: CursorQuery = None) -> PageRequest:
    return PageRequest(limit=limit, cursor=cursor or None)  # an empty cursor is the first page


PageParams = Annotated[PageRequest, Depends(page_request)]

_PARSERS: dict[type, Callable[[Any], Any]] = {
    uuid.UUID: lambda v: uuid.UUID(str(v)),
    datetime: parse_datetime,
    date: lambda v: date.fromisoformat(str(v)),
    int: int,
    str: str,
}


def _python_type(column: Any) -> type:
    kind = column.type
    # Our own column types (UTCDateTime, StrEnumType) decorate a standard one.
    kind = getattr(kind, "impl_instance", kind)
    python_type: type = kind.python_type
    return str if issubclass(python_type, str) else python_type


def paginate(
    session: Session,
    *,
    query: SelectOfScalar[M],
    columns: Sequence[Any],
    page: PageRequest,
    descending: bool = False,
) -> tuple[list[M], str | None]:
    """One page of ``query`` in the order of ``columns`` (unique together, the last one
    usually the id; newest first with ``descending``), starting after the cursor: rows, and
    the cursor of the next page."""
    if page.cursor is not None:
        parsers = [_PARSERS[_python_type(column)] for column in columns]
        values = decode_cursor(page.cursor, *parsers)
        seen, after = sa.tuple_(*columns), sa.tuple_(*values)
        query = query.where(seen < after if descending else seen > after)
    order = [column.desc() for column in columns] if descending else list(columns)
    rows = list(session.exec(query.order_by(*order).limit(page.limit + 1)).all())
    if len(rows) <= page.limit:
        return rows, None
    shown = rows[: page.limit]
    last = shown[-1]
    return shown, encode_cursor([getattr(last, column.key) for column in columns])


def paginate_sorted(
    items: Sequence[T], key: Callable[[T], str], page: PageRequest
) -> tuple[list[T], str | None]:
    """The same, over a short list already in its order (reference data) keyed by a unique
    string: the cursor is the key of the last item seen."""
    start = 0
    if page.cursor is not None:
        (last,) = decode_cursor(page.cursor, str)
        keys = [key(item) for item in items]
        start = keys.index(last) + 1 if last in keys else len(items)
    shown = list(items[start : start + page.limit])
    more = start + page.limit < len(items)
    return shown, encode_cursor([key(shown[-1])]) if more and shown else None
