"""The per-case evidence log as a hash chain (pure).

Entry n commits to its own fixed fields and to entry n-1's hash; the case keeps the
length and the last hash (the head). Altering an entry breaks its hash; removing one
breaks the next link, or, for the last, the head.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64

# Fixed at upload: the chain covers exactly these.
CHAINED_FIELDS = (
    "id", "case_id", "chain_index", "kind", "captured_at", "received_at", "sha256", "size",
    "media_type", "original_filename", "description", "attempt_id", "contact_id",
    "uploaded_by_user_id", "uploaded_by_api_key_id", "image_width", "image_height",
    "image_capture_time",
)  # fmt: skip


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def entry_hash(
    fields: dict[str, Any], prev_hash: str, names: tuple[str, ...] = CHAINED_FIELDS
) -> str:
    """The hash of an entry's ``names`` fields and of the previous entry's hash."""
    payload = {name: _canonical(fields[name]) for name in names} | {"prev": prev_hash}
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class LinkCheck:
    chain_index: int
    record_intact: bool  # the fields still hash to entry_hash
    link_intact: bool  # prev_hash is the previous entry's hash, and no index is missing


def check_links(
    entries: list[tuple[dict[str, Any], str, str]],
    head_length: int,
    head_hash: str,
    names: tuple[str, ...] = CHAINED_FIELDS,
) -> tuple[list[LinkCheck], bool]:
    """Each entry's checks, and whether the head still matches the chain's end.

    ``entries`` are (fields, prev_hash, entry_hash) in chain_index order.
    """
    checks = []
    expected_prev, expected_index = GENESIS, 1
    for fields, prev, stored in entries:
        index = fields["chain_index"]
        record = entry_hash(fields, prev, names) == stored
        link = prev == expected_prev and index == expected_index
        checks.append(LinkCheck(index, record, link))
        expected_prev, expected_index = stored, index + 1
    end_length = entries[-1][0]["chain_index"] if entries else 0
    head = head_length == end_length and head_hash == expected_prev
    return checks, head
