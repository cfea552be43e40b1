"""The booking sites' pages, imitated in HTML: a préfecture's booking module, RDV Préfecture,
the ANEF, a 503 page, a captcha refused and a page that never came. Each is a fragment drawn
into a browser window (``chrome.py``) and says which attempt outcome it shows."""

from dataclasses import dataclass

PREFECTURE_NO_SLOT = (
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
    "Veuillez recommencer ultérieurement."
)
# Wordings of the seeded refusal messages (migrations/…_screenshot_readings_and_refusal_messages).
RDV_NO_SLOT = "Aucun créneau n'est disponible pour le moment"
PREFECTURE_NONE = "Aucun rendez-vous n'est disponible"
PREFECTURE_NO_MOTIVE = "Aucun rendez-vous n'est possible pour les motifs sélectionnés"
ENGLISH_NO_SLOT = "There are no available appointment slots"
CAPTCHA_REFUSED = "Le code de sécurité saisi est incorrect."
ANEF_TECHNICAL = "Une erreur technique est survenue. Veuillez réessayer ultérieurement."
ANEF_DOWN = "Le service est momentanément indisponible."

# Department: the site's domain, the préfet's title, the State's services there, the form.
PREFECTURES = {
    "93": ("seine-saint-denis", "de la Seine-Saint-Denis", "en Seine-Saint-Denis", "16105"),
    "94": ("val-de-marne", "du Val-de-Marne", "dans le Val-de-Marne", "4962"),
    "92": ("hauts-de-seine", "des Hauts-de-Seine", "dans les Hauts-de-Seine", "13525"),
    "91": ("essonne", "de l'Essonne", "en Essonne", "31214"),
    "69": ("rhone", "du Rhône", "dans le Rhône", "2847"),
}
REPUBLIC = "République<br>française"

CSS = """
.page { font-family: "Liberation Sans", Arial, sans-serif; color: #1e1e1e; background: #fff;
  height: 100%; overflow: hidden; font-size: 15px; }
.page .rf { display: flex; align-items: center; gap: 24px; padding: 14px 5%;
  border-bottom: 1px solid #ddd; }
.page .marianne { font-weight: 700; font-size: 13px; line-height: 1.05; text-transform: uppercase;
  border-top: 4px solid #000091; padding-top: 6px; letter-spacing: .02em; }
.page .motto { font-size: 9px; font-style: italic; text-transform: none; font-weight: 400;
  margin-top: 4px; }
.page .service { font-size: 19px; font-weight: 700; }
.page .service small { display: block; font-size: 13px; font-weight: 400; color: #555; }
.page nav { background: #000091; color: #fff; padding: 9px 5%; font-size: 14px; }
.page nav span { margin-right: 26px; }
.page main { padding: 14px 5%; }
.page .crumbs { font-size: 12px; color: #666; margin-bottom: 10px; }
.page h1 { font-size: 26px; margin: 6px 0 14px; color: #161616; }
.page .steps { display: flex; gap: 4px; margin-bottom: 16px; font-size: 13px; }
.page .steps span { flex: 1; background: #eee; padding: 7px 8px; color: #555; }
.page .steps span.on { background: #000091; color: #fff; }
.page .refusal { border: 1px solid #ce0500; border-left: 6px solid #ce0500; background: #ffe9e9;
  color: #ce0500; padding: 14px 18px; font-size: 16px; margin: 10px 0 16px; max-width: 760px; }
.page .info { border-left: 6px solid #0063cb; background: #e8edff; padding: 14px 18px;
  margin: 10px 0 16px; max-width: 760px; }
.page .info b { display: block; font-size: 18px; margin-bottom: 6px; }
.page .button { display: inline-block; background: #000091; color: #fff; padding: 9px 18px; }
.page .stamp { font-size: 13px; color: #3a3a3a; margin-top: 14px; }
.page footer { margin-top: 28px; border-top: 2px solid #000091; padding: 12px 5%; font-size: 12px;
  color: #666; }
.page.mobile { font-size: 15px; }
.page.mobile .rf { padding: 10px 16px; gap: 12px; }
.page.mobile nav { display: none; }
.page.mobile main { padding: 10px 16px; }
.page.mobile h1 { font-size: 22px; }
.page.mobile .steps span { font-size: 11px; padding: 5px 4px; }
.captcha { display: flex; gap: 16px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
.captcha .image { width: 210px; height: 64px; position: relative; overflow: hidden;
  background: repeating-linear-gradient(35deg, #d6d9e8 0 3px, #f1efe6 3px 7px); }
.captcha .image i { position: absolute; font: italic 700 34px "DejaVu Serif", serif;
  color: #3d4a7a; }
.captcha input { border: 1px solid #ce0500; width: 160px; height: 32px; font-size: 16px; }
.plain { font-family: "DejaVu Serif", serif; background: #fff; height: 100%; padding: 10px;
  color: #000; }
.plain h1 { font-size: 32px; margin: 8px 0; }
.plain.centre { text-align: center; }
.plain hr { border: 0; border-top: 1px solid #aaa; }
.neterror { font-family: "DejaVu Sans", sans-serif; background: #fff; height: 100%;
  color: #202124; padding: 90px 0 0 16%; font-size: 15px; }
.neterror.dark { background: #202124; color: #e8eaed; }
.neterror .icon { width: 60px; height: 56px; border: 5px solid #9aa0a6; border-radius: 6px;
  margin-bottom: 34px; }
.neterror h1 { font-size: 24px; font-weight: 500; margin: 0 0 18px; }
.neterror .code { font-size: 12px; color: #5f6368; margin-top: 22px; text-transform: uppercase; }
.neterror .reload { margin-top: 40px; display: inline-block; background: #1a73e8; color: #fff;
  padding: 9px 22px; border-radius: 4px; font-size: 14px; }
.neterror.mobile { padding: 60px 22px 0; }
.blank { background: #fff; height: 100%; }
"""


@dataclass(frozen=True)
class Page:
    kind: str  # prefecture | rdv_prefecture | anef | http_503 | captcha | unreachable
    shows: str | None  # the outcome it shows (no_slot, error, …); None: nothing to read
    url: str
    title: str
    html: str


def _rf(block: str, service: str, note: str) -> str:
    """The State's header: the Marianne block, the motto, the service's name."""
    return (
        f'<div class="rf"><div class="marianne">{block}<div class="motto">Liberté<br>'
        f'Égalité<br>Fraternité</div></div><div class="service">{service}<small>{note}</small>'
        "</div></div>"
    )


def _state(department: str) -> tuple[str, str, str]:
    """The module's header, its URL's domain and its form number."""
    domain, of, services, number = PREFECTURES[department]
    header = _rf(f"Préfet<br>{of}", f"Les services de l'État {services}",
                 "Démarches administratives")  # fmt: skip
    return header, domain, number


def prefecture(department: str = "93", *, message: str = PREFECTURE_NO_SLOT,
               stamp: str = "", mobile: bool = False) -> Page:  # fmt: skip
    """The gouv.fr sites' booking module: the form's last step says no slot is left."""
    header, domain, number = _state(department)
    html = (
        header
        + "<nav><span>Actualités</span><span>Politiques publiques</span><span>Démarches</span>"
        "<span>Contact</span></nav><main>"
        '<div class="crumbs">Accueil &rsaquo; Démarches &rsaquo; Titres de séjour &rsaquo; '
        "Prise de rendez-vous</div>"
        "<h1>Demande de titre de séjour : prise de rendez-vous</h1>"
        '<div class="steps"><span>Description</span><span>Choix de la nature</span>'
        '<span class="on">Choix du créneau</span><span>Confirmation</span></div>'
        f'<div class="refusal">{message}</div><span class="button">Terminer</span>'
        + (f'<div class="stamp">{stamp}</div>' if stamp else "")
        + f"</main><footer>www.{domain}.gouv.fr · Mentions légales · Accessibilité : "
        "non conforme</footer>"
    )
    return Page("prefecture", "no_slot", f"https://www.{domain}.gouv.fr/booking/create/{number}/1",
                "Prise de rendez-vous - Les services de l'État", _wrap(html, mobile))  # fmt: skip


def rdv_prefecture(*, message: str = RDV_NO_SLOT, english: bool = False, stamp: str = "",
                   mobile: bool = False) -> Page:  # fmt: skip
    """RDV Préfecture (interieur.gouv.fr), step 2: the slot calendar, empty."""
    if english:
        head, detail = message, "New slots are released regularly. Please try again later."
        h1, crumbs = (
            "Book an appointment at the préfecture",
            "Home &rsaquo; Appointment &rsaquo; Time slot",
        )
    else:
        head = message
        detail = ("De nouveaux créneaux sont ouverts régulièrement. "
                  "Veuillez réessayer ultérieurement.")  # fmt: skip
        h1, crumbs = (
            "Prendre rendez-vous en préfecture",
            "Accueil &rsaquo; Démarche &rsaquo; Choix du créneau",
        )
    html = (
        _rf(REPUBLIC, "RDV Préfecture", "Ministère de l'Intérieur")
        + "<nav><span>Mes rendez-vous</span><span>Aide</span></nav><main>"
        f'<div class="crumbs">{crumbs}</div><h1>{h1}</h1>'
        "<div>Titre de séjour · Admission exceptionnelle au séjour · Bobigny</div>"
        '<div class="steps" style="margin-top:12px"><span>1. Démarche</span>'
        '<span class="on">2. Créneau</span><span>3. Coordonnées</span>'
        "<span>4. Confirmation</span></div>"
        f'<div class="info"><b>{head}</b>{detail}</div><span class="button">Retour</span>'
        + (f'<div class="stamp">{stamp}</div>' if stamp else "")
        + "</main><footer>rdv-prefecture.interieur.gouv.fr · Données personnelles</footer>"
    )
    return Page("rdv_prefecture", "no_slot",
                "https://rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4439/creneau/",
                "Choix du créneau - RDV Préfecture", _wrap(html, mobile))  # fmt: skip


def anef(*, message: str = ANEF_TECHNICAL, mobile: bool = False) -> Page:
    """The ANEF's personal space: a technical error, or no slot left (its seeded wording)."""
    shows = "no_slot" if message == RDV_NO_SLOT else "anef_error"
    box = (f'<div class="info"><b>{message}</b>Vous pourrez choisir un créneau dès leur '
           "ouverture.</div>") if shows == "no_slot" else (
        f'<div class="refusal"><b>Erreur</b><br>{message}</div>')  # fmt: skip
    html = (
        _rf(
            REPUBLIC,
            "Administration numérique pour les étrangers en France",
            "Ministère de l'Intérieur",
        )
        + "<nav><span>Mon espace</span><span>Mes démarches</span><span>Aide</span></nav><main>"
        '<div class="crumbs">Espace personnel &rsaquo; Titre de séjour &rsaquo; Rendez-vous</div>'
        f"<h1>Demande de titre de séjour</h1>{box}"
        '<span class="button">Retour à mon espace</span>'
        "</main><footer>administration-etrangers-en-france.interieur.gouv.fr</footer>"
    )
    return Page("anef", shows,
                "https://administration-etrangers-en-france.interieur.gouv.fr/particuliers/#/"
                "espace-personnel/mon-compte/rendez-vous", "ANEF - Mon espace",
                _wrap(html, mobile))  # fmt: skip


def captcha(department: str = "93", *, mobile: bool = False) -> Page:
    """The booking module's security code, refused."""
    header, domain, number = _state(department)
    letters = "".join(
        f'<i style="left:{14 + n * 32}px;top:{6 + (n * 7) % 14}px;'
        f'transform:rotate({(n * 37) % 50 - 25}deg)">{c}</i>'
        for n, c in enumerate("k7Rw2f")
    )
    html = (
        header
        + "<nav><span>Actualités</span><span>Démarches</span></nav><main>"
        "<h1>Demande de titre de séjour : prise de rendez-vous</h1>"
        f'<div class="refusal">{CAPTCHA_REFUSED} Veuillez recopier les caractères de '
        "l'image.</div>"
        f'<div class="captcha"><div class="image">{letters}</div><input value=""></div>'
        '<span class="button">Suivant</span></main>'
    )  # fmt: skip
    return Page("captcha", "captcha_failed",
                f"https://www.{domain}.gouv.fr/booking/create/{number}/0",
                "Prise de rendez-vous", _wrap(html, mobile))  # fmt: skip


def http_503(*, style: str = "nginx", mobile: bool = False) -> Page:
    """A load balancer's 503 on the booking site."""
    if style == "nginx":
        html = ('<div class="plain centre"><h1>503 Service Temporarily Unavailable</h1><hr>'
                "nginx</div>")  # fmt: skip
    else:
        html = (
            '<div class="plain"><h1>Service Unavailable</h1><p>The server is temporarily unable '
            "to service your request due to maintenance downtime or capacity problems. Please "
            "try again later.</p><hr><address>Apache Server at rdv-prefecture.interieur.gouv.fr "
            "Port 443</address></div>"
        )
    title = "503 Service Temporarily Unavailable" if style == "nginx" else "503 Service Unavailable"
    return Page("http_503", "error",
                "https://rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4439/",
                title, html)  # fmt: skip


def unreachable(department: str = "93", *, english: bool = False, dark: bool = False,
                blank: bool = False, safari: bool = False,
                mobile: bool = False) -> Page:  # fmt: skip
    """The browser's own page for a site that did not answer (Chrome's, or Safari's), or a
    page still blank."""
    domain, _, _, number = PREFECTURES[department]
    url = f"https://www.{domain}.gouv.fr/booking/create/{number}/0"
    if blank:
        return Page("unreachable", "site_unavailable", url, f"www.{domain}.gouv.fr",
                    '<div class="blank"></div>')  # fmt: skip
    host = f"<b>www.{domain}.gouv.fr</b>"
    if safari:
        html = (
            '<div class="neterror mobile"><h1>Safari ne parvient pas à ouvrir la page</h1>'
            f"<div>Safari ne parvient pas à ouvrir la page « {url} » car le serveur ne répond "
            "plus.</div></div>"
        )
        return Page("unreachable", "site_unavailable", url, "Impossible d'ouvrir la page", html)
    if english:
        h1, why, reload = (
            "This site can&rsquo;t be reached",
            f"{host} took too long to respond.",
            "Reload",
        )
        tips = "Try: Checking the connection · Checking the proxy and the firewall"
    else:
        h1, why = "Ce site est inaccessible", f"{host} a mis trop de temps à répondre."
        tips = "Voici quelques conseils : Vérifier la connexion · Vérifier le proxy et le pare-feu"
        reload = "Actualiser"
    classes = "neterror" + (" dark" if dark else "") + (" mobile" if mobile else "")
    html = (
        f'<div class="{classes}"><div class="icon"></div><h1>{h1}</h1><div>{why}</div>'
        f'<div style="margin-top:14px">{tips}</div><div class="code">ERR_CONNECTION_TIMED_OUT</div>'
        f'<span class="reload">{reload}</span></div>'
    )  # fmt: skip
    return Page("unreachable", "site_unavailable", url, f"www.{domain}.gouv.fr", html)


def _wrap(html: str, mobile: bool) -> str:
    return f'<div class="page{" mobile" if mobile else ""}">{html}</div>'
