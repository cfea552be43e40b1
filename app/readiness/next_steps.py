"""What to do next, in the order a lawyer would say it to the client (pure)."""

from datetime import date

from app import french
from app.policy import FirmPolicy
from app.readiness.terms import AttemptMeasures, Criterion


def count_of(count: int, word: str, plural: str | None = None) -> str:
    # French: the singular for 0 and 1 (« 0 tentative infructueuse »), like every document.
    return french.plural(count, word, plural)


def next_steps(criteria: list[Criterion], m: AttemptMeasures, policy: FirmPolicy) -> list[str]:
    """What to do, in the order a lawyer would say it to the client."""
    failed = {c.code: c for c in criteria if not c.passed}
    steps = []
    weeks = 0
    if (c := failed.get("attempt_weeks")) is not None:
        weeks = int(c.threshold or 0) - m.weeks
    if "attempt_span" in failed:
        weeks = max(weeks, -(-(policy.min_attempt_span_days - m.span_days) // 7))
    if weeks > 0:
        steps.append(f"Encore {count_of(weeks, 'semaine')} de tentatives.")
    if (c := failed.get("attempt_count")) is not None:
        steps.append(f"Au moins {count_of(int(c.threshold or 0) - m.count, 'tentative')} de plus.")
    if "attempt_time_slots" in failed:
        steps.append("Varier les heures des tentatives (matin, après-midi, soir).")
    if "screenshot_share" in failed:
        steps.append(
            "Joindre une capture d'écran à chaque tentative (date, heure et adresse visibles)."
        )
    if "capture_consistency" in failed:
        steps.append(
            f"Vérifier les captures signalées{french.COLON} enregistrer ce qu'elles montrent "
            "(heure, page) si la lecture automatique s'est trompée, ou les remplacer."
        )
    if "last_attempt_recent" in failed:
        steps.append("Reprendre les tentatives cette semaine.")
    if "written_contact_sent" in failed:
        steps.append("Envoyer un courrier recommandé avec accusé de réception à la préfecture.")
    if "acknowledgement_received" in failed:
        steps.append("Enregistrer l'accusé de réception dès son retour.")
    if (c := failed.get("waiting_period_elapsed")) is not None and c.value:
        until = date.fromisoformat(str(c.value))
        steps.append(f"Attendre la réponse de la préfecture jusqu'au {french.format_date(until)}.")
    if "urgency" in failed:
        steps.append("Réunir et enregistrer les éléments datés qui justifient l'urgence.")
    return steps
