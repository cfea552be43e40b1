"""Writing a template with python-docx: the page, the styles and the paragraphs.

Page set-up is what French courts and préfectures use: A4, French (fr-FR) on every
style, headings in the body font in black, page numbers « 1/5 », the firm as author.
Each paragraph is written as a single run, so Word's run splitting never breaks a tag.
"""

import re
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from app.documents.builtin import TEMPLATES

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
