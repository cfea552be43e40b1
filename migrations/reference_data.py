"""Loads a versioned reference-data file into the tables, keeping a firm's edits.

Used by data revisions only; like them, it never imports ``app``. Reference columns
are always set from the file. Editable columns are set when a row is created, and
afterwards only while the firm has not edited them (their name is then listed in
the row's ``edited_fields``). Rows missing from a newer file are kept: cases point
at them.
"""

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

DATA_DIR = Path(__file__).resolve().parent / "data"

_TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # table: (key, reference columns, editable columns)
    "tribunals": ("code", ("name", "seat"), ("address",)),
    "prefectures": (
        "department_code",
        (
            "department_name",
            "article",
            "department_of",
            "chef_lieu",
            "defendant",
            "tribunal_code",
            "time_zone",
            "holiday_region",
        ),
        (
            "salutation",
            "foreigners_service_name",
            "foreigners_service_address",
            "foreigners_service_email",
            "booking_urls",
        ),
    ),
    "procedures": ("code", ("label", "ceseda_basis", "is_renewal"), ("channel", "request_phrase")),
}
_EDITABLE_DEFAULTS: dict[str, Any] = {
    "address": "",
    "foreigners_service_name": "",
    "request_phrase": "",
    "foreigners_service_address": "",
    "foreigners_service_email": "",
    "booking_urls": [],
}


def load(version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (DATA_DIR / f"reference-{version}.json").read_text(encoding="utf-8")
    )
    return data


def _table(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    json_columns = {"booking_urls", "edited_fields"}
    return sa.table(
        name, *(sa.column(c, sa.JSON() if c in json_columns else None) for c in columns)
    )


def apply(connection: sa.Connection, data: dict[str, Any]) -> None:
    # Tribunals first: préfectures point at them.
    present = sa.inspect(connection)
    for name in ("tribunals", "prefectures", "procedures"):
        key, reference, editable = _TABLES[name]
        # Columns a later revision adds are left alone by an earlier one.
        columns = {c["name"] for c in present.get_columns(name)}
        reference = tuple(c for c in reference if c in columns)
        editable = tuple(c for c in editable if c in columns)
        table = _table(name, (key, *reference, *editable, "edited_fields"))
        existing = {
            row[0]: row[1] or []
            for row in connection.execute(sa.select(table.c[key], table.c.edited_fields))
        }
        for row in data[name]:
            # An older file lacks the columns later revisions added: they keep their default.
            values = {c: row[c] for c in reference if c in row}
            offered = {c: row.get(c, _EDITABLE_DEFAULTS.get(c)) for c in editable}
            if row[key] not in existing:
                connection.execute(
                    table.insert().values({key: row[key], **values, **offered, "edited_fields": []})
                )
                continue
            kept = set(existing[row[key]])
            values |= {c: v for c, v in offered.items() if c not in kept and c in row}
            connection.execute(table.update().where(table.c[key] == row[key]).values(values))


def remove(connection: sa.Connection, data: dict[str, Any]) -> None:
    """Undo a first load: delete the rows the file created (children first)."""
    for name in ("procedures", "prefectures", "tribunals"):
        key = _TABLES[name][0]
        table = sa.table(name, sa.column(key))
        keys = [row[key] for row in data[name]]
        connection.execute(table.delete().where(table.c[key].in_(keys)))
