"""Is the whole file what its first bytes say? (pure, reads the staged file in chunks)

The type is identified from the head (``content.identify``); these checks read to the end,
so that a polyglot (an image followed by an archive, text followed by a program) or a PDF
that runs code is refused, and an image is large enough to be filed as a PDF page.
"""

import codecs
import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from app.evidence import content

CHUNK = 1024 * 1024
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
MIN_IMAGE_SIDE = 16  # smaller shows nothing a court can read, and makes no valid PDF page
# Actions that make a PDF act when opened or clicked, and the keys that lead to them. The
# structure is walked (pypdf decodes object streams); the raw bytes are not searched, since
# compressed image data holds any byte sequence by chance.
ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute")
ACTION_KEYS = ("/AA", "/OpenAction", "/A", "/Names", "/JavaScript", "/Annots", "/AcroForm")
ACTIVE_KEYS = ("/JS", "/EmbeddedFiles", "/XFA", "/RichMedia")


class NotWhatItClaims(Exception):
    """The file's body contradicts its head, or it carries something active."""


def _tail(path: Path, size: int) -> bytes:
    with path.open("rb") as f:
        f.seek(0, io.SEEK_END)
        length = f.tell()
        f.seek(max(0, length - size))
        return f.read()


def _text(path: Path, *, strict_utf8: bool) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if b"\x00" in chunk:
                raise NotWhatItClaims("a text file holds NUL bytes")
            if strict_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise NotWhatItClaims("the text is not UTF-8 throughout") from exc
    if strict_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise NotWhatItClaims("the text ends inside a character") from exc


def _png(path: Path) -> None:
    if _tail(path, len(PNG_END)) != PNG_END:
        raise NotWhatItClaims("data follows the end of the PNG image")


def _jpeg(path: Path) -> None:
    tail = _tail(path, 4096).rstrip(b"\x00")  # some cameras pad with zeros
    if not tail.endswith(JPEG_END):
        raise NotWhatItClaims("data follows the end of the JPEG image")


def _webp(path: Path) -> None:
    with path.open("rb") as f:
        header = f.read(8)
        f.seek(0, io.SEEK_END)
        length = f.tell()
    declared = int.from_bytes(header[4:8], "little") + 8
    if length not in (declared, declared + 1):
        raise NotWhatItClaims("the WebP file's length contradicts its header")


def _has_action(value: object, depth: int = 0) -> bool:
    """A script, a launch action or an embedded file anywhere the catalog or a page leads
    to an action (bounded depth)."""
    if depth > 8:
        return False
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, ArrayObject):
        return any(_has_action(item, depth + 1) for item in value)
    if isinstance(value, DictionaryObject):
        if value.get("/S") in ACTIVE_ACTIONS or any(key in value for key in ACTIVE_KEYS):
            return True
        return any(_has_action(value[key], depth + 1) for key in ACTION_KEYS if key in value)
    return False


def _pdf(path: Path) -> None:
    try:
        # An open file, not its name: given a name, pypdf reads the whole file into memory
        # (100 MB for a 100 MB upload); given a file, it seeks to the objects it needs.
        with path.open("rb") as handle:
            reader = PdfReader(handle, strict=False)
            if len(reader.pages) == 0:
                raise NotWhatItClaims("the PDF has no page")
            root = reader.trailer["/Root"]
            if _has_action(root) or any(_has_action(page) for page in reader.pages):
                raise NotWhatItClaims("the PDF carries scripts, launch actions or attachments")
    except NotWhatItClaims:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise NotWhatItClaims("the PDF cannot be read") from exc


def check(path: Path, media_type: str, size: tuple[int, int] | None = None) -> None:
    """Raise NotWhatItClaims unless the whole file is a plain instance of ``media_type``."""
    if media_type == content.TEXT:
        _text(path, strict_utf8=True)
    elif media_type == content.EML:
        _text(path, strict_utf8=False)  # e-mails may carry other charsets, never NUL
    elif media_type == content.PNG:
        _png(path)
    elif media_type == content.JPEG:
        _jpeg(path)
    elif media_type == content.WEBP:
        _webp(path)
    elif media_type == content.PDF:
        _pdf(path)
    if size is not None and min(size) < MIN_IMAGE_SIDE:
        raise NotWhatItClaims(f"a {size[0]}x{size[1]} pixel image is too small to show anything")
