"""From a case's facts to the plain data a template prints (pure).

Every value is already formatted in French (dates, times, amounts, agreement), and every
sentence built here follows the data: an outcome is stated only for the attempts that met
it, a capture is mentioned only when there is one, an empty value leaves no hole. A
template only places strings, and a firm's own template can use the same names. The
variables are listed in docs/documents.md.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app import french
from app.agenda.deadlines import AWAITS_ANSWER
from app.attempts.labels import OUTCOMES

NBSP, NNBSP = french.NBSP, french.NNBSP
SEMI = f"{NNBSP};"

CHANNEL_LABELS = {
    "prefecture_site": "le site internet de la préfecture",
    "rdv_prefecture": f"la plateforme {french.quote('RDV Préfecture')}",
    "demarches_simplifiees": f"la plateforme {french.quote('démarches-simplifiées')}",
    "anef": "le téléservice ANEF",
    "counter": "le guichet de la préfecture",
}
# What the site answered, as the facts section states it (« … (3 fois) »).
OUTCOME_CLAUSES = {
    "no_slot": "le site a répondu qu'aucun créneau n'était disponible",
    "site_unavailable": "le site était indisponible",
    "error": "le site a affiché une erreur",
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
# The consequence each kind of urgency has for the client, once the fact is stated.
URGENCY_CONSEQUENCES = {
    "document_expiry": "Faute de pouvoir déposer sa demande avant cette date, {pronoun} perdra "
    "le droit au séjour que ce document lui assure, et avec lui, le cas échéant, le droit de "
    "travailler.",
    "employment": "Faute de pouvoir justifier d'un droit au séjour auprès de son employeur, "
    "{pronoun} risque de perdre cet emploi.",
    "age_deadline": "Passé cette date, {pronoun} ne pourra plus présenter sa demande sur ce "
    "fondement.",
    "health": "La continuité des soins que requiert son état dépend de la régularité de son "
    "séjour.",
    "family": "La stabilité de sa vie familiale dépend de la régularité de son séjour.",
    "schooling": "La poursuite de cette scolarité suppose que la situation administrative de "
    "{the_applicant} soit examinée sans attendre.",
    "other": "",
}
DOCUMENT_TYPES = {
    "titre_de_sejour": "d'un titre de séjour",
    "recepisse": "d'un récépissé de demande de titre de séjour",
    "aps": "d'une autorisation provisoire de séjour",
    "visa": "d'un visa",
    "none": "",
}
AES_MOTIFS = {
    "vie_privee_familiale": "au titre de la vie privée et familiale",
    "salarie": "en qualité de salarié",
}
DEFAULT_SERVICE = "Service chargé du séjour des étrangers"
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


def capitalized(text: str) -> str:
    """The first letter in capitals, the rest untouched (« Tribunal administratif de La Réunion »)."""
    return text[:1].upper() + text[1:]


def lowered(text: str) -> str:
    """The first letter in lower case, for a clause after a colon (« : refus d'accès »)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def legal_refs(text: str) -> str:
    """No line break inside « L. 521-3 », « R. 431-2 », « art. 37 », « n° 435594 »."""
    for prefix in ("L. ", "R. ", "art. ", "n° "):
        text = text.replace(prefix, prefix[:-1] + NBSP)
    return text


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
    legal_aid_request_date: date | None = None
    legal_aid_decision_date: date | None = None


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
    summary: str = ""
    id: str = ""


@dataclass(frozen=True)
class UrgencyData:
    kind: str
    day: date
    description: str
    exhibit: int | None = None


@dataclass(frozen=True)
class ExhibitData:
    number: int
    label: str
    file_name: str
    kind: str = "other"


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
    request_phrase: str = ""
    aes_motif: str | None = None
    file_complete: bool = False
    service_name: str = ""
    has_oqtf: bool = False
    oqtf_executed: bool = False


@dataclass(frozen=True)
class Options:
    variant: str = "registered_letter"  # letters: registered_letter | email
    delay_days: int = 15
    latest_appointment_days: int = 30
    astreinte_cents: int = 10_000
    costs_cents: int = 150_000
    response_days: int = 15  # the délai a letter gives the préfecture (policy)
    oqtf: dict[str, Any] | None = None  # the lawyer's statement when overriding the OQTF blocker
    exclude_contact_id: str | None = None  # the contact a letter stands for: never cited
    contacts_before: date | None = None  # a letter cites only requests made before it
    extra: dict[str, Any] = field(default_factory=dict)


def _d(day: date | None) -> str:
    return french.format_date(day) if day else ""


def _exhibit_ref(numbers: list[int]) -> str:
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


def _spaced(ref: str) -> str:
    """`` (pièce n° 4)`` with its leading space, or nothing: never « disponible . »."""
    return f" {ref}" if ref else ""


def _listed(items: list[str]) -> list[str]:
    """List items ending « ; » and the last one « . »."""
    return [item + (SEMI if n < len(items) - 1 else ".") for n, item in enumerate(items)]


def _exhibits_of(s: Snapshot, kind: str) -> list[int]:
    return [e.number for e in s.exhibits if e.kind == kind]


def _bureau(name: str) -> str:
    """« du bureau d'aide juridictionnelle de Bobigny » from « Bobigny », « BAJ de Bobigny »…"""
    seat = name.strip()
    for prefix in ("bureau d'aide juridictionnelle ", "BAJ ", "baj "):
        if seat.lower().startswith(prefix.lower()):
            seat = seat[len(prefix) :].strip()
    if not seat:
        return "du bureau d'aide juridictionnelle"
    if seat.startswith(("de ", "d'", "du ", "des ", "près ")):
        return f"du bureau d'aide juridictionnelle {seat}"
    return f"du bureau d'aide juridictionnelle {of(seat)}"


def _bar(bar: str) -> str:
    """« de Paris », « de la Seine-Saint-Denis » (typed as such), « d'Évry »."""
    bar = bar.strip()
    return bar if bar.startswith(("de ", "d'", "du ", "des ")) else of(bar)


def full_name(c: ClientData) -> str:
    """« Mme KONATÉ Aminata »: civility, family name in capitals, first names."""
    return f"{french.civility_abbreviation(c.civility)} {c.last_name.upper()} {c.first_names}"


def time_zone_name(s: Snapshot) -> str:
    """« heure de La Réunion » where the préfecture's clock is not Paris's; else empty."""
    return "" if s.zone == french.PARIS else f"heure {s.department_of}"


def _client(c: ClientData) -> dict[str, Any]:
    woman = c.civility == "madame"
    name = f"{c.last_name.upper()} {c.first_names}"
    civility = french.civility_abbreviation(c.civility)
    born = french.born(c.civility)
    birth = ""
    if c.birth_date:
        birth = f"{born} le {_d(c.birth_date)}" + (f" à {c.birth_place}" if c.birth_place else "")
    elif c.birth_place:
        birth = f"{born} à {c.birth_place}"
    nationality = f"de nationalité {c.nationality}" if c.nationality else ""
    # « Mme X, née le …, de nationalité …, demeurant … »: only the parts that exist.
    parts = [f"{civility} {name}", birth, nationality]
    if c.address:
        parts.append(f"demeurant {c.address}")
    document = DOCUMENT_TYPES.get(c.document_type, "")
    return {
        "civility": civility,
        "civility_long": "Madame" if woman else "Monsieur",
        "name": name,
        "full_name": full_name(c),
        "identity": ", ".join(p for p in parts if p),
        "last_name": c.last_name.upper(),
        "first_names": c.first_names,
        "born": born,
        "birth": birth,
        "birth_date": _d(c.birth_date),
        "birth_place": c.birth_place,
        "nationality": nationality,
        "address": c.address,
        "email": c.email or "",
        "phone": french.format_phone(c.phone).replace(" ", NBSP) if c.phone else "",
        "agdref": c.agdref or "",
        "entry_date": _d(c.entry_date),
        "document_of": document,
        "document_number": c.document_number or "",
        "document_expiry": _d(c.document_expiry),
        "pronoun": "elle" if woman else "il",
        "the_applicant": "la requérante" if woman else "le requérant",
        "The_applicant": "La requérante" if woman else "Le requérant",
        "to_the_applicant": "à la requérante" if woman else "au requérant",
        "of_the_applicant": "de la requérante" if woman else "du requérant",
        "agreement_e": "e" if woman else "",
        "legal_aid": c.legal_aid_status in {"requested", "provisional", "granted"},
        "legal_aid_granted": c.legal_aid_status == "granted",
        "legal_aid_pending": c.legal_aid_status in {"requested", "provisional"},
        "legal_aid_bureau": c.legal_aid_bureau or "",
        "legal_aid_decision": c.legal_aid_decision or "",
        "legal_aid_request_date": _d(c.legal_aid_request_date),
        "legal_aid_decision_date": _d(c.legal_aid_decision_date),
    }


def missing_identity(c: ClientData) -> list[str]:
    """What R. 411-1 CJA requires of a petition's parties and the file lacks."""
    missing = []
    if not c.address.strip():
        missing.append("address")
    return missing


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
        for kind in ("no_slot", "site_unavailable", "error")
        if counts[kind]
    ]
    return capitalized(f"{SEMI} ".join(clauses))


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
    failed = sorted((a for a in s.attempts if a.outcome != "slot_offered"), key=lambda a: a.at)
    days = sorted({a.at.astimezone(s.zone).date() for a in failed})
    shots = [a.exhibit for a in failed if a.exhibit]
    summary = {
        "count": len(failed),
        "days": len(days),
        "weeks": len(weeks),
        "days_text": french.plural(len(days), "jour distinct", "jours distincts"),
        "weeks_text": french.plural(len(weeks), "semaine calendaire", "semaines calendaires"),
        "first": _d(days[0]) if days else "",
        "last": _d(days[-1]) if days else "",
        "exhibits": _exhibit_ref(shots),
        "outcomes": _outcomes_sentence(failed),
        "proof": f"Les captures d'écran en attestent {_exhibit_ref(shots)}." if shots else "",
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
        ref = _exhibit_ref([a.exhibit for a in items if a.exhibit])
        by_week.append(
            f"semaine du {_d(monday)}{french.COLON} {french.plural(len(items), 'tentative')} "
            f"({_days_list(local_days)}), sans qu'aucun créneau ne soit proposé{_spaced(ref)}"
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


def _contact(c: ContactData, client: dict[str, Any], response_days: int) -> str:
    """One request to the préfecture, as it happened: by whom, to whom, what it asked."""
    when = f"Le {_d(c.sent_date)}"
    summary = c.summary.strip().rstrip(".")
    if c.channel == "email":
        to_whom = f" à l'adresse {c.recipient}" if "@" in c.recipient else ""
        text = (
            f"{when}, un courriel a été adressé au service des étrangers de la préfecture{to_whom}"
        )
        text += ", sollicitant un rendez-vous"
    elif c.channel == "registered_letter":
        number = f" n°{NBSP}{french.letter_number(c.letter_number)}" if c.letter_number else ""
        text = f"{when}, un courrier recommandé avec accusé de réception{number} a été adressé à la préfecture"
        if c.delivered_date:
            text += f" et reçu le {_d(c.delivered_date)}"
        text += (
            f"{NNBSP}; il sollicitait une convocation dans un délai de {response_days} jours, "
            "ou l'indication d'une autre voie de dépôt"
        )
    elif c.channel == "visit":
        e = client["agreement_e"]
        text = f"{when}, {client['pronoun']} s'est présenté{e} au guichet de la préfecture"
        if summary:
            text += f"{french.COLON} {lowered(summary)}"
    elif c.channel == "phone":
        text = f"{when}, la préfecture a été contactée par téléphone"
        if summary:
            text += f"{french.COLON} {lowered(summary)}"
    elif c.channel == "online_form":
        text = f"{when}, une demande de rendez-vous a été déposée par le formulaire en ligne de la préfecture"
    else:
        text = f"{when}, le Défenseur des droits a été saisi"
    if c.channel in AWAITS_ANSWER:
        if c.response_date is None:
            text += f"{NNBSP}; cette demande est restée sans réponse"
        elif c.response_outcome == "standard_reply":
            text += f"{NNBSP}; seule une réponse automatique a été reçue, le {_d(c.response_date)}"
        else:
            answer = c.response_summary.strip().rstrip(".")
            text += f"{NNBSP}; une réponse a été reçue le {_d(c.response_date)}"
            if answer:
                text += f" ({lowered(answer)})"
    return f"{text}{_spaced(_exhibit_ref(list(c.exhibits)))}."


def _contacts(s: Snapshot, client: dict[str, Any], options: Options) -> list[str]:
    return [
        _contact(c, client, options.response_days)
        for c in sorted(s.contacts, key=lambda c: c.sent_date)
        if c.id != options.exclude_contact_id
        and (options.contacts_before is None or c.sent_date < options.contacts_before)
    ]


def _urgency(s: Snapshot, u: UrgencyData, client: dict[str, Any]) -> str:
    """One argued paragraph: the fact, its date, the pièce, what it means for the client."""
    description = capitalized(u.description.strip().rstrip("."))
    if _d(u.day) in description:  # « … valable jusqu'au 31 décembre 2026 » says it already
        dated = description
    elif u.day >= s.today:
        dated = f"{description} (échéance{french.COLON} {_d(u.day)})"
    else:
        dated = f"{description} (depuis le {_d(u.day)})"
    ref = _spaced(_exhibit_ref([u.exhibit] if u.exhibit else []))
    consequence = URGENCY_CONSEQUENCES.get(u.kind, "").format(
        pronoun=client["pronoun"], the_applicant=client["the_applicant"]
    )
    return f"{dated}{ref}." + (f" {consequence}" if consequence else "")


def _procedure(s: Snapshot) -> dict[str, Any]:
    motif = AES_MOTIFS.get(s.aes_motif or "", "")
    request = s.request_phrase.replace("{motif}", motif).replace("  ", " ").strip()
    if not request:
        label = s.procedure_label[:1].lower() + s.procedure_label[1:]
        request = f"une demande {of(label)}"
    request = legal_refs(request)
    return {
        "label": s.procedure_label,
        "of": of(s.procedure_label[0].lower() + s.procedure_label[1:]),
        "basis": s.procedure_basis,
        "is_renewal": s.is_renewal,
        "request": request,
        "of_request": of(request),
    }


def _legal_aid(s: Snapshot, client: dict[str, Any]) -> str:
    """The sentence on legal aid: requested, provisional or granted; none without it."""
    c = s.client
    ref = _spaced(_exhibit_ref(_exhibits_of(s, "legal_aid_document")))
    bureau = _bureau(c.legal_aid_bureau) if c.legal_aid_bureau else ""
    if c.legal_aid_status == "granted":
        number = f", n°{NBSP}{c.legal_aid_decision}" if c.legal_aid_decision else ""
        when = f" du {_d(c.legal_aid_decision_date)}" if c.legal_aid_decision_date else ""
        by = f"par décision {bureau}{when}{number}" if bureau else f"par décision{when}{number}"
        return (
            f"{client['The_applicant']} a été admis{client['agreement_e']} au bénéfice de l'aide "
            f"juridictionnelle totale {by}{ref}."
        )
    if c.legal_aid_status in {"requested", "provisional"}:
        when = f" le {_d(c.legal_aid_request_date)}" if c.legal_aid_request_date else ""
        where = f" auprès {bureau}" if bureau else ""
        return (
            f"{client['The_applicant']} a sollicité le bénéfice de l'aide juridictionnelle"
            f"{when}{where}{ref}{NNBSP}; il est demandé au juge des référés de l'y admettre à "
            "titre provisoire (article 20 de la loi n°" + NBSP + "91-647 du 10 juillet 1991)."
        )
    return ""


def _oqtf(options: Options, client: dict[str, Any]) -> str:
    if not options.oqtf:
        return ""
    when = options.oqtf.get("date")
    dated = f" le {_d(date.fromisoformat(when))}" if when else ""
    text = (
        f"{client['The_applicant']} a fait l'objet d'une obligation de quitter le territoire "
        f"français{dated}."
    )
    ground = options.oqtf.get("ground")
    if ground == "lapsed":
        text += " Cette mesure n'a pas été exécutée et ne peut plus l'être d'office, son délai d'exécution étant expiré."
    elif ground == "contested":
        text += " Cette mesure fait l'objet d'un recours contentieux pendant."
    statement = str(options.oqtf.get("statement") or "").strip()
    if statement:
        text += " " + capitalized(statement.rstrip(".")) + "."
    return text + " Elle ne fait donc pas obstacle à l'examen de la présente demande."


def _admissibility(s: Snapshot, client: dict[str, Any]) -> str:
    """No decision exists; cite each decision only for what it holds."""
    letters = [c for c in s.contacts if c.channel == "registered_letter" and c.delivered_date]
    letter = ""
    if letters:
        last = max(letters, key=lambda c: c.delivered_date or c.sent_date)
        assert last.delivered_date is not None
        recent = (s.today - last.delivered_date).days < 60
        letter = (
            f"{NNBSP}; le courrier recommandé reçu par la préfecture le {_d(last.delivered_date)}"
            + (", il y a moins de deux mois," if recent else "")
            + " n'a reçu aucune réponse"
        )
    return (
        f"Aucune décision n'est intervenue{french.COLON} aucune convocation n'a été délivrée "
        f"{client['to_the_applicant']} et aucun refus ne lui a été opposé{letter}. La demande de "
        "rendez-vous n'est pas la demande de titre de séjour elle-même, qui doit être présentée "
        "en personne au guichet de la préfecture, et le silence gardé sur une demande adressée "
        "par voie postale ne fait naître aucune décision susceptible de recours (CE, avis, "
        "10 octobre 2024, n°" + NBSP + "493514, Lebon). Une convocation n'est pas davantage une "
        "décision (CE, avis, 1er juillet 2020, n°" + NBSP + "436288, Lebon). Un refus qui "
        "interviendrait après l'introduction de la présente requête ne priverait pas le juge des "
        "référés de ses pouvoirs (CE, 28 novembre 2018, n°" + NBSP + "420343, Tables). La requête "
        "est donc recevable."
    )


def _costs(
    options: Options, client: dict[str, Any], lawyer: dict[str, Any] | None
) -> dict[str, str]:
    """The costs paragraph and conclusion; nothing at all when the firm asks for none."""
    if not options.costs_cents:
        return {"argument": "", "conclusion": ""}
    amount = french.format_euros(options.costs_cents)
    if client["legal_aid"] and lawyer is not None:
        beneficiary = (
            f"à verser à Maître{NBSP}{lawyer['name']}, sous réserve qu'{lawyer['pronoun']} "
            "renonce à percevoir la part contributive de l'État"
        )
        basis = (
            "des articles L." + NBSP + "761-1 du code de justice administrative et 37, alinéa 2, "
            "de la loi n°" + NBSP + "91-647 du 10 juillet 1991"
        )
        return {
            "argument": f"Il est demandé de mettre à la charge de l'État la somme de {amount} au "
            f"titre {basis}, {beneficiary}.",
            "conclusion": f"de mettre à la charge de l'État la somme de {amount} au titre {basis}, "
            f"{beneficiary}.",
        }
    basis = "de l'article L." + NBSP + "761-1 du code de justice administrative"
    return {
        "argument": f"Il serait inéquitable de laisser à la charge {client['of_the_applicant']} "
        f"les frais exposés et non compris dans les dépens. Il est demandé de mettre à la charge "
        f"de l'État la somme de {amount} au titre {basis}.",
        "conclusion": f"de mettre à la charge de l'État la somme de {amount} au titre {basis}.",
    }


def urgent(s: Snapshot) -> bool:
    """An urgency date ahead and within 30 days: the petition asks for a shorter délai."""
    window = s.today + timedelta(days=30)
    dates = [u.day for u in s.urgency]
    if s.client.document_expiry:
        dates.append(s.client.document_expiry)
    return any(s.today <= day <= window for day in dates)


def build(s: Snapshot, options: Options) -> dict[str, Any]:
    client = _client(s.client)
    attempts, summary, by_week = _attempts(s)
    lawyer = None
    if s.lawyer is not None:
        woman = s.lawyer.civility == "madame"
        lawyer = {
            "name": s.lawyer.name,
            "title": "Maître",
            "quality": f"{'Avocate' if woman else 'Avocat'} au barreau {_bar(s.lawyer.bar)}",
            "bar_of": _bar(s.lawyer.bar),
            "avocat": "avocate" if woman else "avocat",
            "pronoun": "elle" if woman else "il",
            "bar": s.lawyer.bar,
            "toque": s.lawyer.toque,
            "email": s.lawyer.email or s.firm_email,
            "phone": s.lawyer.phone or s.firm_phone,
        }
    latest = s.today + timedelta(days=options.latest_appointment_days)
    costs = _costs(options, client, lawyer)
    astreinte = french.format_euros(options.astreinte_cents) if options.astreinte_cents else ""
    letters = iter("EFG")
    headings = {
        "astreinte": next(letters) if astreinte else "",
        "costs": next(letters) if costs["argument"] else "",
    }
    urgency = [_urgency(s, u, client) for u in sorted(s.urgency, key=lambda u: u.day)]
    salutation = s.salutation
    return {
        "case": {"reference": s.reference, "file_complete": s.file_complete},
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
            "defendant_title": capitalized(s.defendant),
            "defendant_to": to(s.defendant),
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
        },
        "tribunal": {
            "name": s.tribunal_name,
            "title": capitalized(s.tribunal_name),
            "address": s.tribunal_address,
        },
        "procedure": _procedure(s),
        "booking": {
            "channel": CHANNEL_LABELS.get(s.booking_channel, s.booking_channel),
            "url": s.booking_url or "",
        },
        "attempts": attempts,
        "attempts_summary": summary,
        "attempt_weeks": by_week,
        "attempt_pages": sorted({a.page_url for a in s.attempts if a.page_url}),
        # The chart of the attempts: drawn by the documents service for the annex (a PNG is
        # not the business of this pure module); none elsewhere.
        "attempts_chart": None,
        # The firm's own figures for this préfecture, when the lawyer asks (service).
        "firm_statistics": "",
        "contacts": _contacts(s, client, options),
        "urgency": urgency,
        "urgency_facts": bool(urgency),
        "legal_aid": _legal_aid(s, client),
        "oqtf": _oqtf(options, client),
        "admissibility": _admissibility(s, client),
        "exhibits": [
            {"number": e.number, "label": e.label, "file_name": e.file_name} for e in s.exhibits
        ],
        "headings": headings,
        "conclusions": {
            "delay_days": options.delay_days,
            "latest_appointment_days": options.latest_appointment_days,
            "latest_appointment_date": _d(latest),
            "astreinte": astreinte,
            "costs": french.format_euros(options.costs_cents) if options.costs_cents else "",
            "costs_argument": costs["argument"],
            "costs_conclusion": costs["conclusion"],
        },
        "letter": {
            "by_registered_letter": options.variant == "registered_letter",
            "by_email": options.variant == "email",
            "response_days": options.response_days,
        },
        "today": _d(s.today),
        # Said wherever times are printed, when they are not Paris time.
        "time_zone": time_zone_name(s),
        "place": s.firm_city or s.prefecture_city,
    }
