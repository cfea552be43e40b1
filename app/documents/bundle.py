"""The filing bundle: one ZIP, streamed, with the petition, the inventory, the attempts
annex and one file per exhibit named as the inventory says.

Images become PDF without re-compression (img2pdf embeds the image data as is; an
image with transparency or in WebP is first rebuilt pixel for pixel as PNG). PDFs,
texts and e-mails go in unchanged. Memory holds one exhibit at a time at most, never
the bundle.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import img2pdf
from PIL import Image

from app.evidence import content
from app.evidence.storage import BlobStore

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One exhibit file: its name and the evidence blobs (several for a series)."""

    file_name: str
    blobs: tuple[tuple[str, str], ...]  # (sha256, media type)


class _Sink:
    """A write-only stream whose bytes the generator hands out as they come."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self.chunks = self.chunks, []
        yield from chunks


def _lossless_image(data: bytes) -> bytes:
    """The image as img2pdf accepts it without re-compression: PNG or JPEG as is; WebP or a
    PNG with transparency rebuilt as PNG, pixels kept (transparency over white)."""
    try:
        return img2pdf.convert(data)  # type: ignore[no-any-return]
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError, TypeError):
        pass
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        flat: Image.Image = image
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(rgba, mask=rgba.split()[-1])
        buffer = io.BytesIO()
        flat.save(buffer, "PNG")
    return img2pdf.convert(buffer.getvalue())  # type: ignore[no-any-return]


def _images_to_pdf(store: BlobStore, blobs: tuple[tuple[str, str], ...]) -> bytes:
    pages = [b"".join(store.open(sha)) for sha, _ in blobs]
    try:
        return img2pdf.convert(pages)  # type: ignore[no-any-return]
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError, TypeError):
        if len(pages) == 1:
            return _lossless_image(pages[0])
        return img2pdf.convert([_page_png(p) for p in pages])  # type: ignore[no-any-return]


def _page_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgb = image.convert("RGB")
        buffer = io.BytesIO()
        rgb.save(buffer, "PNG")
        return buffer.getvalue()


def stream(
    documents: Iterable[tuple[str, bytes]], parts: Iterable[Part], store: BlobStore
) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in documents:
            archive.writestr(name, data)
            yield from sink.drain()
        for part in parts:
            media = {m for _, m in part.blobs}
            with archive.open(part.file_name, "w", force_zip64=True) as member:
                if media <= content.IMAGES:
                    member.write(_images_to_pdf(store, part.blobs))
                else:
                    for sha, _ in part.blobs:
                        for chunk in store.open(sha):
                            member.write(chunk)
                            yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()
