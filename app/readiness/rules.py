"""Is a file strong enough for the next stage, and what is missing? (pure)

The only hard rule in the case law is CE 10 June 2020 n° 435594: the attempts must
not all be made in the same week (and there, four screenshots over five days, one
registered letter and one e-mail were not enough). Every threshold here is a firm
policy default drawn from practice (docs/readiness.md), tunable per tribunal.
Blockers are legal obstacles to the remedy itself, not evidence thresholds.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app import clock, french
from app.agenda.deadlines import ContactFacts, response_due
from app.policy import FirmPolicy, WrittenContact
from app.readiness.next_steps import count_of as _n
from app.readiness.next_steps import next_steps
from app.readiness.terms import (
    Assessment,
    AttemptFact,
    AttemptMeasures,
    Blocker,
    CaptureFact,
    Criterion,
    ReadinessFacts,
)

FAILED_OUTCOMES = {"no_slot", "error", "site_unavailable", "captcha_failed", "anef_error"}
SEMI = f"{french.NNBSP};"
COLON = french.COLON


def _slot(moment: datetime, zone: ZoneInfo) -> str:
    hour = moment.astimezone(zone).hour
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def measure(attempts: tuple[AttemptFact, ...], zone: ZoneInfo = clock.PARIS) -> AttemptMeasures:
    """Counted over the failed attempts, on the calendar days of the préfecture's territory:
    midnight and the daylight-saving changes fall where the client sees them."""
    failed = [a for a in attempts if a.outcome in FAILED_OUTCOMES]
    days = sorted({a.at.astimezone(zone).date() for a in failed})
    shots = sum(a.has_screenshot for a in failed)
    return AttemptMeasures(
        count=len(failed),
        days=len(days),
        weeks=len({d.isocalendar()[:2] for d in days}),
        span_days=(days[-1] - days[0]).days if days else 0,
        slots=len({_slot(a.at, zone) for a in failed}),
        screenshot_share=round(shots / len(failed), 2) if failed else 0.0,
        last=days[-1] if days else None,
    )


def _at_least(code: str, label: str, value: int, minimum: int, said: str) -> Criterion:
    return Criterion(
        code,
        label,
        value,
        minimum,
        value >= minimum,
        f"{said}{SEMI} il en faut au moins {minimum}.",
    )


# CE 10 June 2020 n° 435594: attempts « not all made the same week », measured as more
# than 7 days between the first and the last (facts file, correction 3): the one rule of law.
CASE_LAW_SPAN_DAYS = 8


def _case_law(m: AttemptMeasures) -> Criterion:
    met = m.span_days >= CASE_LAW_SPAN_DAYS
    return Criterion(
        "case_law_span",
        "Tentatives qui ne sont pas toutes de la même semaine (CE, 10 juin 2020, n° 435594)",
        m.span_days,
        CASE_LAW_SPAN_DAYS,
        met,
        f"{_n(m.span_days, 'jour')} entre la première et la dernière tentative{SEMI} le Conseil "
        "d'État a admis qu'un juge refuse des tentatives étalées sur six jours"
        + (
            f"{SEMI} plus de sept jours sont atteints."
            if met
            else f"{SEMI} il faut plus de sept jours."
        ),
    )


def _attempt_criteria(m: AttemptMeasures, policy: FirmPolicy, today: date) -> list[Criterion]:
    weeks = Criterion(
        "attempt_weeks",
        "Semaines calendaires distinctes de tentatives",
        m.weeks,
        policy.min_attempt_weeks,
        m.weeks >= policy.min_attempt_weeks,
        f"Tentatives sur {_n(m.weeks, 'semaine calendaire', 'semaines calendaires')}{SEMI} le "
        f"cabinet en demande {policy.min_attempt_weeks}.",
    )
    share = m.screenshot_share
    screenshots = Criterion(
        "screenshot_share",
        "Part des tentatives prouvées par une capture d'écran",
        share,
        policy.min_screenshot_share,
        m.count > 0 and share >= policy.min_screenshot_share,
        f"{round(share * 100)}{french.NBSP}% des tentatives ont leur capture d'écran{SEMI} "
        f"il en faut {round(policy.min_screenshot_share * 100)}{french.NBSP}%.",
    )
    return [
        _at_least(
            "attempt_count",
            "Nombre de tentatives infructueuses",
            m.count,
            policy.min_attempts,
            _n(m.count, "tentative infructueuse", "tentatives infructueuses"),
        ),
        _at_least(
            "attempt_days",
            "Jours distincts de tentatives",
            m.days,
            policy.min_attempt_days,
            f"Tentatives réparties sur {_n(m.days, 'jour')}",
        ),
        _case_law(m),
        weeks,
        _at_least(
            "attempt_span",
            "Durée couverte par les tentatives, en jours",
            m.span_days,
            policy.min_attempt_span_days,
            f"{_n(m.span_days, 'jour')} entre la première et la dernière tentative",
        ),
        _at_least(
            "attempt_time_slots",
            "Moments de la journée couverts",
            m.slots,
            policy.min_time_slots,
            f"Tentatives à {_n(m.slots, 'moment')} de la journée (matin, après-midi, soir)",
        ),
        screenshots,
        _recency(m, policy, today),
    ]


def _recency(m: AttemptMeasures, policy: FirmPolicy, today: date) -> Criterion:
    limit = policy.max_days_since_last_attempt
    if m.last is None:
        return Criterion(
            "last_attempt_recent",
            "Jours depuis la dernière tentative",
            None,
            limit,
            False,
            "Aucune tentative enregistrée.",
        )
    since = (today - m.last).days
    return Criterion(
        "last_attempt_recent",
        "Jours depuis la dernière tentative",
        since,
        limit,
        since <= limit,
        f"Dernière tentative le {french.format_date(m.last)}{SEMI} elle doit dater de "
        f"{limit} jours au plus.",
    )


WANTED = {
    WrittenContact.email_or_letter: "un courriel ou un courrier recommandé",
    WrittenContact.registered_letter: "un courrier recommandé avec accusé de réception",
    WrittenContact.email_and_letter: "un courriel et un courrier recommandé",
}


def _written_criteria(facts: ReadinessFacts, policy: FirmPolicy, today: date) -> list[Criterion]:
    emails = [c for c in facts.contacts if c.channel == "email"]
    letters = [c for c in facts.contacts if c.channel == "registered_letter"]
    rule = policy.written_contact
    sent = {
        WrittenContact.email_or_letter: bool(emails or letters),
        WrittenContact.registered_letter: bool(letters),
        WrittenContact.email_and_letter: bool(emails and letters),
    }[rule]
    relevant = letters if rule is WrittenContact.registered_letter else emails + letters
    done = "c'est fait." if sent else "ce n'est pas encore fait."
    criteria = [
        Criterion(
            "written_contact_sent",
            "Demande écrite à la préfecture",
            len(relevant),
            rule.value,
            sent,
            f"Le cabinet demande {WANTED[rule]} avant le référé{SEMI} {done}",
        ),
    ]
    if letters or rule is not WrittenContact.email_or_letter:
        acknowledged = any(c.delivered_date is not None for c in letters)
        said = "est enregistré." if acknowledged else "n'est pas encore enregistré."
        criteria.append(
            Criterion(
                "acknowledgement_received",
                "Accusé de réception du courrier recommandé",
                int(acknowledged),
                1,
                acknowledged,
                f"L'accusé de réception {said}",
            )
        )
    criteria.append(_waiting(relevant, policy, today, facts.holiday_region))
    return criteria


def _waiting(
    contacts: list[ContactFacts], policy: FirmPolicy, today: date, region: str
) -> Criterion:
    """The délai runs from the latest written request (each one the firm sends announces
    it), from its acknowledgement of receipt for a registered letter: a new letter restarts
    it, and an automatic reply (« réponse type ») does not end it."""
    latest = max(
        contacts, key=lambda c: (c.sent_date, c.delivered_date or c.sent_date), default=None
    )
    due = response_due(latest, policy, region) if latest else None
    answered = latest is not None and latest.answered
    elapsed = answered or (due is not None and due <= today)
    if answered:
        said = "La préfecture a répondu."
    elif due is None:
        said = (
            "Le délai de réponse court à partir de l'envoi du courriel ou de l'accusé de réception "
            "du dernier courrier."
        )
    elif elapsed:
        said = f"Le délai de réponse a expiré le {french.format_date(due)}."
    else:
        said = f"Le délai de réponse court jusqu'au {french.format_date(due)}."
    value = due.isoformat() if due else None
    return Criterion(
        "waiting_period_elapsed",
        "Délai laissé à la préfecture pour répondre",
        value,
        policy.response_wait_days,
        elapsed,
        said,
    )


# What a capture that is not proof shows, as the explanation says it.
_VERDICTS = {
    "time_mismatch": "l'heure affichée ne correspond pas",
    "no_visible_time": "aucune heure visible",
    "no_refusal_message": "la page ne montre pas ce que dit la tentative",
    "unreadable": "illisible",
}
# Captures that contradict or do not confirm their attempt count against the file; those that
# show no time (or nothing at all) neither prove nor contradict it: they are listed only.
AGAINST = {"time_mismatch", "no_refusal_message"}


def _gap(minutes: int) -> str:
    """« 3 h », « 25 min », « 1 h 05 », « 2 jours »."""
    minutes = abs(minutes)
    if minutes >= 24 * 60:
        return french.plural(round(minutes / (24 * 60)), "jour")
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}{french.NBSP}min"
    return f"{hours}{french.NBSP}h" + (f"{french.NBSP}{rest:02d}" if rest else "")


def _to_check(capture: CaptureFact, zone: ZoneInfo) -> str:
    local = capture.at.astimezone(zone)
    said = _VERDICTS.get(capture.verdict, capture.verdict)
    if capture.verdict == "time_mismatch" and capture.difference_minutes is not None:
        ahead = "d'avance" if capture.difference_minutes > 0 else "de retard"
        said = f"l'horloge affichée a {_gap(capture.difference_minutes)} {ahead}"
    return (
        f"capture de la tentative du {french.format_date(local.date())} "
        f"à {french.format_time(local.time())} ({said})"
    )


def _captures(facts: ReadinessFacts, policy: FirmPolicy) -> Criterion:
    """Captures that read as proof: the page confirms the attempt and a visible time matches
    it. Only captures read (or checked by a person) count; those that show no time neither
    prove nor contradict the attempt (no OCR, or not read yet: nothing is held against it)."""
    label = "Captures lisibles et cohérentes"
    read = facts.captures
    if not read:
        return Criterion("capture_consistency", label, None, policy.min_consistent_capture_share,
                         True, "Aucune capture n'a encore été lue.")  # fmt: skip
    good = sum(1 for c in read if c.verdict == "consistent")
    judged = good + sum(1 for c in read if c.verdict in AGAINST)
    share = good / judged if judged else None
    offending = [_to_check(c, facts.zone) for c in read if c.verdict != "consistent"]
    said = (
        f"{good} capture{'s' if good > 1 else ''} sur {len(read)} "
        f"montre{'nt' if good > 1 else ''} l'échec et l'heure de la tentative"
    )
    if offending:
        said += f"{SEMI} à vérifier{COLON} " + f"{SEMI} ".join(offending)
    passed = share is None or share >= policy.min_consistent_capture_share
    return Criterion(
        "capture_consistency", label, share, policy.min_consistent_capture_share, passed,
        said + ".",
    )  # fmt: skip


def _urgency(facts: ReadinessFacts) -> Criterion:
    if facts.is_renewal:
        said = f"Renouvellement{COLON} l'urgence est présumée (CE 9 juin 2022, n° 453391)."
        return Criterion(
            "urgency", "Urgence", "renouvellement", "présumée ou justifiée", True, said
        )
    dated = len(facts.urgency_dates)
    recorded = _n(dated, "élément daté enregistré", "éléments datés enregistrés")
    said = (
        f"Première demande{COLON} l'urgence doit être justifiée par des circonstances "
        f"particulières{SEMI} {recorded}."
    )
    return Criterion("urgency", "Urgence", dated, 1, dated > 0, said)


def blockers(facts: ReadinessFacts) -> list[Blocker]:
    found = []
    if facts.has_oqtf and not facts.oqtf_executed:
        found.append(
            Blocker(
                "unexecuted_oqtf",
                "Le client fait l'objet d'une obligation de quitter le territoire non exécutée"
                f"{COLON} l'urgence n'est pas reconnue (CE 9 juin 2022, n° 453391).",
            )
        )
    if facts.refusal_received:
        found.append(
            Blocker(
                "refusal_decision",
                f"La préfecture a refusé cette demande{COLON} la voie est le recours pour excès de "
                "pouvoir assorti d'un référé-suspension, non le référé mesures utiles.",
            )
        )
    if "anef" in (facts.procedure_channel, facts.booking_channel):
        found.append(
            Blocker(
                "anef_procedure",
                f"La démarche relève de l'ANEF{COLON} le recours vise la solution de substitution "
                "(art. R. 431-2 du CESEDA), non un rendez-vous en préfecture.",
            )
        )
    return found


def _contact_criteria(m: AttemptMeasures, policy: FirmPolicy) -> list[Criterion]:
    return [
        _at_least(
            "attempt_count",
            "Nombre de tentatives infructueuses",
            m.count,
            policy.contact_min_attempts,
            f"{_n(m.count, 'tentative')} avant d'écrire",
        ),
        _at_least(
            "attempt_weeks",
            "Semaines distinctes de tentatives",
            m.weeks,
            policy.contact_min_attempt_weeks,
            f"Tentatives sur {_n(m.weeks, 'semaine')}",
        ),
    ]


def assess(facts: ReadinessFacts, policy: FirmPolicy, today: date, target: str) -> Assessment:
    """Readiness to move to ``target`` (``prefecture_contact`` or ``interim_relief``)."""
    m = measure(facts.attempts, facts.zone)
    if target == "prefecture_contact":
        criteria = _contact_criteria(m, policy)
    else:
        criteria = [
            *_attempt_criteria(m, policy, today),
            _captures(facts, policy),
            *_written_criteria(facts, policy, today),
            _urgency(facts),
        ]
    ready = all(c.passed for c in criteria)
    return Assessment(target, ready, criteria, next_steps(criteria, m, policy))
