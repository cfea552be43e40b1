"""The built-in Word templates, written here as code so that every sentence is reviewable.

``python -m app.documents.builtin`` regenerates ``app/documents/templates/*.docx``. The
templates only place values the context builder has already formatted (docs/documents.md);
each paragraph is written as a single run, so Word's run splitting never breaks a tag.

Page set-up is what French courts and préfectures use: A4, French (fr-FR) on every
style, headings in the body font in black, page numbers « 1/5 », the firm as author.
"""

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("prefecture_letter", "interim_relief_petition", "exhibit_inventory", "attempts_annex")
FONT = "Times New Roman"
LANGUAGE = "fr-FR"

_TYPOGRAPHY = [
    (re.compile(r" ([:;!?])(?=\s|$|\{)"), "\u202f\\1"),
    (re.compile(r"« "), "«\u202f"),
    (re.compile(r" »"), "\u202f»"),
    (re.compile(r"n° "), "n°\u00a0"),
    (re.compile(r"art\. "), "art.\u00a0"),
    (re.compile(r"\b([LR])\. (?=\d)"), "\\1.\u00a0"),
]


def typeset(text: str) -> str:
    """French typography for the template's own words (values come typeset)."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when they open it."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _language_and_font(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


class Writer:
    def __init__(self, title: str) -> None:
        self.doc = Document()
        for section in self.doc.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.left_margin = section.right_margin = Cm(2.5)
            section.top_margin = section.bottom_margin = Cm(2.2)
            footer = section.footer.paragraphs[0]
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _field(footer, "PAGE")
            footer.add_run("/")
            _field(footer, "NUMPAGES")
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        run_defaults = defaults.find(qn("w:rPrDefault"))
        assert run_defaults is not None
        rpr = run_defaults.find(qn("w:rPr"))
        assert rpr is not None
        _language_and_font(rpr)
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(12)
        for style in styles:
            element = style.element.get_or_add_rPr()
            _language_and_font(element)
        for name, size in (("Heading 1", 12), ("Heading 2", 12)):
            heading = styles[name]
            heading.font.name = FONT
            heading.font.size = Pt(size)
            heading.font.bold = True
            heading.font.italic = False
            heading.font.color.rgb = RGBColor(0, 0, 0)
            heading.paragraph_format.space_before = Pt(12)
            heading.paragraph_format.space_after = Pt(6)
        properties = self.doc.core_properties
        # Rendered by docxtpl like the body: the firm, never the library.
        properties.author = properties.last_modified_by = "{{ firm.name }}"
        properties.title = title
        properties.comments = properties.keywords = properties.subject = ""
        properties.language = LANGUAGE
        properties.created = properties.modified = datetime(2026, 1, 1, tzinfo=UTC)
        properties.revision = 1

    def p(self, text: str = "", *, bold: bool = False, italic: bool = False,
          align: str | None = None, style: str | None = None, size: int | None = None,
          small_caps: bool = False) -> None:  # fmt: skip
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(typeset(text))
        run.bold, run.italic = bold, italic
        run.font.small_caps = small_caps or None
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
        table.autofit = False
        for i, title in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = typeset(title)
            cell.paragraphs[0].runs[0].bold = True
            cell.paragraphs[0].runs[0].font.size = Pt(10)
        table.rows[1].cells[0].text = f"{{%tr {loop} %}}"
        for i, value in enumerate(cells):
            table.rows[2].cells[i].text = value
            table.rows[2].cells[i].paragraphs[0].runs[0].font.size = Pt(10)
        table.rows[3].cells[0].text = "{%tr endfor %}"
        # The grid and every cell carry the widths: LibreOffice reads the grid, Word the cells.
        for i, width in enumerate(widths):
            table.columns[i].width = Cm(width)
            for row in table.rows:
                row.cells[i].width = Cm(width)

    def letterhead(self) -> None:
        self.loop("for line in firm.letterhead", "{{ line }}")
        self.p("{{ firm.name }}", bold=True)
        self.p("{{ firm.address }}")
        self.p("{% if firm.phone %}Tél. {{ firm.phone }}{% endif %}{% if firm.phone and "
               "firm.email %} – {% endif %}{% if firm.email %}{{ firm.email }}{% endif %}")  # fmt: skip

    def signature(self) -> None:
        self.p("Fait à {{ place }}, le {{ today }}", align="right")
        self.p("{% if lawyer %}Maître {{ lawyer.name }}{% else %}{{ client.full_name }}{% endif %}",
               align="right")  # fmt: skip
        self.when("lawyer", "{{ lawyer.quality }}{% if lawyer.toque %} – toque {{ lawyer.toque }}"
                  "{% endif %}", align="right")  # fmt: skip

    def save(self, name: str) -> None:
        self.doc.save(str(TEMPLATES / f"{name}.docx"))


def parties(w: Writer) -> None:
    w.p("POUR :", bold=True)
    w.text(
        "{{ client.identity }}{% if client.agdref %}, numéro étranger {{ client.agdref }}{% endif %}"
        "{% if client.phone %}, tél. {{ client.phone }}{% endif %}"
        "{% if client.email %}, {{ client.email }}{% endif %}."
    )
    w.when(
        "lawyer",
        "Ayant pour avocat : Maître {{ lawyer.name }}, {{ lawyer.avocat }} au barreau "
        "{{ lawyer.bar_of }}{% if firm.address %}, {{ firm.address }}{% endif %}"
        "{% if lawyer.toque %}, toque {{ lawyer.toque }}{% endif %}"
        "{% if lawyer.phone %}, tél. {{ lawyer.phone }}{% endif %}"
        "{% if lawyer.email %}, {{ lawyer.email }}{% endif %}.",
        align="justify",
    )
    w.p("CONTRE :", bold=True)
    w.text(
        "{{ prefecture.defendant_title }}{% if prefecture.address %}, {{ prefecture.address }}{% endif %}."
    )


def petition() -> None:
    w = Writer("Requête en référé mesures utiles")
    w.when("firm.letterhead", "{{ firm.letterhead|join(' – ') }}", italic=True, size=10)
    w.p("REQUÊTE EN RÉFÉRÉ MESURES UTILES", bold=True, align="center", size=14)
    w.p("(article L. 521-3 du code de justice administrative)", italic=True, align="center")
    w.p("")
    w.p("À Madame ou Monsieur le président du {{ tribunal.name }}, juge des référés", bold=True)
    w.p("")
    parties(w)
    w.p("")
    w.text(
        "{{ client.The_applicant }} demande au juge des référés d'enjoindre {{ prefecture.defendant_to }} "
        "de lui communiquer une date de rendez-vous en vue du dépôt {{ procedure.of_request }}, "
        "faute d'avoir pu obtenir ce rendez-vous par {{ booking.channel }}."
    )

    w.heading("I. Faits et procédure")
    w.text(
        "{{ client.The_applicant }}, {{ client.full_name }}{% if client.nationality %}, "
        "{{ client.nationality }}{% endif %}{% if client.entry_date %}, est entré{{ client.agreement_e }} "
        "en France le {{ client.entry_date }}{% else %}, réside en France{% endif %}."
        "{% if client.document_of %} {{ client.pronoun|capitalize }} est titulaire {{ client.document_of }}"
        "{% if client.document_expiry %} qui expire le {{ client.document_expiry }}{% endif %}.{% endif %}"
    )
    w.text(
        "{{ client.pronoun|capitalize }} souhaite déposer {{ procedure.request }}. Ce dépôt suppose "
        "un rendez-vous, qui ne peut être pris que sur {{ booking.channel }}"
        "{% if booking.url %} ({{ booking.url }}){% endif %}."
    )
    w.text(
        "Entre le {{ attempts_summary.first }} et le {{ attempts_summary.last }}, "
        "{{ client.pronoun }} a tenté à {{ attempts_summary.count }} reprises, sur "
        "{{ attempts_summary.days_text }} répartis sur {{ attempts_summary.weeks_text }}, "
        "d'obtenir un rendez-vous. {{ attempts_summary.outcomes }}."
        "{% if attempts_summary.proof %} {{ attempts_summary.proof }}{% endif %} "
        "Semaine après semaine :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }}")
    w.when("firm_statistics", "{{ firm_statistics }}", align="justify")
    w.text("Le détail de chaque tentative figure au tableau annexé à la présente requête."
           "{% if time_zone %} Les dates et heures y sont données en {{ time_zone }}, celle "
           "des captures d'écran.{% endif %}")  # fmt: skip
    w.when("contacts", "{{ client.The_applicant }} s'est également adressé{{ client.agreement_e }} "
           "à la préfecture :", align="justify")  # fmt: skip
    w.loop("for contact in contacts", "– {{ contact }}")
    w.when("legal_aid", "{{ legal_aid }}", align="justify")
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
    w.text("{{ admissibility }}")
    w.heading("B. Sur l'urgence", 2)
    w.text(
        "{% if procedure.is_renewal %}La demande tend au renouvellement d'un titre de séjour. Dans ce "
        "cas, l'urgence est présumée : l'impossibilité de déposer la demande prive l'intéressé "
        "des droits attachés à la régularité de son séjour (CE, 9 juin 2022, n° 453391)."
        "{% if urgency_facts %} En tout état de cause, la situation de {{ client.the_applicant }} "
        "présente une urgence particulière.{% endif %}{% else %}"
        "S'agissant d'une première demande, l'urgence s'apprécie au regard des conséquences "
        "concrètes de l'impossibilité de déposer la demande sur la situation de l'intéressé, qui "
        "doit faire état de circonstances particulières (CE, 9 juin 2022, n° 453391)."
        "{% if urgency_facts %} Tel est le cas en l'espèce.{% endif %}{% endif %}"
    )
    w.loop("for fact in urgency", "{{ fact }}")
    w.when("oqtf", "{{ oqtf }}", align="justify")
    w.heading("C. Sur l'utilité de la mesure", 2)
    w.text(
        "Le préfet est tenu, après avoir fixé un rendez-vous, de recevoir l'étranger et, si son "
        "dossier est complet, d'enregistrer sa demande dans un délai raisonnable. Lorsque le "
        "rendez-vous ne peut être obtenu que par internet et que l'intéressé établit n'avoir pu "
        "l'obtenir malgré plusieurs tentatives qui n'ont pas toutes été faites la même semaine, il "
        "peut demander au juge des référés d'ordonner au préfet de lui communiquer une date de "
        "rendez-vous (CE, 10 juin 2020, n° 435594, Tables)."
    )
    w.text(
        "{% if attempts_summary.meets_case_law %}Tel est le cas : {{ client.the_applicant }} "
        "justifie de {{ attempts_summary.count }} tentatives infructueuses réparties sur "
        "{{ attempts_summary.weeks_text }}, du {{ attempts_summary.first }} au "
        "{{ attempts_summary.last }}{% if attempts_summary.exhibits %} {{ attempts_summary.exhibits }}"
        "{% endif %}.{% else %}{{ client.The_applicant }} produit les tentatives exposées "
        "ci-dessus{% if attempts_summary.exhibits %} {{ attempts_summary.exhibits }}{% endif %}."
        "{% endif %}{% if attempts_summary.has_screenshots %} Les captures d'écran produites "
        "établissent les refus opposés par le site, quand bien même la page de refus, qui "
        "s'affiche avant toute saisie de données personnelles, ne fait pas apparaître l'identité "
        "de l'intéressé (CE, 21 avril 2021, n° 448178, inédit).{% endif %}"
    )
    w.text(
        "Au surplus, un préfet n'a pas compétence pour rendre obligatoire le recours à un "
        "téléservice, module de prise de rendez-vous compris, pour les titres de séjour qui ne "
        "figurent pas sur la liste prévue à l'article R. 431-2 du code de l'entrée et du séjour "
        "des étrangers et du droit d'asile (CE, Section, avis, 3 juin 2022, n° 461694, Lebon). Et "
        "lorsqu'un téléservice peut être imposé, il ne l'est légalement que si l'accès normal au "
        "service est garanti et qu'une solution de substitution est offerte à l'usager qui, "
        "malgré ses diligences, ne peut l'utiliser (CE, Section, 3 juin 2022, n° 452798, Lebon). "
        "L'impossibilité d'obtenir un rendez-vous par la seule voie ouverte prive donc "
        "{{ client.the_applicant }} de tout accès au service."
    )
    w.heading("D. Sur l'absence de contestation sérieuse et d'obstacle à une décision", 2)
    w.text(
        "La mesure demandée se borne à la fixation d'un rendez-vous. Elle ne préjuge en rien de "
        "l'appréciation que portera le préfet sur la demande de titre de séjour et ne fait "
        "obstacle à l'exécution d'aucune décision administrative."
    )
    w.tag("{%p if conclusions.astreinte %}")
    w.heading("{{ headings.astreinte }}. Sur l'astreinte", 2)
    w.text(
        "Les demandes restées sans effet montrent que l'administration ne fixera pas de "
        "rendez-vous sans y être contrainte. Il est demandé d'assortir l'injonction d'une "
        "astreinte de {{ conclusions.astreinte }} par jour de retard."
    )
    w.tag("{%p endif %}")
    w.tag("{%p if conclusions.costs_argument %}")
    w.heading("{{ headings.costs }}. Sur les frais de l'instance", 2)
    w.text("{{ conclusions.costs_argument }}")
    w.tag("{%p endif %}")

    w.p("PAR CES MOTIFS", bold=True, align="center")
    w.text("{{ client.The_applicant }} demande au juge des référés :")
    w.when(
        "client.legal_aid_pending",
        "– d'admettre {{ client.the_applicant }} au bénéfice de l'aide juridictionnelle à titre "
        "provisoire (article 20 de la loi n° 91-647 du 10 juillet 1991) ;",
        align="justify",
    )
    w.text(
        "– d'enjoindre {{ prefecture.defendant_to }} de communiquer {{ client.to_the_applicant }} "
        "une date de rendez-vous en vue du dépôt {{ procedure.of_request }}, dans un délai de "
        "{{ conclusions.delay_days }} jours à compter de la notification de l'ordonnance à "
        "intervenir, ce rendez-vous devant avoir lieu au plus tard dans un délai de "
        "{{ conclusions.latest_appointment_days }} jours à compter de cette notification"
        "{% if conclusions.astreinte or conclusions.costs_conclusion %} ;{% else %}.{% endif %}"
    )
    w.when(
        "conclusions.astreinte",
        "– d'assortir cette injonction d'une astreinte de {{ conclusions.astreinte }} par jour "
        "de retard{% if conclusions.costs_conclusion %} ;{% else %}.{% endif %}",
        align="justify",
    )
    w.when("conclusions.costs_conclusion", "– {{ conclusions.costs_conclusion }}", align="justify")
    w.p("")
    w.signature()
    w.p("")
    w.p("Pièces : voir le bordereau des pièces. Le tableau des tentatives est annexé ci-après.",
        italic=True)  # fmt: skip
    # The annex is part of the pleading, not a pièce: it closes the same file, so it can
    # never disagree with the figures above and Télérecours gets no unnumbered file.
    w.page_break()
    attempts_table(w)
    w.save("interim_relief_petition")


def letter() -> None:
    w = Writer("Demande de convocation")
    w.letterhead()
    w.p("")
    w.p("{{ prefecture.addressee }}", align="right")
    w.p("{{ prefecture.service }}", align="right")
    w.when("prefecture.address and letter.by_registered_letter", "{{ prefecture.address }}",
           align="right")  # fmt: skip
    w.p("")
    w.p("{{ place }}, le {{ today }}", align="right")
    w.p("{% if letter.by_registered_letter %}Lettre recommandée avec accusé de réception{% else %}"
        "Par courriel : {{ prefecture.email }}{% endif %}", italic=True)  # fmt: skip
    w.p("Nos références : {{ case.reference }}{% if client.agdref %} – numéro étranger "
        "{{ client.agdref }}{% endif %}")  # fmt: skip
    w.p("Objet : demande de convocation en vue du dépôt {{ procedure.of_request }} – "
        "impossibilité d'obtenir un rendez-vous en ligne", bold=True)  # fmt: skip
    w.p("")
    w.p("{{ prefecture.salutation }},")
    w.text(
        "{% if lawyer %}J'ai l'honneur de vous écrire au nom de {{ client.identity }}."
        "{% else %}Je soussigné{{ client.agreement_e }} {{ client.identity }}, ai l'honneur de "
        "vous écrire.{% endif %}"
    )
    w.text(
        "{% if client.entry_date %}Entré{{ client.agreement_e }} en France le {{ client.entry_date }}, "
        "{% endif %}{{ client.full_name }} souhaite déposer {{ procedure.request }}. "
        "{% if client.document_of %}{{ client.pronoun|capitalize }} est titulaire {{ client.document_of }}"
        "{% if client.document_expiry %} qui expire le {{ client.document_expiry }}{% endif %}. {% endif %}"
        "{% if case.file_complete %}Son dossier est complet et prêt à être déposé.{% endif %}"
    )
    w.text(
        "Depuis le {{ attempts_summary.first }}, {{ attempts_summary.count }} tentatives de prise "
        "de rendez-vous sur {{ booking.channel }} ont échoué, sur {{ attempts_summary.weeks_text }} "
        "et à des heures variées{% if time_zone %} ({{ time_zone }}){% endif %}. "
        "{{ attempts_summary.outcomes }}. Semaine après semaine :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }}")
    w.when("firm_statistics", "{{ firm_statistics }}", align="justify")
    w.when("contacts", "Les démarches suivantes sont également restées vaines :", align="justify")
    w.loop("for contact in contacts", "– {{ contact }}")
    w.text(
        "Or l'administration est tenue d'enregistrer une demande de titre de séjour dans un délai "
        "raisonnable (CE, 10 juin 2020, n° 435594). Un préfet ne peut, en outre, rendre "
        "obligatoire la prise de rendez-vous en ligne pour les titres qui ne figurent pas sur la "
        "liste de l'article R. 431-2 du code de l'entrée et du séjour des étrangers et du droit "
        "d'asile (CE, Section, avis, 3 juin 2022, n° 461694), et un téléservice imposé suppose "
        "une solution de substitution pour l'usager qui ne parvient pas à l'utiliser (CE, "
        "Section, 3 juin 2022, n° 452798)."
    )
    w.when(
        "urgency", "La situation de {{ client.full_name }} est en outre urgente :", align="justify"
    )
    w.loop("for fact in urgency", "{{ fact }}")
    w.text(
        "Je vous prie en conséquence de bien vouloir convoquer {{ client.full_name }} à un "
        "rendez-vous dans un délai de {{ letter.response_days }} jours à compter de la réception "
        "de la présente, ou de lui indiquer les modalités de dépôt de sa demande par une autre voie."
    )
    w.text(
        "À défaut de réponse dans ce délai, le juge des référés du {{ tribunal.name }} sera saisi "
        "sur le fondement de l'article L. 521-3 du code de justice administrative, afin qu'il "
        "enjoigne de fixer ce rendez-vous sous astreinte, et l'État sera appelé à supporter les "
        "frais de l'instance (article L. 761-1 du même code)."
    )
    w.text(
        "Je vous prie d'agréer, {{ prefecture.salutation }}, l'expression de ma haute considération."
    )
    w.p("")
    w.p("{% if lawyer %}Maître {{ lawyer.name }}{% else %}{{ client.full_name }}{% endif %}",
        align="right")  # fmt: skip
    w.when("lawyer", "{{ lawyer.quality }}", align="right")
    w.when("exhibits", "Pièces jointes :", italic=True)
    w.loop("for exhibit in exhibits", "{{ exhibit.number }}. {{ exhibit.label }}")
    w.save("prefecture_letter")


def inventory() -> None:
    w = Writer("Bordereau des pièces")
    w.p("BORDEREAU DES PIÈCES", bold=True, align="center", size=14)
    w.p("{{ tribunal.title }} – juge des référés", align="center")
    w.p("{{ client.full_name }} contre {{ prefecture.defendant }}", align="center")
    w.p("Dossier {{ case.reference }}{% if time_zone %} – dates et heures en {{ time_zone }}"
        "{% endif %}", align="center", italic=True)  # fmt: skip
    w.p("")
    w.table(
        ["N°", "Désignation de la pièce", "Fichier"],
        ["{{ e.number }}", "{{ e.label }}", "{{ e.file_name }}"],
        "for e in exhibits",
        [1.2, 9.3, 5.5],
    )
    w.p("")
    w.p("Fait à {{ place }}, le {{ today }}", align="right")
    w.save("exhibit_inventory")


def annex() -> None:
    w = Writer("Tableau des tentatives")
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
    w.when("attempts_chart", "{{ attempts_chart }}", align="center")
    w.when(
        "attempts_chart",
        "Chaque marque est une tentative, placée selon le jour de la semaine et l'heure "
        "locale ; une colonne par semaine.",
        italic=True,
        size=9,
        align="center",
    )
    w.table(
        ["Date", "Heure", "Motif choisi", "Message affiché", "Pièce n°"],
        [
            "{{ a.date }}",
            "{{ a.time }}",
            "{{ a.procedure }}",
            "{{ a.message or a.outcome }}",
            "{{ a.exhibit }}",
        ],
        "for a in attempts",
        [2.9, 1.9, 3.9, 5.8, 1.5],
    )
    w.when("attempt_pages", "Page{{ 's' if attempt_pages|length > 1 else '' }} consultée"
           "{{ 's' if attempt_pages|length > 1 else '' }} : {{ attempt_pages|join(' ; ') }}",
           italic=True, size=10)  # fmt: skip


def build_all() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    petition()
    letter()
    inventory()
    annex()


if __name__ == "__main__":
    build_all()
    print(f"templates written to {TEMPLATES}", file=sys.stderr)
