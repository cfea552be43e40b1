"""The OCR engine: Tesseract (Debian's `tesseract-ocr`, `tesseract-ocr-fra`, `-eng`) through
pytesseract. The service runs without it: readings then say `unavailable`."""

import io
import logging
import os
from functools import cache

import pytesseract  # type: ignore[import-untyped]
from PIL import Image, ImageFilter, ImageOps

logger = logging.getLogger(__name__)
LANGUAGES = "fra+eng"
# OCR runs beside the API: one core, at low priority, so requests never wait for it
# (Tesseract's OpenMP would otherwise take every core).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
NICE = 10


class Unavailable(Exception):
    pass


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
    """The text of an image. Upscaled and greyscaled first: status bars are small."""
    if engine() is None:
        raise Unavailable("Tesseract (with French and English) is not installed.")
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        grey = ImageOps.exif_transpose(image).convert("L")
    if grey.width < 1600:
        factor = 1600 / grey.width
        grey = grey.resize((1600, max(1, int(grey.height * factor))), Image.Resampling.LANCZOS)
    text: str = pytesseract.image_to_string(
        grey, lang=LANGUAGES, config="--psm 3", timeout=60, nice=NICE
    )
    # A phone's status bar (the clock) is often light on dark and small: read it again alone,
    # inverted and enlarged.
    if grey.height > grey.width:
        bar = grey.crop((0, 0, grey.width, max(1, grey.height * 6 // 100)))
        bar = ImageOps.autocontrast(bar.filter(ImageFilter.MedianFilter(3)))
        if sum(bar.histogram()[:128]) > sum(bar.histogram()[128:]):
            bar = ImageOps.invert(bar)
        bar = bar.resize((bar.width * 2, bar.height * 2), Image.Resampling.LANCZOS)
        status: str = pytesseract.image_to_string(
            bar, lang="eng", config="--psm 6", timeout=30, nice=NICE
        )
        text = status.strip() + "\n" + text
    return text
