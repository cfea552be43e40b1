"""The attempts: the annex's table, the summary a letter or petition states, week by week."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from app import french
from app.attempts.labels import OUTCOMES
from app.documents.context.citing import SEMI, day_text, exhibit_ref, spaced
from app.documents.context.labels import OUTCOME_CLAUSES
from app.documents.context.types import AttemptData, Snapshot


def _listed(items: list[str]) -> list[str]:
    """List items ending « ; » and the last one « . »."""
    return [item + (SEMI if n < len(items) - 1 else ".") for n, item in enumerate(items)]


def _most_common_message(attempts: list[AttemptData]) -> str:
    messages = Counter(a.message.strip().rstrip(".") for a in attempts if a.message.strip())
    return messages.most_common(1)[0][0] if messages else ""


def _outcomes_sentence(failed: list[AttemptData]) -> str:
    """« Chaque fois, le site a répondu … » or, when outcomes differ, one clause each."""
    counts = Counter(a.outcome for a in failed)
    if not counts:
        return ""
    message = _most_common_message([a for a in failed if a.outcome == "no_slot"])
    quoted = f", en affichant le message {french.quote(message)}" if message else ""
    if set(counts) == {"no_slot"}:
        return f"Chaque fois, {OUTCOME_CLAUSES['no_slot']}{quoted}"
    clauses = [
        f"{OUTCOME_CLAUSES[kind]} ({french.plural(counts[kind], 'fois', 'fois')})"
        + (quoted if kind == "no_slot" else "")
        for kind in ("no_slot", "site_unavailable", "error", "captcha_failed", "anef_error")
        if counts[kind]
    ]
    return french.capitalized(f"{SEMI} ".join(clauses))


def section(s: Snapshot) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """The table's rows, the summary and the week-by-week sentences of the failed attempts."""
    rows = []
    weeks: dict[tuple[int, int], list[AttemptData]] = defaultdict(list)
    for a in sorted(s.attempts, key=lambda a: a.at):
        local = a.at.astimezone(s.zone)
        rows.append(
            {
                "date": french.format_date(local.date()),
                "time": french.format_time(local.time()),
                "when": french.format_datetime(a.at, s.zone),
                "page": a.page_url or "",
                "procedure": a.procedure_selected,
                "outcome": OUTCOMES.get(a.outcome, a.outcome),
                "message": a.message,
                "exhibit": str(a.exhibit) if a.exhibit else "",
            }
        )
        if a.outcome != "slot_offered":
            weeks[local.date().isocalendar()[:2]].append(a)
    failed = sorted((a for a in s.attempts if a.outcome != "slot_offered"), key=lambda a: a.at)
    days = sorted({a.at.astimezone(s.zone).date() for a in failed})
    shots = [a.exhibit for a in failed if a.exhibit]
    summary = {
        "count": len(failed),
        "days": len(days),
        "weeks": len(weeks),
        "days_text": french.plural(len(days), "jour distinct", "jours distincts"),
        "weeks_text": french.plural(len(weeks), "semaine calendaire", "semaines calendaires"),
        "first": day_text(days[0]) if days else "",
        "last": day_text(days[-1]) if days else "",
        "exhibits": exhibit_ref(shots),
        "outcomes": _outcomes_sentence(failed),
        "proof": f"Les captures d'écran en attestent {exhibit_ref(shots)}." if shots else "",
        "has_screenshots": bool(shots),
        # CE 10 June 2020 n° 435594: attempts not all made the same week, measured as more
        # than 7 days between the first and the last (facts file, correction 3). A draft
        # never claims the test is met when it is not.
        "meets_case_law": bool(days) and (days[-1] - days[0]).days > 7,
    }
    by_week = []
    for _, items in sorted(weeks.items()):
        local_days = sorted({a.at.astimezone(s.zone).date() for a in items})
        monday = local_days[0] - timedelta(days=local_days[0].weekday())
        ref = exhibit_ref([a.exhibit for a in items if a.exhibit])
        by_week.append(
            f"semaine du {day_text(monday)}{french.COLON} {french.plural(len(items), 'tentative')} "
            f"({_days_list(local_days)}), sans qu'aucun créneau ne soit proposé{spaced(ref)}"
        )
    return rows, summary, _listed(by_week)


def _days_list(days: list[date]) -> str:
    """« le 2 mars », « les 2, 3 et 4 mars », « les 30 mars et 1er avril »."""

    def day(d: date) -> str:
        return "1er" if d.day == 1 else str(d.day)

    if len({d.month for d in days}) == 1:
        parts = [day(d) for d in days]
        month = f" {french.MONTHS[days[0].month - 1]}"
    else:
        parts = [f"{day(d)} {french.MONTHS[d.month - 1]}" for d in days]
        month = ""
    if len(parts) == 1:
        return f"le {parts[0]}{month}"
    return f"les {', '.join(parts[:-1])} et {parts[-1]}{month}"
