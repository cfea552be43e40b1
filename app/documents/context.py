"""From a case's facts to the plain data a template prints (pure).

Every value is already formatted in French (dates, times, amounts, agreement), so a
template only places strings, and a firm's own template can use the same names.
The variables are listed in docs/documents.md.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app import french

CHANNEL_LABELS = {
    "prefecture_site": "le site internet de la préfecture",
    "rdv_prefecture": f"la plateforme {french.quote('RDV Préfecture')}",
    "demarches_simplifiees": f"la plateforme {french.quote('démarches-simplifiées')}",
    "anef": "le téléservice ANEF",
    "counter": "le guichet de la préfecture",
}
OUTCOMES = {
    "no_slot": "aucun créneau disponible",
    "error": "erreur du site",
    "site_unavailable": "site indisponible",
    "slot_offered": "créneau proposé",
}
URGENCY_KINDS = {
    "document_expiry": "expiration du document de séjour",
    "employment": "emploi",
    "age_deadline": "limite d'âge",
    "health": "santé",
    "family": "situation familiale",
    "schooling": "scolarité",
    "other": "autre circonstance",
}
DOCUMENT_TYPES = {
    "titre_de_sejour": "d'un titre de séjour",
    "recepisse": "d'un récépissé de demande de titre de séjour",
    "aps": "d'une autorisation provisoire de séjour",
    "visa": "d'un visa",
    "none": "",
}
VOWELS = tuple("aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ")


def of(noun: str) -> str:
    """« de » before a noun, elided before a vowel or a mute h: « d'admission », « de salarié »."""
    return f"d'{noun}" if noun.startswith(VOWELS) else f"de {noun}"


def to(defendant: str) -> str:
    """« à » contracted with the article: « au préfet … », « à l'administrateur … »."""
    if defendant.startswith("le "):
        return "au " + defendant[3:]
    if defendant.startswith("les "):
        return "aux " + defendant[4:]
    return "à " + defendant


@dataclass(frozen=True)
class ClientData:
    civility: str
    last_name: str
    first_names: str
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    address: str = ""
    email: str | None = None
    phone: str | None = None
    agdref: str | None = None
    entry_date: date | None = None
    document_type: str = "none"
    document_number: str | None = None
    document_expiry: date | None = None
    legal_aid_status: str = "none"
    legal_aid_bureau: str | None = None
    legal_aid_decision: str | None = None


@dataclass(frozen=True)
class AttemptData:
    at: datetime
    outcome: str
    message: str
    page_url: str | None
    procedure_selected: str
    exhibit: int | None


@dataclass(frozen=True)
class ContactData:
    channel: str
    sent_date: date
    recipient: str
    letter_number: str | None
    delivered_date: date | None
    response_date: date | None
    response_outcome: str
    response_summary: str
    exhibits: tuple[int, ...] = ()


@dataclass(frozen=True)
class UrgencyData:
    kind: str
    day: date
    description: str


@dataclass(frozen=True)
class ExhibitData:
    number: int
    label: str
    file_name: str


@dataclass(frozen=True)
class LawyerData:
    name: str
    bar: str
    toque: str = ""
    email: str | None = None
    phone: str = ""
    civility: str = "madame"


@dataclass(frozen=True)
class Snapshot:
    reference: str
    client: ClientData
    defendant: str
    salutation: str
    department_of: str
    department_name: str
    prefecture_city: str
    prefecture_address: str
    prefecture_email: str
    tribunal_name: str
    tribunal_address: str
    tribunal_code: str
    procedure_label: str
    procedure_basis: str
    is_renewal: bool
    booking_channel: str
    booking_url: str | None
    firm_name: str
    firm_address: str
    firm_city: str
    firm_phone: str
    firm_email: str
    firm_letterhead: str
    lawyer: LawyerData | None
    today: date
    attempts: tuple[AttemptData, ...] = ()
    contacts: tuple[ContactData, ...] = ()
    urgency: tuple[UrgencyData, ...] = ()
    exhibits: tuple[ExhibitData, ...] = ()
    zone: ZoneInfo = french.PARIS  # the préfecture's wall clock for every date and time


@dataclass(frozen=True)
class Options:
    variant: str = "registered_letter"  # letters: registered_letter | email
    delay_days: int = 15
    latest_appointment_days: int = 30
    astreinte_cents: int = 10_000
    costs_cents: int = 150_000
    response_days: int = 15  # the délai a letter gives the préfecture (policy)
    extra: dict[str, Any] = field(default_factory=dict)


def _d(day: date | None) -> str:
    return french.format_date(day) if day else ""


def _exhibit_ref(numbers: list[int]) -> str:
    """« (pièce n° 4) », « (pièces n° 4 à 9) », « (pièces n° 2, 5 et 7) »."""
    unique = sorted(set(numbers))
    if not unique:
        return ""
    if len(unique) == 1:
        return f"(pièce n°{french.NBSP}{unique[0]})"
    if len(unique) == 2:
        return f"(pièces n°{french.NBSP}{unique[0]} et {unique[1]})"
    if unique == list(range(unique[0], unique[-1] + 1)):
        return f"(pièces n°{french.NBSP}{unique[0]} à {unique[-1]})"
    listed = ", ".join(str(n) for n in unique[:-1])
    return f"(pièces n°{french.NBSP}{listed} et {unique[-1]})"


def _client(c: ClientData) -> dict[str, Any]:
    name = f"{c.last_name.upper()} {c.first_names}"
    born = french.born(c.civility)
    birth = ""
    if c.birth_date:
        birth = f"{born} le {_d(c.birth_date)}" + (f" à {c.birth_place}" if c.birth_place else "")
    nationality = f"de nationalité {c.nationality}" if c.nationality else ""
    document = DOCUMENT_TYPES.get(c.document_type, "")
    return {
        "civility": french.civility_abbreviation(c.civility),
        "civility_long": "Madame" if c.civility == "madame" else "Monsieur",
        "name": name,
        "full_name": f"{french.civility_abbreviation(c.civility)} {name}",
        "last_name": c.last_name.upper(),
        "first_names": c.first_names,
        "born": born,
        "birth": birth,
        "birth_date": _d(c.birth_date),
        "birth_place": c.birth_place,
        "nationality": nationality,
        "address": c.address,
        "email": c.email or "",
        "phone": c.phone or "",
        "agdref": c.agdref or "",
        "entry_date": _d(c.entry_date),
        "document_of": document,
        "document_number": c.document_number or "",
        "document_expiry": _d(c.document_expiry),
        "pronoun": "elle" if c.civility == "madame" else "il",
        "the_applicant": "la requérante" if c.civility == "madame" else "le requérant",
        "The_applicant": "La requérante" if c.civility == "madame" else "Le requérant",
        "agreement_e": "e" if c.civility == "madame" else "",
        "legal_aid": c.legal_aid_status in {"requested", "provisional", "granted"},
        "legal_aid_granted": c.legal_aid_status == "granted",
        "legal_aid_pending": c.legal_aid_status in {"requested", "provisional"},
        "legal_aid_bureau": c.legal_aid_bureau or "",
        "legal_aid_decision": c.legal_aid_decision or "",
    }


def _attempts(s: Snapshot) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
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
    failed = [a for a in s.attempts if a.outcome != "slot_offered"]
    days = sorted({a.at.astimezone(s.zone).date() for a in failed})
    summary = {
        "count": len(failed),
        "days": len(days),
        "weeks": len(weeks),
        "days_text": french.plural(len(days), "jour distinct", "jours distincts"),
        "weeks_text": french.plural(len(weeks), "semaine calendaire", "semaines calendaires"),
        "first": _d(days[0]) if days else "",
        "last": _d(days[-1]) if days else "",
        "exhibits": _exhibit_ref([a.exhibit for a in failed if a.exhibit]),
        # CE 10 June 2020 n° 435594: attempts not all made the same week, measured as more
        # than 7 days between the first and the last (facts file, correction 3). A draft
        # never claims the test is met when it is not.
        "meets_case_law": bool(days) and (days[-1] - days[0]).days > 7,
    }
    by_week = []
    for _, items in sorted(weeks.items()):
        local_days = sorted({a.at.astimezone(s.zone).date() for a in items})
        monday = local_days[0] - timedelta(days=local_days[0].weekday())
        ref = _exhibit_ref([a.exhibit for a in items if a.exhibit])
        by_week.append(
            f"semaine du {_d(monday)}{french.COLON} {french.plural(len(items), 'tentative')} "
            f"({_days_list(local_days)}), sans qu'aucun créneau ne soit proposé"
            + (f" {ref}" if ref else "")
        )
    return rows, summary, by_week


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


CONTACT_SENTENCES = {
    "email": "un courriel a été adressé au service des étrangers",
    "registered_letter": (
        "un courrier recommandé avec accusé de réception a été adressé à la préfecture"
    ),
    "visit": "{pronoun} s'est présenté{e} au guichet de la préfecture",
    "phone": "la préfecture a été contactée par téléphone",
    "online_form": "une demande a été déposée par le formulaire en ligne de la préfecture",
    "defenseur_des_droits": "le Défenseur des droits a été saisi",
}


def _contacts(s: Snapshot, client: dict[str, Any]) -> list[str]:
    sentences = []
    for c in sorted(s.contacts, key=lambda c: c.sent_date):
        what = CONTACT_SENTENCES[c.channel].format(
            pronoun=client["pronoun"], e=client["agreement_e"]
        )
        text = f"Le {_d(c.sent_date)}, {what}"
        if c.letter_number:
            text += f" (n°{french.NBSP}{c.letter_number})"
        if c.delivered_date:
            text += f", reçu le {_d(c.delivered_date)}"
        if c.response_date is None:
            text += f"{french.NNBSP}; il est resté sans réponse"
        elif c.response_outcome == "standard_reply":
            text += f"{french.NNBSP}; seule une réponse type a été reçue le {_d(c.response_date)}"
        else:
            text += f"{french.NNBSP}; une réponse a été reçue le {_d(c.response_date)}"
        ref = _exhibit_ref(list(c.exhibits))
        sentences.append(f"{text}{(' ' + ref) if ref else ''}.")
    return sentences


def _urgency(u: UrgencyData) -> str:
    kind = URGENCY_KINDS.get(u.kind, u.kind).capitalize()
    return f"{kind}{french.COLON} {u.description} ({_d(u.day)})"


def build(s: Snapshot, options: Options) -> dict[str, Any]:
    client = _client(s.client)
    attempts, summary, by_week = _attempts(s)
    lawyer = None
    if s.lawyer is not None:
        lawyer = {
            "name": s.lawyer.name,
            "title": "Maître",
            "bar": s.lawyer.bar,
            "toque": s.lawyer.toque,
            "email": s.lawyer.email or s.firm_email,
            "phone": s.lawyer.phone or s.firm_phone,
        }
    latest = s.today + timedelta(days=options.latest_appointment_days)
    return {
        "case": {"reference": s.reference},
        "client": client,
        "lawyer": lawyer,
        "firm": {
            "name": s.firm_name,
            "address": s.firm_address,
            "city": s.firm_city,
            "phone": s.firm_phone,
            "email": s.firm_email,
            "letterhead": [line for line in s.firm_letterhead.splitlines() if line.strip()],
        },
        "prefecture": {
            "defendant": s.defendant,
            "defendant_title": s.defendant[0].upper() + s.defendant[1:],
            "defendant_to": to(s.defendant),
            "salutation": s.salutation,
            "addressee": f"{s.salutation} {s.department_of}"
            if "police" not in s.salutation
            else s.salutation,
            "department": s.department_name,
            "department_of": s.department_of,
            "city": s.prefecture_city,
            "address": s.prefecture_address,
            "email": s.prefecture_email,
        },
        "tribunal": {"name": s.tribunal_name, "address": s.tribunal_address},
        "procedure": {
            "label": s.procedure_label,
            "of": of(s.procedure_label[0].lower() + s.procedure_label[1:]),
            "basis": s.procedure_basis,
            "is_renewal": s.is_renewal,
        },
        "booking": {
            "channel": CHANNEL_LABELS.get(s.booking_channel, s.booking_channel),
            "url": s.booking_url or "",
        },
        "attempts": attempts,
        "attempts_summary": summary,
        "attempt_weeks": by_week,
        "contacts": _contacts(s, client),
        "urgency": [_urgency(u) for u in sorted(s.urgency, key=lambda u: u.day)],
        "exhibits": [
            {"number": e.number, "label": e.label, "file_name": e.file_name} for e in s.exhibits
        ],
        "conclusions": {
            "delay_days": options.delay_days,
            "latest_appointment_days": options.latest_appointment_days,
            "latest_appointment_date": _d(latest),
            "astreinte": french.format_euros(options.astreinte_cents)
            if options.astreinte_cents
            else "",
            "costs": french.format_euros(options.costs_cents) if options.costs_cents else "",
        },
        "letter": {
            "by_registered_letter": options.variant == "registered_letter",
            "by_email": options.variant == "email",
            "response_days": options.response_days,
        },
        "today": _d(s.today),
        # Said wherever times are printed, when they are not Paris time.
        "time_zone": "" if s.zone == french.PARIS else f"heure {s.department_of}",
        "place": s.firm_city or s.prefecture_city,
    }
