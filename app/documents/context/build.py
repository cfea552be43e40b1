"""The context a template prints: every section of a draft, from one snapshot of a case."""

from datetime import timedelta
from typing import Any

from app import french
from app.documents.context import attempts, contacts, legal, parties, urgency
from app.documents.context.citing import day_text, time_zone_name
from app.documents.context.labels import CHANNEL_LABELS, DEFAULT_SERVICE
from app.documents.context.types import Options, Snapshot


def build(s: Snapshot, options: Options) -> dict[str, Any]:
    client = parties.client(s.client)
    rows, summary, by_week = attempts.section(s)
    lawyer = parties.lawyer(s)
    costs = legal.costs(options, client, lawyer)
    headings, conclusions = _conclusions(s, options, costs)
    paragraphs = urgency.paragraphs(s, client)
    return {
        "case": {"reference": s.reference, "file_complete": s.file_complete},
        "client": client,
        "lawyer": lawyer,
        "firm": _firm(s),
        "prefecture": _prefecture(s),
        "tribunal": {
            "name": s.tribunal_name,
            "title": french.capitalized(s.tribunal_name),
            "address": s.tribunal_address,
        },
        "procedure": legal.procedure(s),
        "booking": {
            "channel": CHANNEL_LABELS.get(s.booking_channel, s.booking_channel),
            "url": s.booking_url or "",
        },
        "attempts": rows,
        "attempts_summary": summary,
        "attempt_weeks": by_week,
        "attempt_pages": sorted({a.page_url for a in s.attempts if a.page_url}),
        # The chart of the attempts: drawn by drafting for the annex (a PNG is not the
        # business of this pure package); none elsewhere.
        "attempts_chart": None,
        # The firm's own figures for this préfecture, when the lawyer asks (drafting).
        "firm_statistics": "",
        "contacts": contacts.sentences(s, client, options),
        "urgency": paragraphs,
        "urgency_facts": bool(paragraphs),
        "legal_aid": legal.legal_aid(s, client),
        "oqtf": legal.oqtf(options, client),
        "admissibility": legal.admissibility(s, client),
        "exhibits": [
            {"number": e.number, "label": e.label, "file_name": e.file_name} for e in s.exhibits
        ],
        "headings": headings,
        "conclusions": conclusions,
        "letter": {
            "by_registered_letter": options.variant == "registered_letter",
            "by_email": options.variant == "email",
            "response_days": options.response_days,
        },
        "today": day_text(s.today),
        # Said wherever times are printed, when they are not Paris time.
        "time_zone": time_zone_name(s),
        "place": s.firm_city or s.prefecture_city,
    }


def _firm(s: Snapshot) -> dict[str, Any]:
    return {
        "name": s.firm_name,
        "address": s.firm_address,
        "city": s.firm_city,
        "phone": s.firm_phone,
        "email": s.firm_email,
        "letterhead": [line for line in s.firm_letterhead.splitlines() if line.strip()],
    }


def _prefecture(s: Snapshot) -> dict[str, Any]:
    salutation = s.salutation
    return {
        "defendant": s.defendant,
        "defendant_title": french.capitalized(s.defendant),
        "defendant_to": french.to(s.defendant),
        "salutation": salutation,
        "addressee": f"{salutation} {s.department_of}"
        if "police" not in salutation
        else salutation,
        "department": s.department_name,
        "department_of": s.department_of,
        "city": s.prefecture_city,
        "address": s.prefecture_address,
        "email": s.prefecture_email,
        "service": s.service_name or DEFAULT_SERVICE,
    }


def _conclusions(
    s: Snapshot, options: Options, costs: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any]]:
    """What the petition asks in the end, and the letters of its optional headings (the
    astreinte, the costs: E, F… only for those it argues)."""
    latest = s.today + timedelta(days=options.latest_appointment_days)
    astreinte = french.format_euros(options.astreinte_cents) if options.astreinte_cents else ""
    letters = iter("EFG")
    headings = {
        "astreinte": next(letters) if astreinte else "",
        "costs": next(letters) if costs["argument"] else "",
    }
    conclusions = {
        "delay_days": options.delay_days,
        "latest_appointment_days": options.latest_appointment_days,
        "latest_appointment_date": day_text(latest),
        "astreinte": astreinte,
        "costs": french.format_euros(options.costs_cents) if options.costs_cents else "",
        "costs_argument": costs["argument"],
        "costs_conclusion": costs["conclusion"],
    }
    return headings, conclusions
