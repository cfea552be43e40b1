"""What each attempt outcome is called in French, in the timeline and in the drafts.

The statistics charts keep their own shorter wording (``statistics/charts.py``): a legend
has less room than a sentence.
"""

OUTCOMES = {
    "no_slot": "aucun créneau disponible",
    "error": "erreur du site",
    "site_unavailable": "site indisponible",
    "captcha_failed": "code de sécurité refusé",
    "anef_error": "erreur du téléservice ANEF",
    "slot_offered": "créneau proposé",
}
