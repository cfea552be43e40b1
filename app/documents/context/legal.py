"""The petition's legal sections: what is asked, legal aid, the OQTF, admissibility, costs."""

from datetime import date
from typing import Any

from app import french
from app.documents.context.citing import day_text, exhibit_ref, exhibits_of, spaced
from app.documents.context.labels import AES_MOTIFS
from app.documents.context.types import Options, Snapshot
from app.french import NBSP, NNBSP


def procedure(s: Snapshot) -> dict[str, Any]:
    motif = AES_MOTIFS.get(s.aes_motif or "", "")
    request = s.request_phrase.replace("{motif}", motif).replace("  ", " ").strip()
    if not request:
        label = s.procedure_label[:1].lower() + s.procedure_label[1:]
        request = f"une demande {french.of(label)}"
    request = french.legal_refs(request)
    return {
        "label": s.procedure_label,
        "of": french.of(s.procedure_label[0].lower() + s.procedure_label[1:]),
        "basis": s.procedure_basis,
        "is_renewal": s.is_renewal,
        "request": request,
        "of_request": french.of(request),
    }


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
    return f"du bureau d'aide juridictionnelle {french.of(seat)}"


def legal_aid(s: Snapshot, client: dict[str, Any]) -> str:
    """The sentence on legal aid: requested, provisional or granted; none without it."""
    c = s.client
    ref = spaced(exhibit_ref(exhibits_of(s, "legal_aid_document")))
    bureau = _bureau(c.legal_aid_bureau) if c.legal_aid_bureau else ""
    if c.legal_aid_status == "granted":
        number = f", n°{NBSP}{c.legal_aid_decision}" if c.legal_aid_decision else ""
        when = f" du {day_text(c.legal_aid_decision_date)}" if c.legal_aid_decision_date else ""
        by = f"par décision {bureau}{when}{number}" if bureau else f"par décision{when}{number}"
        return (
            f"{client['The_applicant']} a été admis{client['agreement_e']} au bénéfice de l'aide "
            f"juridictionnelle totale {by}{ref}."
        )
    if c.legal_aid_status in {"requested", "provisional"}:
        when = f" le {day_text(c.legal_aid_request_date)}" if c.legal_aid_request_date else ""
        where = f" auprès {bureau}" if bureau else ""
        return (
            f"{client['The_applicant']} a sollicité le bénéfice de l'aide juridictionnelle"
            f"{when}{where}{ref}{NNBSP}; il est demandé au juge des référés de l'y admettre à "
            "titre provisoire (article 20 de la loi n°" + NBSP + "91-647 du 10 juillet 1991)."
        )
    return ""


def oqtf(options: Options, client: dict[str, Any]) -> str:
    if not options.oqtf:
        return ""
    when = options.oqtf.get("date")
    dated = f" le {day_text(date.fromisoformat(when))}" if when else ""
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
        text += " " + french.capitalized(statement.rstrip(".")) + "."
    return text + " Elle ne fait donc pas obstacle à l'examen de la présente demande."


def admissibility(s: Snapshot, client: dict[str, Any]) -> str:
    """No decision exists; cite each decision only for what it holds."""
    letters = [c for c in s.contacts if c.channel == "registered_letter" and c.delivered_date]
    letter = ""
    if letters:
        last = max(letters, key=lambda c: c.delivered_date or c.sent_date)
        assert last.delivered_date is not None
        recent = (s.today - last.delivered_date).days < 60
        letter = (
            f"{NNBSP}; le courrier recommandé reçu par la préfecture le {day_text(last.delivered_date)}"
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


def costs(
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
