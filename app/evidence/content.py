"""What a file is, from its bytes alone, and what an image says about itself (pure).

The allowlist is what a court file needs: screenshots (PNG, JPEG, WebP), PDF, plain
text and e-mails (EML). Names and declared types are never trusted.
"""

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image

# A 32-megapixel ceiling (Pillow warns past it, and the check below turns the warning into a
# refusal) is generous for a screenshot or a phone photo (a 4K screen is 8.3 MP, a 48 MP phone
# saves 12 MP by default) and keeps a decompression bomb from ever being decoded.
Image.MAX_IMAGE_PIXELS = 32_000_000

PNG, JPEG, WEBP, PDF, TEXT, EML = (
    "image/png", "image/jpeg", "image/webp", "application/pdf", "text/plain", "message/rfc822",
)  # fmt: skip
ALLOWED = (PNG, JPEG, WEBP, PDF, TEXT, EML)
EXTENSIONS = {PNG: "png", JPEG: "jpg", WEBP: "webp", PDF: "pdf", TEXT: "txt", EML: "eml"}
IMAGES = {PNG, JPEG, WEBP}

_EML_HEADER = re.compile(
    rb"^(Return-Path|Received|From|To|Date|Subject|Message-ID|MIME-Version|Delivered-To|"
    rb"X-[A-Za-z-]+|Reply-To|Cc|Content-Type|DKIM-Signature|ARC-[A-Za-z-]+|Authentication-Results)"
    rb":",
    re.IGNORECASE,
)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls == 0


def identify(head: bytes) -> str | None:
    """The media type of the content starting with ``head``, or None if not allowed."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return PDF
    if not _is_text(head):
        return None
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return EML if _EML_HEADER.match(first) else TEXT


def compatible(declared: str | None, identified: str) -> bool:
    """A declared type contradicts the bytes only if it names another concrete type."""
    if not declared:
        return True
    declared = declared.split(";")[0].strip().lower()
    if declared in {"application/octet-stream", "binary/octet-stream", ""}:
        return True
    aliases = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF}
    return aliases.get(declared, declared) == identified or (
        identified == TEXT and declared.startswith("text/")
    )


class ImageTooLarge(Exception):
    pass


class UnreadableImage(Exception):
    pass


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    capture_time: str | None  # as written in the file (EXIF has no time zone)


_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011


def image_facts(path: Path) -> ImageFacts:
    """Pixel size and embedded capture time, read from headers only: nothing is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                capture = _capture_time(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(str(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(str(exc)) from exc
    return ImageFacts(width, height, capture)


def _capture_time(image: Image.Image) -> str | None:
    exif = image.getexif()
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    original = sub.get(_DATETIME_ORIGINAL) or exif.get(ExifTags.Base.DateTime)
    if original:
        offset = sub.get(_OFFSET_TIME_ORIGINAL)
        return f"{original} {offset}".strip() if offset else str(original)
    # Screenshots saved by macOS and some tools carry it as a PNG text chunk.
    text = getattr(image, "text", None) or {}
    value = text.get("Creation Time") or text.get("creation_time")
    return str(value) if value else None
