"""E-mails and text exhibits rendered as PDF, the format Télérecours takes (pure).

The original file stays in evidence storage untouched; the PDF shows what it says: for
an e-mail, From, To, Cc, Date and Subject, then the text body (an HTML-only body reduced
to its text) and the names of its attachments. Every page names the original and its
SHA-256, so the rendering can always be checked against the stored evidence.

Text needs a Unicode font: DejaVu Sans (Debian's ``fonts-dejavu-core``) where installed,
else the PDF core font, which can only print Latin-1 (other characters become « ? »).
"""

import email
import email.policy
import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from fpdf import FPDF

from app import french

log = logging.getLogger(__name__)

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)
# A fixed date in the PDF's metadata: the same exhibit always renders to the same bytes.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
HEADERS = (("From", "De"), ("To", "À"), ("Cc", "Cc"), ("Date", "Date"), ("Subject", "Objet"))


def unicode_font() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


class _Text(HTMLParser):
    """The readable text of an HTML body: block elements become line breaks."""

    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


class PdfDocument:
    """An A4 page set-up with a Unicode font and a footer line on every page."""

    def __init__(self, footer: str) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_creation_date(FIXED_DATE)
        self.pdf.set_producer("Créneau")
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_margins(18, 18, 18)
        font = unicode_font()
        if font is not None:
            self.pdf.add_font("body", fname=str(font))
            self.family, self.unicode = "body", True
        else:
            log.warning("no Unicode font found (install fonts-dejavu-core): Latin-1 only")
            self.family, self.unicode = "helvetica", False
        family = self.family
        clean = self.clean

        def _footer() -> None:
            self.pdf.set_y(-12)
            self.pdf.set_font(family, size=7)
            self.pdf.cell(0, 5, clean(f"{footer} – page {self.pdf.page_no()}/{{nb}}"), align="C")

        self.pdf.footer = _footer  # type: ignore[method-assign]
        self.pdf.add_page()

    def clean(self, text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def field(self, label: str, value: str) -> None:
        self.pdf.set_font(self.family, size=10)
        self.pdf.multi_cell(0, 5.5, self.clean(f"{label} : {value}"), new_x="LMARGIN", new_y="NEXT")

    def title(self, text: str) -> None:
        self.pdf.set_font(self.family, size=13)
        self.pdf.multi_cell(0, 7, self.clean(text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(4)

    def body(self, text: str) -> None:
        self.pdf.ln(3)
        self.pdf.set_font(self.family, size=10.5)
        self.pdf.multi_cell(0, 5.2, self.clean(text) or " ", new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _rendering(source_name: str, sha256: str) -> PdfDocument:
    return PdfDocument(f"Rendu PDF de « {source_name} » – SHA-256 {sha256}")


def text_pdf(data: bytes, source_name: str, sha256: str) -> bytes:
    document = _rendering(source_name, sha256)
    document.body(data.decode("utf-8", "replace").lstrip("\ufeff"))
    return document.output()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def eml_pdf(data: bytes, source_name: str, sha256: str) -> bytes:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    document = _rendering(source_name, sha256)
    for header, label in HEADERS:
        value = message.get(header)
        if value is None:
            continue
        text = str(value)
        if header == "Date" and (when := getattr(value, "datetime", None)) is not None:
            text = (
                f"{text} ({french.format_datetime(when)}, heure de Paris)" if when.tzinfo else text
            )
        document.field(label, text)
    attachments = [a.get_filename() or "sans nom" for a in message.iter_attachments()]
    if attachments:
        document.field("Pièces jointes au courriel", ", ".join(attachments))
    document.body(_body(message))
    return document.output()
