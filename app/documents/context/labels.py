"""The French words a draft uses for the codes a case stores (channels, outcomes, kinds)."""

from app import french

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
    "captcha_failed": "le site a refusé le code de sécurité saisi",
    "anef_error": "le téléservice ANEF a affiché une erreur",
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
