"""Département codes as people type them: ``2a``, ``1``, `` 974 ``."""

import re

_CORSICA = re.compile(r"^(2)([ab])$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{1,3}$")


def normalise_department_code(raw: str) -> str | None:
    """The canonical code (``01``, ``2A``, ``974``), or None if it cannot be one."""
    code = raw.strip()
    if match := _CORSICA.match(code):
        return match.group(1) + match.group(2).upper()
    if _DIGITS.match(code):
        return code.zfill(2) if len(code) < 3 else code
    return None
