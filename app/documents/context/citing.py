"""How a draft cites dates, its pièces and the préfecture's clock."""

from datetime import date

from app import clock, french
from app.documents.context.types import Snapshot
from app.french import NBSP, NNBSP

SEMI = f"{NNBSP};"


def day_text(day: date | None) -> str:
    return french.format_date(day) if day else ""


def exhibit_ref(numbers: list[int]) -> str:
    """« (pièce n° 4) », « (pièces n° 4 à 9) », « (pièces n° 2, 5 et 7) »."""
    unique = sorted(set(numbers))
    if not unique:
        return ""
    if len(unique) == 1:
        return f"(pièce n°{NBSP}{unique[0]})"
    if len(unique) == 2:
        return f"(pièces n°{NBSP}{unique[0]} et {unique[1]})"
    if unique == list(range(unique[0], unique[-1] + 1)):
        return f"(pièces n°{NBSP}{unique[0]} à {unique[-1]})"
    listed = ", ".join(str(n) for n in unique[:-1])
    return f"(pièces n°{NBSP}{listed} et {unique[-1]})"


def spaced(ref: str) -> str:
    """`` (pièce n° 4)`` with its leading space, or nothing: never « disponible . »."""
    return f" {ref}" if ref else ""


def exhibits_of(s: Snapshot, kind: str) -> list[int]:
    return [e.number for e in s.exhibits if e.kind == kind]


def time_zone_name(s: Snapshot) -> str:
    """« heure de La Réunion » where the préfecture's clock is not Paris's; else empty."""
    return "" if s.zone == clock.PARIS else f"heure {s.department_of}"
