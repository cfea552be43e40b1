"""Real files of each kind, made on the spot."""

import functools
import io
import struct
import zlib

import img2pdf
from PIL import Image


def png(width: int = 640, height: int = 400, color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_exif(taken: str = "2026:03:02 09:12:33", offset: str | None = "+01:00") -> bytes:
    image = Image.new("RGB", (1170, 2532), "white")
    exif = Image.Exif()
    exif[0x0132] = taken
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = taken
    if offset:
        sub[0x9011] = offset
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "blue").save(buffer, "WEBP")
    return buffer.getvalue()


@functools.cache
def pdf() -> bytes:
    """A real one-page PDF (made once: its metadata holds the time it was made)."""
    return bytes(img2pdf.convert(png(200, 280, "white")))


def eml() -> bytes:
    return (
        b"Return-Path: <client@example.com>\r\nFrom: Client <client@example.com>\r\n"
        b"To: pref-sejour@seine-saint-denis.gouv.fr\r\nSubject: Demande de rendez-vous\r\n"
        b"Date: Mon, 2 Mar 2026 09:30:00 +0100\r\n\r\nMadame, Monsieur,\r\n"
    )


def text() -> bytes:
    return "Relevé des tentatives : aucun créneau disponible.\n".encode()


def windows_executable() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
    )


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header claims 10 gigapixels: decoding it would exhaust memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def zip_archive() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "hidden")
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    """A one-page PDF that runs a script when opened."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
