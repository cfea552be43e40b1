"""The urgency: one argued paragraph per dated fact, and whether a date is near."""

from datetime import timedelta
from typing import Any

from app import french
from app.documents.context.citing import day_text, exhibit_ref, spaced
from app.documents.context.labels import URGENCY_CONSEQUENCES
from app.documents.context.types import Snapshot, UrgencyData


def _paragraph(s: Snapshot, u: UrgencyData, client: dict[str, Any]) -> str:
    """One argued paragraph: the fact, its date, the pièce, what it means for the client."""
    description = french.capitalized(u.description.strip().rstrip("."))
    if day_text(u.day) in description:  # « … valable jusqu'au 31 décembre 2026 » says it already
        dated = description
    elif u.day >= s.today:
        dated = f"{description} (échéance{french.COLON} {day_text(u.day)})"
    else:
        dated = f"{description} (depuis le {day_text(u.day)})"
    ref = spaced(exhibit_ref([u.exhibit] if u.exhibit else []))
    consequence = URGENCY_CONSEQUENCES.get(u.kind, "").format(
        pronoun=client["pronoun"], the_applicant=client["the_applicant"]
    )
    return f"{dated}{ref}." + (f" {consequence}" if consequence else "")


def paragraphs(s: Snapshot, client: dict[str, Any]) -> list[str]:
    return [_paragraph(s, u, client) for u in sorted(s.urgency, key=lambda u: u.day)]


def urgent(s: Snapshot) -> bool:
    """An urgency date ahead and within 30 days: the petition asks for a shorter délai."""
    window = s.today + timedelta(days=30)
    dates = [u.day for u in s.urgency]
    if s.client.document_expiry:
        dates.append(s.client.document_expiry)
    return any(s.today <= day <= window for day in dates)
