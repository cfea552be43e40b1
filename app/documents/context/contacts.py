"""The requests made to the préfecture, one sentence each, as they happened."""

from typing import Any

from app import french
from app.agenda.deadlines import AWAITS_ANSWER
from app.documents.context.citing import day_text, exhibit_ref, spaced
from app.documents.context.types import ContactData, Options, Snapshot
from app.french import NBSP, NNBSP


def _sentence(c: ContactData, client: dict[str, Any], response_days: int) -> str:
    """One request to the préfecture, as it happened: by whom, to whom, what it asked."""
    when = f"Le {day_text(c.sent_date)}"
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
            text += f" et reçu le {day_text(c.delivered_date)}"
        text += (
            f"{NNBSP}; il sollicitait une convocation dans un délai de {response_days} jours, "
            "ou l'indication d'une autre voie de dépôt"
        )
    elif c.channel == "visit":
        e = client["agreement_e"]
        text = f"{when}, {client['pronoun']} s'est présenté{e} au guichet de la préfecture"
        if summary:
            text += f"{french.COLON} {french.lowered(summary)}"
    elif c.channel == "phone":
        text = f"{when}, la préfecture a été contactée par téléphone"
        if summary:
            text += f"{french.COLON} {french.lowered(summary)}"
    elif c.channel == "online_form":
        text = f"{when}, une demande de rendez-vous a été déposée par le formulaire en ligne de la préfecture"
    else:
        text = f"{when}, le Défenseur des droits a été saisi"
    if c.channel in AWAITS_ANSWER:
        if c.response_date is None:
            text += f"{NNBSP}; cette demande est restée sans réponse"
        elif c.response_outcome == "standard_reply":
            text += f"{NNBSP}; seule une réponse automatique a été reçue, le {day_text(c.response_date)}"
        else:
            answer = c.response_summary.strip().rstrip(".")
            text += f"{NNBSP}; une réponse a été reçue le {day_text(c.response_date)}"
            if answer:
                text += f" ({french.lowered(answer)})"
    return f"{text}{spaced(exhibit_ref(list(c.exhibits)))}."


def sentences(s: Snapshot, client: dict[str, Any], options: Options) -> list[str]:
    """The requests a draft cites: not the one a letter stands for, none made after it."""
    return [
        _sentence(c, client, options.response_days)
        for c in sorted(s.contacts, key=lambda c: c.sent_date)
        if c.id != options.exclude_contact_id
        and (options.contacts_before is None or c.sent_date < options.contacts_before)
    ]
