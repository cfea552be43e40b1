"""Pillow variants of a drawn capture: JPEG at a given quality, and a photo of the screen taken
with a phone (the screen in its bezel, tilted and keystoned, moiré from the pixel grid, a glare
band, uneven light, blur, sensor noise, JPEG, and the camera's EXIF date). Seeded: the same
arguments give the same bytes."""

import io
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from PIL import ExifTags, Image, ImageFilter


def jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Shot:
    seed: int
    tilt: float = 3.0  # degrees the camera is rotated
    keystone: float = 0.05  # the top edge this much shorter than the bottom (camera below)
    fill: float = 0.86  # the screen's share of the photo's width
    moire: float = 0.08
    glare: float = 0.35
    blur: float = 1.0
    noise: float = 6.0
    quality: int = 80
    width: int = 1800
    height: int = 1350
    light: float = 1.0  # exposure: below 1 a dim room


def photo(image: Image.Image, shot: Shot, *, taken: datetime | None = None) -> bytes:
    rng = np.random.default_rng(shot.seed)
    screen = image.convert("RGB")
    bezel = max(8, screen.width // 40)
    framed = Image.new("RGB", (screen.width + 2 * bezel, screen.height + 2 * bezel), (18, 18, 20))
    framed.paste(screen, (bezel, bezel))
    quad = _quad(framed.size, shot, rng)
    coeffs = _perspective(quad, framed.size)
    size = (shot.width, shot.height)
    warped = framed.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", framed.size, 255).transform(
        size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    pixels = np.asarray(warped, dtype=np.float32)
    inside = np.asarray(mask, dtype=np.float32)[..., None] / 255
    y, x = np.mgrid[0 : shot.height, 0 : shot.width].astype(np.float32)
    # The camera's sensor grid beating against the screen's pixels: wavy coloured bands.
    angle = math.radians(rng.uniform(20, 70))
    pitch, wave = rng.uniform(14, 30), rng.uniform(180, 320)
    phase = 2 * np.pi * (x * math.cos(angle) + y * math.sin(angle)) / pitch + 1.6 * np.sin(
        2 * np.pi * (y + 0.6 * x) / wave
    )
    for channel in range(3):
        band = 0.5 + 0.5 * np.sin(phase + channel * 2 * np.pi / 3)
        pixels[..., channel] *= 1 - shot.moire * band
    room = np.array([58, 52, 47], dtype=np.float32) * (0.6 + 0.4 * y / shot.height)[..., None]
    pixels = pixels * inside + room * (1 - inside)
    # Uneven light (darker corners, warmer left) and a glare band across the screen.
    cx, cy = shot.width * rng.uniform(0.4, 0.6), shot.height * rng.uniform(0.35, 0.55)
    radius = np.hypot((x - cx) / shot.width, (y - cy) / shot.height)
    pixels *= (shot.light * (1.05 - 0.55 * radius**2))[..., None]
    pixels *= np.array([1.04, 1.0, 0.93], dtype=np.float32)
    slope = math.radians(rng.uniform(25, 60))
    across = x * math.cos(slope) - y * math.sin(slope)
    centre = rng.uniform(0.2, 0.6) * shot.width
    band = np.exp(-(((across - centre) / (0.07 * shot.width)) ** 2)) * inside[..., 0]
    pixels += (shot.glare * 180 * band)[..., None]
    pixels = np.clip(pixels, 0, 255)
    out = Image.fromarray(pixels.astype(np.uint8), "RGB")
    if shot.blur:
        out = out.filter(ImageFilter.GaussianBlur(shot.blur))
    noisy = np.asarray(out, dtype=np.float32) + rng.normal(0, shot.noise, pixels.shape)
    out = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Google", "Pixel 7"
    if taken is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = (
            f"{taken:%Y:%m:%d %H:%M:%S}"
        )
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=shot.quality, exif=exif.tobytes())
    return buffer.getvalue()


def _quad(size: tuple[int, int], shot: Shot, rng: np.random.Generator) -> list[tuple[float, float]]:
    """Where the framed screen's corners land in the photo (top-left, top-right, bottom-right,
    bottom-left)."""
    width = shot.fill * shot.width
    height = width * size[1] / size[0]
    cx = shot.width / 2 + rng.uniform(-0.03, 0.03) * shot.width
    cy = shot.height / 2 + rng.uniform(-0.03, 0.03) * shot.height
    top, bottom = width * (1 - shot.keystone) / 2, width / 2
    corners = [(-top, -height / 2), (top, -height / 2), (bottom, height / 2),
               (-bottom, height / 2)]  # fmt: skip
    turn = math.radians(shot.tilt)
    return [
        (cx + dx * math.cos(turn) - dy * math.sin(turn) + rng.uniform(-4, 4),
         cy + dx * math.sin(turn) + dy * math.cos(turn) + rng.uniform(-4, 4))
        for dx, dy in corners
    ]  # fmt: skip


def _perspective(quad: list[tuple[float, float]], size: tuple[int, int]) -> list[float]:
    """PIL's PERSPECTIVE coefficients: from a photo's pixel back to the screen's."""
    w, h = size
    source = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(quad, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solved = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    return [float(c) for c in solved]
