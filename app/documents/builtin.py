"""The built-in Word templates, written here as code so that every sentence is reviewable.

``python -m app.documents.builtin`` regenerates ``app/documents/templates/*.docx``. The
templates only place values the context builder has already formatted (docs/documents.md);
each paragraph is written as a single run, so Word's run splitting never breaks a tag.
"""

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("prefecture_letter", "interim_relief_petition", "exhibit_inventory", "attempts_annex")

_TYPOGRAPHY = [
    (re.compile(r" ([:;!?])(?=\s|$|\{)"), "\u202f\\1"),
    (re.compile(r"« "), "«\u202f"),
    (re.compile(r" »"), "\u202f»"),
    (re.compile(r"n° "), "n°\u00a0"),
    (re.compile(r"art\. "), "art.\u00a0"),
]


def typeset(text: str) -> str:
    """French typography for the template's own words (values come typeset)."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text


class Writer:
    def __init__(self) -> None:
        self.doc = Document()
        for section in self.doc.sections:
            section.left_margin = section.right_margin = Cm(2.5)
        normal = self.doc.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(12)

    def p(self, text: str = "", *, bold: bool = False, italic: bool = False,
          align: str | None = None, style: str | None = None, size: int | None = None) -> None:  # fmt: skip
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(typeset(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "justify":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def text(self, text: str) -> None:
        self.p(text, align="justify")

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(typeset(text), level=level)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def tag(self, tag: str) -> None:
        """A paragraph holding only a docxtpl block tag ({%p … %}), removed at rendering."""
        self.doc.add_paragraph(tag)

    def when(self, condition: str, text: str, **style: object) -> None:
        """A paragraph printed only when ``condition`` holds (none left empty otherwise)."""
        self.tag(f"{{%p if {condition} %}}")
        self.p(text, **style)  # type: ignore[arg-type]
        self.tag("{%p endif %}")

    def loop(self, header: str, body: str, *, style: str | None = None) -> None:
        self.tag(f"{{%p {header} %}}")
        self.p(body, style=style, align="justify")
        self.tag("{%p endfor %}")

    def table(self, headers: list[str], cells: list[str], loop: str, widths: list[float]) -> None:
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, title in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = typeset(title)
            cell.paragraphs[0].runs[0].bold = True
        table.rows[1].cells[0].text = f"{{%tr {loop} %}}"
        for i, value in enumerate(cells):
            table.rows[2].cells[i].text = value
        table.rows[3].cells[0].text = "{%tr endfor %}"
        for row in table.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = Cm(width)

    def save(self, name: str) -> None:
        self.doc.save(str(TEMPLATES / f"{name}.docx"))


def parties(w: Writer) -> None:
    w.p("POUR :", bold=True)
    w.text(
        "{{ client.full_name }}, {{ client.birth }}, {{ client.nationality }}, demeurant "
        "{{ client.address }}{% if client.agdref %}, numéro étranger {{ client.agdref }}{% endif %}"
        "{% if client.phone %}, tél. {{ client.phone }}{% endif %}"
        "{% if client.email %}, {{ client.email }}{% endif %}."
    )
    w.text(
        "{% if lawyer %}Ayant pour avocat : {{ lawyer.title }} {{ lawyer.name }}, avocat au barreau "
        "de {{ lawyer.bar }}, {{ firm.address }}{% if lawyer.toque %}, toque {{ lawyer.toque }}"
        "{% endif %}, tél. {{ lawyer.phone }}, {{ lawyer.email }}.{% endif %}"
    )
    w.p("CONTRE :", bold=True)
    w.text(
        "{{ prefecture.defendant_title }}{% if prefecture.address %}, {{ prefecture.address }}{% endif %}."
    )


def petition() -> None:
    w = Writer()
    w.p("REQUÊTE EN RÉFÉRÉ MESURES UTILES", bold=True, align="center", size=14)
    w.p("(article L. 521-3 du code de justice administrative)", italic=True, align="center")
    w.p("")
    w.p("À Madame ou Monsieur le président du {{ tribunal.name }}, juge des référés", bold=True)
    w.p("")
    parties(w)
    w.p("")
    w.text(
        "{{ client.The_applicant }} demande au juge des référés d'enjoindre {{ prefecture.defendant_to }} "
        "de lui communiquer une date de rendez-vous pour déposer sa demande de titre de séjour "
        "({{ procedure.label }}), faute d'avoir pu l'obtenir par {{ booking.channel }}."
    )

    w.heading("I. Faits et procédure")
    w.text(
        "{{ client.The_applicant }}, {{ client.full_name }}, {{ client.nationality }}"
        "{% if client.entry_date %}, est entré{{ client.agreement_e }} en France le "
        "{{ client.entry_date }}{% endif %}.{% if client.document_of %} {{ client.pronoun|capitalize }} "
        "est titulaire {{ client.document_of }}{% if client.document_expiry %} qui expire le "
        "{{ client.document_expiry }}{% endif %}.{% endif %}"
    )
    w.text(
        "{{ client.pronoun|capitalize }} souhaite déposer une demande {{ procedure.of }}"
        "{% if procedure.basis %} (article{{ 's' if ' et ' in procedure.basis else '' }} "
        "{{ procedure.basis }} du code de l'entrée et du séjour des étrangers et du droit d'asile)"
        "{% endif %}. Cette demande ne peut être déposée qu'après un rendez-vous pris sur "
        "{{ booking.channel }}{% if booking.url %} ({{ booking.url }}){% endif %}."
    )
    w.text(
        "Entre le {{ attempts_summary.first }} et le {{ attempts_summary.last }}, "
        "{{ client.pronoun }} a tenté à {{ attempts_summary.count }} reprises, sur "
        "{{ attempts_summary.days_text }} répartis sur {{ attempts_summary.weeks_text }}, "
        "d'obtenir un rendez-vous. Chaque fois, le site a indiqué qu'aucun créneau n'était "
        "disponible {{ attempts_summary.exhibits }} :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }} ;")
    w.text("Le détail de chaque tentative figure au tableau annexé à la présente requête."
           "{% if time_zone %} Les dates et heures y sont données en {{ time_zone }}, celle "
           "des captures d'écran.{% endif %}")  # fmt: skip
    w.when("contacts", "{{ client.The_applicant }} s'est également adressé{{ client.agreement_e }} "
           "à la préfecture :", align="justify")  # fmt: skip
    w.loop("for contact in contacts", "– {{ contact }}")
    w.text("À ce jour, aucun rendez-vous ne lui a été proposé. C'est dans ces conditions qu'"
           "{{ client.pronoun }} saisit le juge des référés.")  # fmt: skip

    w.heading("II. Discussion")
    w.heading("A. Sur la compétence du juge des référés et la recevabilité de la requête", 2)
    w.text(
        "Le litige relève de la juridiction administrative. Le {{ tribunal.name }} est compétent, "
        "le préfet qui doit statuer sur la demande ayant son siège dans son ressort (art. R. 312-1 "
        "et R. 221-3 du code de justice administrative). En vertu de l'article L. 521-3 du même "
        "code, le juge des référés peut, en cas d'urgence et sur simple requête recevable même en "
        "l'absence de décision administrative préalable, ordonner toutes mesures utiles sans faire "
        "obstacle à l'exécution d'une décision administrative."
    )
    w.text(
        "Aucune décision n'est intervenue : l'impossibilité d'obtenir un rendez-vous et le silence "
        "gardé sur les demandes de convocation ne constituent pas une décision susceptible de "
        "recours (CE, avis, 1er juillet 2020, n° 436288). La requête est donc recevable."
    )
    w.heading("B. Sur l'urgence", 2)
    w.text(
        "{% if procedure.is_renewal %}La demande tend au renouvellement d'un titre de séjour. Dans ce "
        "cas, l'urgence est présumée, l'impossibilité de déposer la demande privant l'intéressé "
        "des droits attachés à la régularité de son séjour (CE, 9 juin 2022, n° 453391).{% else %}"
        "S'agissant d'une première demande, l'urgence s'apprécie au regard des conséquences "
        "concrètes de l'impossibilité de déposer la demande (CE, 9 juin 2022, n° 453391). Elle est "
        "caractérisée en l'espèce par les circonstances suivantes :{% endif %}"
    )
    w.loop("for fact in urgency", "– {{ fact }} ;")
    w.heading("C. Sur l'utilité de la mesure", 2)
    w.text(
        "Le préfet est tenu, après avoir fixé un rendez-vous, de recevoir l'étranger et "
        "d'enregistrer sa demande dans un délai raisonnable. Lorsque le rendez-vous ne peut être "
        "obtenu que par internet et que l'intéressé établit n'avoir pu l'obtenir malgré plusieurs "
        "tentatives qui n'ont pas toutes été faites la même semaine, il peut demander au juge des "
        "référés d'ordonner au préfet de lui communiquer une date de rendez-vous (CE, 10 juin 2020, "
        "n° 435594)."
    )
    w.text(
        "{% if attempts_summary.meets_case_law %}Tel est le cas : {{ client.the_applicant }} "
        "justifie de {{ attempts_summary.count }} tentatives infructueuses réparties sur "
        "{{ attempts_summary.weeks_text }} {{ attempts_summary.exhibits }}.{% else %}"
        "{{ client.The_applicant }} produit les tentatives exposées ci-dessus "
        "{{ attempts_summary.exhibits }}.{% endif %} La prise de rendez-vous en ligne ne saurait au surplus "
        "constituer la seule voie d'accès au service public (CE, 27 novembre 2019, n° 422516 ; "
        "CE, Section, 3 juin 2022, n° 452798). Les captures produites, même anonymes, établissent "
        "la carence de l'administration (CE, 21 avril 2021, n° 448178)."
    )
    w.heading("D. Sur l'absence de contestation sérieuse et d'obstacle à une décision", 2)
    w.text(
        "La mesure demandée se borne à la fixation d'un rendez-vous. Elle ne préjuge en rien de "
        "l'appréciation que portera le préfet sur la demande de titre de séjour et ne fait "
        "obstacle à l'exécution d'aucune décision administrative."
    )
    w.tag("{%p if conclusions.astreinte %}")
    w.heading("Sur l'astreinte", 2)
    w.text(
        "Compte tenu de l'inertie de l'administration, il est demandé d'assortir l'injonction "
        "d'une astreinte de {{ conclusions.astreinte }} par jour de retard."
    )
    w.tag("{%p endif %}")
    w.heading("Sur les frais de l'instance", 2)
    w.text(
        "{% if client.legal_aid %}{{ client.The_applicant }} sollicite le bénéfice de l'aide "
        "juridictionnelle. Il est demandé de mettre à la charge de l'État la somme de "
        "{{ conclusions.costs }} au titre des articles L. 761-1 du code de justice administrative "
        "et 37 de la loi du 10 juillet 1991, à verser à son avocat, qui renoncera alors à la part "
        "contributive de l'État.{% else %}Il serait inéquitable de laisser à la charge de "
        "{{ client.the_applicant }} les frais exposés : il est demandé de mettre à la charge de "
        "l'État la somme de {{ conclusions.costs }} au titre de l'article L. 761-1 du code de justice "
        "administrative.{% endif %}"
    )

    w.p("PAR CES MOTIFS", bold=True, align="center")
    w.text("{{ client.The_applicant }} demande au juge des référés :")
    w.when(
        "client.legal_aid_pending",
        "– d'admettre {{ client.the_applicant }} au bénéfice de l'aide juridictionnelle à titre "
        "provisoire (article 20 de la loi du 10 juillet 1991) ;",
        align="justify",
    )
    w.text(
        "– d'enjoindre {{ prefecture.defendant_to }} de communiquer à {{ client.the_applicant }} une "
        "date de rendez-vous en vue du dépôt de sa demande {{ procedure.of }}, dans un délai de "
        "{{ conclusions.delay_days }} jours à compter de la notification de l'ordonnance, ce "
        "rendez-vous devant avoir lieu au plus tard dans un délai de "
        "{{ conclusions.latest_appointment_days }} jours à compter de cette notification ;"
    )
    w.when(
        "conclusions.astreinte",
        "– d'assortir cette injonction d'une astreinte de {{ conclusions.astreinte }} par jour "
        "de retard ;",
        align="justify",
    )
    w.text(
        "– de mettre à la charge de l'État la somme de {{ conclusions.costs }} au titre de "
        "{% if client.legal_aid %}l'article L. 761-1 du code de justice administrative et de "
        "l'article 37 de la loi du 10 juillet 1991{% else %}l'article L. 761-1 du code de justice "
        "administrative{% endif %}."
    )
    w.p("")
    w.p("Fait à {{ place }}, le {{ today }}", align="right")
    w.p("{% if lawyer %}{{ lawyer.title }} {{ lawyer.name }}{% else %}{{ client.full_name }}{% endif %}",
        align="right")  # fmt: skip
    w.p("")
    w.p("Pièces : voir le bordereau des pièces. Le tableau des tentatives est annexé ci-après.",
        italic=True)  # fmt: skip
    # The annex is part of the pleading, not a pièce: it closes the same file, so it can
    # never disagree with the figures above and Télérecours gets no unnumbered file.
    w.page_break()
    attempts_table(w)
    w.save("interim_relief_petition")


def letter() -> None:
    w = Writer()
    w.loop("for line in firm.letterhead", "{{ line }}")
    w.p("{{ firm.name }}", bold=True)
    w.p("{{ firm.address }}")
    w.p(
        "{% if firm.phone %}Tél. {{ firm.phone }}{% endif %}{% if firm.email %} – {{ firm.email }}{% endif %}"
    )
    w.p("")
    w.p("{{ prefecture.addressee }}", align="right")
    w.p("Service de l'immigration et de l'intégration", align="right")
    w.p("{{ prefecture.address }}", align="right")
    w.p("")
    w.p("{{ place }}, le {{ today }}", align="right")
    w.p("{% if letter.by_registered_letter %}Lettre recommandée avec accusé de réception{% else %}"
        "Par courriel : {{ prefecture.email }}{% endif %}", italic=True)  # fmt: skip
    w.p("Nos références : {{ case.reference }}{% if client.agdref %} – numéro étranger "
        "{{ client.agdref }}{% endif %}")  # fmt: skip
    w.p("Objet : demande de convocation pour le dépôt d'une demande {{ procedure.of }} – "
        "impossibilité d'obtenir un rendez-vous en ligne", bold=True)  # fmt: skip
    w.p("")
    w.p("{{ prefecture.salutation }},")
    w.text(
        "{% if lawyer %}J'ai l'honneur de vous écrire au nom de {{ client.full_name }}, {{ client.birth }}, "
        "{{ client.nationality }}, demeurant {{ client.address }}.{% else %}Je soussigné{{ client.agreement_e }} "
        "{{ client.full_name }}, {{ client.birth }}, {{ client.nationality }}, demeurant "
        "{{ client.address }}, ai l'honneur de vous écrire.{% endif %}"
    )
    w.text(
        "{% if client.entry_date %}Entré{{ client.agreement_e }} en France le {{ client.entry_date }}, "
        "{% endif %}{{ client.full_name }} souhaite déposer une demande {{ procedure.of }}. "
        "{% if client.document_of %}{{ client.pronoun|capitalize }} est titulaire {{ client.document_of }}"
        "{% if client.document_expiry %} qui expire le {{ client.document_expiry }}{% endif %}. {% endif %}"
        "Le dossier est complet."
    )
    w.text(
        "Depuis le {{ attempts_summary.first }}, {{ attempts_summary.count }} tentatives de prise "
        "de rendez-vous sur {{ booking.channel }} ont échoué, sur {{ attempts_summary.weeks_text }} "
        "et à des heures variées{% if time_zone %} ({{ time_zone }}){% endif %} :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }} ;")
    w.loop("for contact in contacts", "– {{ contact }}")
    w.text(
        "Or l'administration est tenue d'enregistrer une demande de titre de séjour dans un délai "
        "raisonnable (CE, 10 juin 2020, n° 435594) et la prise de rendez-vous en ligne ne peut "
        "être la seule voie d'accès à ses services (CE, 27 novembre 2019, n° 422516 ; CE, Section, "
        "3 juin 2022, n° 452798)."
    )
    w.when("urgency", "La situation est urgente :", align="justify")
    w.loop("for fact in urgency", "– {{ fact }} ;")
    w.text(
        "Je vous prie en conséquence de bien vouloir convoquer {{ client.full_name }} à un "
        "rendez-vous dans un délai de {{ letter.response_days }} jours à compter de la réception "
        "de la présente, ou d'indiquer les modalités de dépôt de sa demande par une autre voie."
    )
    w.text(
        "À défaut de réponse dans ce délai, le juge des référés du {{ tribunal.name }} sera saisi "
        "sur le fondement de l'article L. 521-3 du code de justice administrative, afin qu'il soit "
        "enjoint de fixer ce rendez-vous, sous astreinte."
    )
    w.text(
        "Je vous prie d'agréer, {{ prefecture.salutation }}, l'expression de ma haute considération."
    )
    w.p("")
    w.p("{% if lawyer %}{{ lawyer.title }} {{ lawyer.name }}, avocat au barreau de {{ lawyer.bar }}"
        "{% else %}{{ client.full_name }}{% endif %}", align="right")  # fmt: skip
    w.when("exhibits", "Pièces jointes :", italic=True)
    w.loop("for exhibit in exhibits", "{{ exhibit.number }}. {{ exhibit.label }}")
    w.save("prefecture_letter")


def inventory() -> None:
    w = Writer()
    w.p("BORDEREAU DES PIÈCES", bold=True, align="center", size=14)
    w.p("{{ tribunal.name|capitalize }} – juge des référés", align="center")
    w.p("{{ client.full_name }} contre {{ prefecture.defendant }}", align="center")
    w.p("Dossier {{ case.reference }}{% if time_zone %} – dates et heures en {{ time_zone }}"
        "{% endif %}", align="center", italic=True)  # fmt: skip
    w.p("")
    w.table(
        ["N°", "Désignation de la pièce", "Fichier"],
        ["{{ e.number }}", "{{ e.label }}", "{{ e.file_name }}"],
        "for e in exhibits",
        [1.5, 9.5, 5.5],
    )
    w.p("")
    w.p("Fait à {{ place }}, le {{ today }}", align="right")
    w.save("exhibit_inventory")


def annex() -> None:
    w = Writer()
    attempts_table(w)
    w.save("attempts_annex")


def attempts_table(w: Writer) -> None:
    w.p("ANNEXE – TABLEAU DES TENTATIVES DE PRISE DE RENDEZ-VOUS", bold=True, align="center")
    w.p("{{ client.full_name }} – dossier {{ case.reference }}", align="center")
    w.p("{{ attempts_summary.count }} tentatives infructueuses du {{ attempts_summary.first }} au "
        "{{ attempts_summary.last }}, sur {{ attempts_summary.weeks_text }}"
        "{% if time_zone %} – dates et heures en {{ time_zone }}{% endif %}", align="center",
        italic=True)  # fmt: skip
    w.p("")
    w.table(
        ["Date", "Heure", "Page consultée", "Message affiché", "Pièce"],
        [
            "{{ a.date }}",
            "{{ a.time }}",
            "{{ a.page }}",
            "{{ a.message or a.outcome }}",
            "{{ a.exhibit }}",
        ],
        "for a in attempts",
        [3.0, 1.8, 5.2, 5.0, 1.5],
    )


def build_all() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    petition()
    letter()
    inventory()
    annex()


if __name__ == "__main__":
    build_all()
    print(f"templates written to {TEMPLATES}", file=sys.stderr)
