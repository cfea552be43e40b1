"""E-mails and texts rendered as PDF: what they say, reproducibly, in any script the font has."""

import io
import os

import pytest
from pypdf import PdfReader

from app.documents import fileable

SHA = "ab" * 32
HTML_MAIL = (
    b"From: =?utf-8?q?A=C3=AFcha_Kon=C3=A9?= <a.kone@example.com>\r\n"
    b"To: pref-etrangers@seine-saint-denis.gouv.fr\r\n"
    b"Date: Mon, 2 Nov 2026 09:12:00 +0100\r\n"
    b"Subject: Demande de rendez-vous\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><head><style>p{color:red}</style></head><body><p>Madame, Monsieur,</p>"
    b"<p>Je sollicite un rendez-vous &amp; vous remercie.</p><script>alert(1)</script>"
    b"</body></html>\r\n"
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_html_mail_shows_its_headers_and_its_text_only() -> None:
    text = _text(fileable.eml_pdf(HTML_MAIL, "PJ03_Courriel.pdf", SHA))

    assert "De : Aïcha Koné <a.kone@example.com>" in text
    assert "le 2 novembre 2026 à 9 h 12" in text.replace("\u00a0", " ")
    assert "Je sollicite un rendez-vous & vous remercie." in text
    assert "alert" not in text
    assert "color:red" not in text
    assert SHA in text.replace("\n", "")


def test_rendering_is_reproducible() -> None:
    assert fileable.eml_pdf(HTML_MAIL, "x", SHA) == fileable.eml_pdf(HTML_MAIL, "x", SHA)
    assert fileable.text_pdf(b"abc", "x", SHA) == fileable.text_pdf(b"abc", "x", SHA)


def test_a_long_text_runs_over_several_numbered_pages() -> None:
    pdf = fileable.text_pdf(("ligne de texte\n" * 400).encode(), "PJ09.pdf", SHA)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 3
    assert f"page 2/{len(reader.pages)}" in reader.pages[1].extract_text()


@pytest.mark.skipif(
    fileable.unicode_font() is None and not os.environ.get("CI"),
    reason="DejaVu Sans is not installed here (CI installs it and never skips)",
)
def test_characters_beyond_latin_1_are_printed_as_written() -> None:
    text = _text(fileable.text_pdf("Œuvre, 1 500 € \u2013 « délai »".encode(), "x", SHA))

    assert "Œuvre, 1 500 € \u2013 « délai »" in text
