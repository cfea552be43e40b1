"""The parties as a draft names them: the client (identity, agreement) and the lawyer."""

from typing import Any

from app import french
from app.documents.context.citing import day_text
from app.documents.context.labels import DOCUMENT_TYPES
from app.documents.context.types import ClientData, Snapshot
from app.french import NBSP


def full_name(c: ClientData) -> str:
    """« Mme KONATÉ Aminata »: civility, family name in capitals, first names."""
    return f"{french.civility_abbreviation(c.civility)} {c.last_name.upper()} {c.first_names}"


def client(c: ClientData) -> dict[str, Any]:
    woman = c.civility == "madame"
    name = f"{c.last_name.upper()} {c.first_names}"
    civility = french.civility_abbreviation(c.civility)
    born = french.born(c.civility)
    birth = ""
    if c.birth_date:
        birth = f"{born} le {day_text(c.birth_date)}" + (
            f" à {c.birth_place}" if c.birth_place else ""
        )
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
        "birth_date": day_text(c.birth_date),
        "birth_place": c.birth_place,
        "nationality": nationality,
        "address": c.address,
        "email": c.email or "",
        "phone": french.format_phone(c.phone).replace(" ", NBSP) if c.phone else "",
        "agdref": c.agdref or "",
        "entry_date": day_text(c.entry_date),
        "document_of": document,
        "document_number": c.document_number or "",
        "document_expiry": day_text(c.document_expiry),
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
        "legal_aid_request_date": day_text(c.legal_aid_request_date),
        "legal_aid_decision_date": day_text(c.legal_aid_decision_date),
    }


def missing_identity(c: ClientData) -> list[str]:
    """What R. 411-1 CJA requires of a petition's parties and the file lacks."""
    missing = []
    if not c.address.strip():
        missing.append("address")
    return missing


def lawyer(s: Snapshot) -> dict[str, Any] | None:
    """The lawyer who signs, with the firm's e-mail and phone where the lawyer has none."""
    if s.lawyer is None:
        return None
    woman = s.lawyer.civility == "madame"
    return {
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


def _bar(bar: str) -> str:
    """« de Paris », « de la Seine-Saint-Denis » (typed as such), « d'Évry »."""
    bar = bar.strip()
    return bar if bar.startswith(("de ", "d'", "du ", "des ")) else french.of(bar)
