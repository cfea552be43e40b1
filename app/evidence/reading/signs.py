"""What a capture must show to confirm its attempt's outcome (pure).

A failed attempt is not always a refusal message: the site may answer « 503 Service
Unavailable », not open at all, refuse the captcha or, on the ANEF, show a technical error.
Each is a real failure and proof of the obstacle (CE 9 juin 2022, n° 453391): a capture of
it confirms its attempt when the page shows the signs of that outcome. A no-slot attempt is
confirmed by one of the firm's refusal messages (reference data, editable); the other
outcomes by the phrases below, matched on folded text (no case, no accents) and tolerant of
a few OCR errors.
"""

import re

from app.evidence.reading.parse import MATCH_THRESHOLD, fold, refusal, within

# Phrases error pages print, in French and English (browsers, web servers, the sites).
ERROR_PAGE = (
    "503 service unavailable", "service unavailable", "service temporarily unavailable",
    "temporarily unavailable", "temporarily unable to service", "502 bad gateway", "bad gateway",
    "504 gateway time-out", "gateway timeout", "500 internal server error",
    "internal server error", "une erreur est survenue", "une erreur technique est survenue",
    "erreur technique", "erreur inattendue", "service temporairement indisponible",
    "service momentanement indisponible", "le service est momentanement indisponible",
    "site en maintenance", "operation de maintenance", "veuillez reessayer plus tard",
    "please try again later", "something went wrong", "erreur 500", "erreur 503",
)  # fmt: skip
UNREACHABLE = (
    "ce site est inaccessible", "this site can't be reached", "this site cant be reached",
    "impossible d'acceder au site", "la connexion a echoue", "delai d'attente depasse",
    "the connection has timed out", "la connexion a expire", "err_connection",
    "err_name_not_resolved", "err_timed_out", "err_address_unreachable", "dns_probe",
    "hmm. we're having trouble finding that site", "impossible de se connecter",
    "la page ne repond pas", "page inaccessible", "ne parvient pas a ouvrir la page",
    "le serveur ne repond plus", "a mis trop de temps a repondre", "impossible de joindre",
    "impossible d'acceder a cette page", "echec de la connexion", "took too long to respond",
)  # fmt: skip
CAPTCHA = (
    "code de securite", "le code saisi est incorrect", "code incorrect", "captcha",
    "les caracteres saisis", "recopiez les caracteres", "je ne suis pas un robot",
    "verification de securite", "security code", "incorrect code", "saisie incorrecte",
)  # fmt: skip
ANEF = ("administration-etrangers-en-france", "anef", "demarche en ligne des etrangers")
# Fewer words than this on the page, the browser's bars and clocks aside, is an empty page:
# what « the site did not open » looks like when the browser shows nothing.
EMPTY_PAGE_WORDS = 12
_NOISE = re.compile(r"https?:\S+|\S+\.(?:fr|com|org|net)\S*|\d+")


def _seen(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first phrase the folded text contains (a few OCR errors tolerated)."""
    folded = fold(text)
    for phrase in phrases:
        candidate = fold(phrase)
        if candidate in folded:
            return phrase
        if len(candidate) >= 12 and within(candidate, folded) >= MATCH_THRESHOLD:
            return phrase
    return None


def _empty_page(text: str) -> bool:
    words = [w for w in _NOISE.sub(" ", fold(text)).split() if len(w) > 2]
    return len(words) < EMPTY_PAGE_WORDS


def confirmation(outcome: str, text: str, messages: list[str]) -> str | None:
    """What on the page confirms ``outcome`` (a refusal message, a phrase of an error page,
    « page vide »), or None when the page shows no sign of it."""
    if outcome == "no_slot":
        return refusal(text, messages)
    if outcome == "error":
        return _seen(text, ERROR_PAGE)
    if outcome == "site_unavailable":
        found = _seen(text, UNREACHABLE) or _seen(text, ERROR_PAGE)
        return found or ("page vide" if _empty_page(text) else None)
    if outcome == "captcha_failed":
        return _seen(text, CAPTCHA)
    if outcome == "anef_error":
        if _seen(text, ANEF) is None:
            return None
        return _seen(text, ERROR_PAGE) or refusal(text, messages)
    if outcome == "slot_offered":
        # A slot was offered: the page shows no refusal (what it offers is not ours to read).
        return None if refusal(text, messages) else "créneau proposé"
    return None


def suggest(text: str, messages: list[str]) -> str | None:
    """The failure a capture with no attempt seems to show, for a person to confirm."""
    for outcome in ("no_slot", "error", "captcha_failed"):
        if confirmation(outcome, text, messages) is not None:
            return outcome
    if _seen(text, UNREACHABLE) is not None:
        return "site_unavailable"
    return None
