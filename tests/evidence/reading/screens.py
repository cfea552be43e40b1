"""Screenshots drawn for the tests: a phone's booking page or a desktop browser, with Debian's
DejaVu fonts, optional status-bar clock, light noise and JPEG compression."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MESSAGE = (
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
    "Veuillez recommencer ultérieurement."
)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD if bold else FONT, size)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _finish(image: Image.Image, noise: bool, jpeg: bool) -> bytes:
    if noise:
        rng = random.Random(7)
        pixels = image.load()
        assert pixels is not None
        for _ in range(image.width * image.height // 60):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            shade = rng.randrange(150, 256)
            pixels[x, y] = (shade, shade, shade)
    buffer = io.BytesIO()
    if jpeg:
        image.save(buffer, "JPEG", quality=70)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def phone(
    clock: str | None = "09:12",
    message: str | None = MESSAGE,
    *,
    url: str = "rdv-prefecture.interieur.gouv.fr",
    noise: bool = False,
    jpeg: bool = False,
) -> bytes:
    image = Image.new("RGB", (1170, 2532), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1170, 140), fill="black")
    if clock:
        draw.text((70, 45), clock, font=_font(56, bold=True), fill="white")
    draw.text((860, 50), "4G  78 %", font=_font(44), fill="white")
    draw.rounded_rectangle((40, 170, 1130, 280), radius=50, fill=(232, 236, 243))
    draw.text((90, 200), url, font=_font(44 if len(url) < 40 else 30), fill=(26, 61, 124))
    draw.text((70, 360), "Prise de rendez-vous", font=_font(64, bold=True), fill=(26, 61, 124))
    draw.text((70, 470), "Demande de titre de séjour", font=_font(48), fill="black")
    if message:
        draw.rectangle((50, 600, 1120, 1100), fill=(253, 236, 234), outline=(160, 0, 0), width=4)
        for n, line in enumerate(_wrap(message, 34)):
            draw.text((90, 640 + n * 80), line, font=_font(52), fill=(160, 0, 0))
    return _finish(image, noise, jpeg)


def desktop(
    clock: str = "14:03",
    day: str = "16/11/2026",
    message: str | None = MESSAGE,
    *,
    noise: bool = False,
    jpeg: bool = False,
) -> bytes:
    image = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1920, 90), fill=(222, 225, 230))
    draw.text((40, 25), "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1234/",
              font=_font(30), fill="black")  # fmt: skip
    draw.text((120, 180), "Préfecture de la Seine-Saint-Denis", font=_font(48, bold=True),
              fill=(26, 61, 124))  # fmt: skip
    if message:
        for n, line in enumerate(_wrap(message, 60)):
            draw.text((120, 320 + n * 60), line, font=_font(40), fill=(160, 0, 0))
    draw.rectangle((0, 1010, 1920, 1080), fill=(30, 30, 30))
    draw.text((1640, 1018), clock, font=_font(26), fill="white")
    draw.text((1640, 1048), day, font=_font(22), fill="white")
    return _finish(image, noise, jpeg)


def taskbar(
    clock: str = "09:12",
    day: str = "02/12/2026",
    *,
    dark: bool = True,
    mirrored: bool = False,
    size: tuple[int, int] = (1366, 768),
    jpeg: bool = False,
) -> bytes:
    """A Windows desktop at 100 %: a browser page, and the taskbar's 40 px with its pinned
    apps and the clock, time over date, at the right end (the left end when mirrored, as
    Windows lays it out for a right-to-left language)."""
    w, h = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, w, 75), fill=(222, 225, 230))
    draw.text((110, 44), "rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4439/",
              font=_font(14), fill="black")  # fmt: skip
    for n, line in enumerate(_wrap(MESSAGE, 80)):
        draw.text((70, 340 + n * 24), line, font=_font(17), fill=(160, 0, 0))
    ink, bar = ("white", (16, 16, 16)) if dark else ("black", (238, 238, 238))
    draw.rectangle((0, h - 40, w, h), fill=bar)
    for n, colour in enumerate(((31, 111, 235), (240, 190, 40), (20, 130, 40), (200, 60, 30))):
        x = w // 2 - 100 + n * 52
        draw.rounded_rectangle((x, h - 32, x + 24, h - 8), radius=4, fill=colour)
    x = 20 if mirrored else w - 96
    draw.text((x + 14, h - 37), clock, font=_font(12), fill=ink)
    draw.text((x, h - 19), day, font=_font(12), fill=ink)
    draw.text((x + 110 if mirrored else x - 60, h - 28), "FRA", font=_font(12), fill=ink)
    return _finish(image, False, jpeg)


def menu_bar(clock: str = "mer. 2 déc. 09:12") -> bytes:
    """A macOS desktop on a Retina screen: the menu bar (24 pt, 48 px), its clock at the
    right, and a browser page under it."""
    image = Image.new("RGB", (2880, 1800), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 2880, 48), fill=(236, 236, 236))
    draw.text((90, 9), "Safari   Fichier   Édition   Présentation", font=_font(26), fill="black")
    font = _font(26)
    draw.text((2850 - draw.textlength(clock, font=font), 9), clock, font=font, fill="black")
    for n, line in enumerate(_wrap(MESSAGE, 60)):
        draw.text((160, 400 + n * 70), line, font=_font(44), fill=(160, 0, 0))
    return _finish(image, False, False)


def photographed(capture: bytes, *, tilt: float = 2.5) -> bytes:
    """A photo of the capture on its screen: a dark bezel and room, tilted, blurred and
    noisy, as a phone's JPEG."""
    with Image.open(io.BytesIO(capture)) as opened:
        screen = opened.convert("RGB")
    w, h = screen.size
    room = Image.new("RGB", (w * 5 // 4, h * 3 // 2), (46, 42, 38))
    ImageDraw.Draw(room).rectangle((w // 8 - 20, h // 4 - 20, w // 8 + w + 20, h // 4 + h + 20),
                                   fill=(12, 12, 12))  # fmt: skip
    room.paste(screen, (w // 8, h // 4))
    room = room.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=(46, 42, 38))
    room = room.filter(ImageFilter.GaussianBlur(0.8))
    return _finish(room, True, True)


def unrelated() -> bytes:
    image = Image.new("RGB", (1170, 2532), "white")
    draw = ImageDraw.Draw(image)
    draw.text((80, 300), "Liste de courses", font=_font(70, bold=True), fill="black")
    for n, item in enumerate(("pain", "lait", "tomates", "café")):
        draw.text((80, 450 + n * 90), f"- {item}", font=_font(56), fill="black")
    return _finish(image, False, False)


def blank() -> bytes:
    return _finish(Image.new("RGB", (1170, 2532), "white"), False, False)
