"""The OCR engine: Tesseract (Debian's `tesseract-ocr`, `tesseract-ocr-fra`, `-eng`) through
pytesseract. The service runs without it: readings then say `unavailable`.

A capture is read in two Tesseract passes: the strips where clocks live (`regions`), each
prepared apart and stacked into one image read as sparse text, then the whole page (for the
refusal message, the address and any date the page prints)."""

import io
import logging
import os
from dataclasses import dataclass
from functools import cache

import pytesseract  # type: ignore[import-untyped]
from PIL import Image

from app.evidence.reading import regions

logger = logging.getLogger(__name__)
LANGUAGES = "fra+eng"
# OCR runs beside the API: one core, at low priority, so requests never wait for it
# (Tesseract's OpenMP would otherwise take every core).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
NICE = 10
STRIPS_CONFIG = "--psm 11"  # sparse text: a taskbar's clock, a status bar's, far apart
PAGE_CONFIG = "--psm 3"
STRIPS_LANGUAGES = LANGUAGES
GAP = 24  # white rows between stacked strips


class Unavailable(Exception):
    pass


@dataclass(frozen=True)
class Text:
    """What Tesseract read: the clock strips (top and bottom edges), then the whole page."""

    strips: str
    page: str
    photo: bool = False  # a photo of a screen, straightened before reading

    def __str__(self) -> str:
        return f"{self.strips.strip()}\n{self.page}".lstrip("\n")


@cache
def engine() -> str | None:
    """``tesseract 5.3.0`` when installed (with French), else None."""
    try:
        version = pytesseract.get_tesseract_version()
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        return None
    if not {"fra", "eng"} <= languages:
        logger.warning("tesseract has no %s language data: readings unavailable", LANGUAGES)
        return None
    return f"tesseract {version}"


def read_text(content: bytes) -> str:
    """All the text of a capture: its clock strips first, then the page."""
    return str(read(content))


def read(content: bytes) -> Text:
    if engine() is None:
        raise Unavailable("Tesseract (with French and English) is not installed.")
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        grey, photo = regions.screen(image)
    parts = regions.regions(grey, photo=photo)
    strips = [part.image for part in parts if part.name != "page"]
    page = next(part.image for part in parts if part.name == "page")
    return Text(strips=_tesseract(stack(strips), STRIPS_CONFIG, STRIPS_LANGUAGES) if strips else "",
                page=_tesseract(page, PAGE_CONFIG, LANGUAGES), photo=photo)  # fmt: skip


def stack(images: list[Image.Image]) -> Image.Image:
    """The strips one under the other on white, so that one Tesseract run reads them all
    (each run costs a quarter of a second before it reads anything)."""
    width = max(image.width for image in images)
    height = sum(image.height for image in images) + GAP * (len(images) + 1)
    out = Image.new("L", (width, height), 255)
    y = GAP
    for image in images:
        out.paste(image, (0, y))
        y += image.height + GAP
    return out


def _tesseract(image: Image.Image, config: str, languages: str) -> str:
    image.format = "PPM"  # handed over uncompressed: PNG would take 0.2 s to write
    text: str = pytesseract.image_to_string(
        image, lang=languages, config=config, timeout=60, nice=NICE
    )
    return text
