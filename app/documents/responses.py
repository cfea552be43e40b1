"""The documents' answers that are files, as the OpenAPI document declares them (the
filings and the personal-data export answer ZIPs too)."""

from typing import Any

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {DOCX: {}}}}
ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/zip": {}}}}
