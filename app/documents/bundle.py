"""The filing bundle: one ZIP with the petition, the inventory, one PDF per exhibit named
as the inventory says, and a manifest.

Every exhibit becomes a PDF, the format Télérecours takes: images without re-compression
(img2pdf embeds the image data as is; an image with transparency or in WebP is first
rebuilt pixel for pixel as PNG), PDFs unchanged, e-mails and texts rendered by
``fileable``. The same inputs always give the same bytes (fixed entry times, fixed order,
PDFs without dates), so a firm can prove what it filed. The ZIP is written to a file
first: an exhibit that cannot be converted fails the whole build before a byte is sent.
Memory holds one exhibit at a time at most, never the bundle.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import img2pdf
from PIL import Image

from app.blobstore.storage import BlobStore, Staging
from app.documents import fileable
from app.evidence import content, wholefile

MANIFEST = "manifest.json"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP entry can carry
_IMG2PDF = {"nodate": True, "engine": img2pdf.Engine.internal}


@dataclass(frozen=True)
class Part:
    """One exhibit file: its number, its name and the evidence blobs (several for a series)."""

    number: int
    file_name: str
    blobs: tuple[tuple[str, str], ...]  # (sha256, media type)


class UnfileableExhibit(Exception):
    """An exhibit that cannot be turned into a PDF (a 1-pixel image, a corrupt file…)."""

    def __init__(self, part: Part, reason: str) -> None:
        super().__init__(f"exhibit {part.number} ({part.file_name}): {reason}")
        self.part = part
        self.reason = reason


class _Out:
    """What zipfile writes to: the staging file, hashed as it goes (never seeked)."""

    def __init__(self, staging: Staging) -> None:
        self.staging = staging

    def write(self, data: bytes) -> int:
        self.staging.write(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass  # the caller publishes or discards the staging file


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _lossless_image(data: bytes) -> bytes:
    """The image as img2pdf accepts it without re-compression: PNG or JPEG as is; WebP or a
    PNG with transparency rebuilt as PNG, pixels kept (transparency over white)."""
    try:
        return img2pdf.convert(data, **_IMG2PDF)  # type: ignore[no-any-return]
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError):
        pass
    return img2pdf.convert(_flat_png(data), **_IMG2PDF)  # type: ignore[no-any-return]


def _flat_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        flat: Image.Image = image
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(rgba, mask=rgba.split()[-1])
        elif image.mode not in ("RGB", "L", "1"):
            flat = image.convert("RGB")
        buffer = io.BytesIO()
        flat.save(buffer, "PNG")
    return buffer.getvalue()


def _images_to_pdf(pages: list[bytes]) -> bytes:
    if len(pages) == 1:
        return _lossless_image(pages[0])
    try:
        return img2pdf.convert(pages, **_IMG2PDF)  # type: ignore[no-any-return]
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError):
        return img2pdf.convert([_flat_png(p) for p in pages], **_IMG2PDF)  # type: ignore[no-any-return]


def _check_size(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        # Uploads refuse these now; evidence stored before the check is named, not filed.
        if min(image.size) < wholefile.MIN_IMAGE_SIDE:
            width, height = image.size
            raise ValueError(f"a {width}x{height} pixel image shows nothing a court can read")
    return data


def _rendered(part: Part, store: BlobStore) -> bytes | None:
    """The exhibit's PDF when it has to be made; None for a PDF copied as it is."""
    media = {m for _, m in part.blobs}
    if media <= content.IMAGES:
        return _images_to_pdf([_check_size(b"".join(store.open(sha))) for sha, _ in part.blobs])
    if len(part.blobs) != 1:
        raise ValueError("only screenshots can form a series")
    sha, media_type = part.blobs[0]
    if media_type == content.PDF:
        return None
    data = b"".join(store.open(sha))
    if media_type == content.EML:
        return fileable.eml_pdf(data, part.file_name, sha)
    if media_type == content.TEXT:
        return fileable.text_pdf(data, part.file_name, sha)
    raise ValueError(f"no PDF rendering for {media_type}")


def write(
    staging: Staging,
    documents: Iterable[tuple[str, bytes]],
    parts: Iterable[Part],
    store: BlobStore,
    *,
    about: dict[str, Any],
) -> dict[str, Any]:
    """Write the bundle into ``staging``; returns its manifest (also the ZIP's last entry).

    ``about`` (case reference, tribunal, exhibit plan hash…) heads the manifest.
    Raises UnfileableExhibit, naming the exhibit, when one cannot become a PDF.
    """
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(_Out(staging), "w") as archive:
        for name, data in documents:
            archive.writestr(_entry(name), data)
            files.append(
                {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            )
        for part in parts:
            try:
                pdf = _rendered(part, store)
            except Exception as exc:  # img2pdf, Pillow and the e-mail parser raise many kinds
                raise UnfileableExhibit(part, str(exc) or type(exc).__name__) from exc
            digest, size = hashlib.sha256(), 0
            with archive.open(_entry(part.file_name), "w", force_zip64=True) as member:
                chunks = [pdf] if pdf is not None else store.open(part.blobs[0][0])
                for chunk in chunks:
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            files.append(
                {
                    "name": part.file_name,
                    "sha256": digest.hexdigest(),
                    "size": size,
                    "exhibit": part.number,
                    "evidence_sha256": [sha for sha, _ in part.blobs],
                }
            )
        manifest = about | {"files": files}
        encoded = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        archive.writestr(_entry(MANIFEST), encoded)
    return manifest
