"""Where a screen shows the time, and each such region made legible for Tesseract.

Clocks are small, often light on dark, and at the screen's edges: the Windows taskbar (the
bottom strip, at the right, or at the left when the system is right to left), the macOS menu
bar and the GNOME top bar (the top strip, right and centre), a phone's status bar (the top of
a portrait screen). Each strip is cropped and greyed; each band of its rows is inverted
when its background is dark and stretched until that background is white (so a dark
taskbar under a light page both come out dark on white); the strip is enlarged until its
text is some 30 to 40 pixels high. A photo of a screen is first straightened (the screen's
bright quadrilateral mapped onto a rectangle) and denoised, its strips and page sharpened.
Pure Pillow: no engine here."""

from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps

# Where clocks are, as fractions of the screen (left, top, right, bottom). Windows' taskbar
# is 40 px high at 100 % (48 on Windows 11), 60 px at 150 %: 5 to 8 % of the screen; its
# clock is alone at the right end (at the left end right to left), because beside the
# taskbar's icons Tesseract would take the clock's two lines for one. macOS' menu bar
# (24 pt) and GNOME's top bar (32 px) take under 4 %, a phone's status bar 3 to 6 %.
Boxes = tuple[tuple[str, tuple[float, float, float, float]], ...]
LANDSCAPE: Boxes = (
    ("top", (0.0, 0.0, 1.0, 0.04)),
    ("bottom right", (0.75, 0.92, 1.0, 1.0)),
    ("bottom left", (0.0, 0.92, 0.2, 1.0)),
)
PORTRAIT: Boxes = (("top", (0.0, 0.0, 1.0, 0.05)),)
# In a photo the screen's edges are less certain: wider strips.
PHOTO_LANDSCAPE: Boxes = (
    ("top", (0.0, 0.0, 1.0, 0.12)),
    ("bottom right", (0.7, 0.78, 1.0, 1.0)),
    ("bottom left", (0.0, 0.78, 0.25, 1.0)),
)
PHOTO_PORTRAIT: Boxes = (("top", (0.0, 0.0, 1.0, 0.12)),)
# Strips are enlarged as if the screen were this high: a taskbar's or a status bar's text
# then stands 30 to 40 px high (Tesseract reads best from about 20 px).
SCREEN_HEIGHT = 2500
MAX_FACTOR = 4.0
PAGE_WIDTH = 1600  # narrower landscape pages are enlarged to this for the whole-page pass
PHONE_WIDTH = 1080  # narrower portrait pages likewise (a phone's capture at 1x or 2x)
DARK = 110  # a background greyer than this is light text on dark
MIN_INK = 24  # grey levels between a band's ink and its background, or it has no text


@dataclass(frozen=True)
class Region:
    name: str  # "top", "bottom right", "bottom left" or "page"
    image: Image.Image  # greyscale, dark text on light, ready for Tesseract


def screen(image: Image.Image) -> tuple[Image.Image, bool]:
    """The screen in greyscale, upright (EXIF orientation), and whether it was photographed
    (then straightened and lightly denoised)."""
    grey = ImageOps.exif_transpose(image).convert("L")
    corners = _photographed_screen(grey, image)
    if corners is None:
        return grey, False
    return _straighten(grey, corners).filter(ImageFilter.MedianFilter(3)), True


def regions(grey: Image.Image, *, photo: bool = False) -> list[Region]:
    """The strips where clocks live, then the whole page."""
    w, h = grey.size
    if w >= h:
        boxes = PHOTO_LANDSCAPE if photo else LANDSCAPE
    else:
        boxes = PHOTO_PORTRAIT if photo else PORTRAIT
    factor = min(MAX_FACTOR, max(1.0, SCREEN_HEIGHT / h))
    strips = []
    for name, (left, top, right, bottom) in boxes:
        box = (round(w * left), round(h * top), round(w * right), round(h * bottom))
        if box[2] - box[0] >= 8 and box[3] - box[1] >= 8:
            strips.append(Region(name, prepare(grey.crop(box), factor, sharpen=photo)))
    return [*strips, Region("page", page(grey, sharpen=photo))]


def prepare(strip: Image.Image, factor: float, *, sharpen: bool = False) -> Image.Image:
    """Dark on white, band by band, enlarged by `factor`; sharpened after (a photo's blur,
    enlarged, would otherwise fill a clock's colon and a date's slashes)."""
    strip = _bands_on_white(strip)
    if factor > 1.0:
        size = (round(strip.width * factor), round(strip.height * factor))
        strip = strip.resize(size, Image.Resampling.LANCZOS)
    if sharpen:
        strip = strip.filter(ImageFilter.UnsharpMask(radius=1.5 * factor, percent=150))
    return strip


def page(grey: Image.Image, *, sharpen: bool = False) -> Image.Image:
    """The whole page, enlarged when small (its message and address are read from it), and
    sharpened when photographed (a refusal message in a photo is otherwise read half)."""
    w, h = grey.size
    target = PAGE_WIDTH if w >= h else PHONE_WIDTH
    if w < target:
        size = (target, max(1, round(h * target / w)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    if sharpen:
        grey = grey.filter(ImageFilter.UnsharpMask(radius=2, percent=120, threshold=2))
    return grey


def is_dark(tile: Image.Image) -> bool:
    """Whether the tile's background (its most common shade, by eighths) is dark."""
    histogram = tile.histogram()
    eighths = [sum(histogram[i : i + 32]) for i in range(0, 256, 32)]
    return eighths.index(max(eighths)) * 32 + 16 < DARK


def _bands_on_white(strip: Image.Image) -> Image.Image:
    """Each band of rows, dark or light, made dark text on white: inverted when dark, then
    stretched to full contrast. A dark taskbar under a light page comes out whole, its
    background as white as the page's: Tesseract, which thresholds the whole image at once,
    would otherwise take the one or the other for ink. A row's background is its most common
    shade across the strip's width, which text never fills; a lone row unlike both its
    neighbours follows them."""
    w, h = strip.size
    dark = [is_dark(strip.crop((0, y, w, y + 1))) for y in range(h)]
    dark = [
        dark[y - 1] if 0 < y < h - 1 and dark[y - 1] == dark[y + 1] != dark[y] else dark[y]
        for y in range(h)
    ]
    out = strip.copy()
    y = 0
    while y < h:
        end = y
        while end < h and dark[end] == dark[y]:
            end += 1
        band = strip.crop((0, y, w, end))
        out.paste(_stretched(ImageOps.invert(band) if dark[y] else band), (0, y))
        y = end
    return out


def _stretched(band: Image.Image) -> Image.Image:
    """Its darkest ink black, its background (the median shade: text never fills half a
    band) and anything lighter white; a band with no ink (a screen's bezel, a plain bar) all
    white, rather than its noise stretched into specks."""
    histogram = band.histogram()
    total = sum(histogram)
    darkest = _percentile(histogram, 0)
    lightest = _percentile(histogram, total * 0.5)
    if lightest - darkest < max(1, MIN_INK):
        return Image.new("L", band.size, 255)
    scale = 255 / (lightest - darkest)
    return band.point([min(255, max(0, round((v - darkest) * scale))) for v in range(256)])


def _percentile(histogram: list[int], rank: float) -> int:
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen > rank:
            return value
    return 255


# A photo of a screen: the bright screen in a darker room, tilted or in perspective.
PROBE_WIDTH = 240
MIN_SCREEN_SHARE = 0.25
MAX_BORDER_LIGHT = 0.35
MIN_FILL = 0.75  # of the quadrilateral the screen's bright pixels fill (a photo's: 95 %)
MIN_TILT = 0.01  # corners off their bounding box by 1 % of its size: not a screenshot
EXTEND_TOP, EXTEND_BOTTOM = 0.05, 0.09  # dark bars beside the bright screen: menu, taskbar

Point = tuple[float, float]


def _photographed_screen(
    grey: Image.Image, original: Image.Image
) -> tuple[Point, Point, Point, Point] | None:
    """The screen's corners (top left, bottom left, bottom right, top right) when the image
    is a photo of one, else None."""
    w, h = grey.size
    probe_h = max(1, round(h * PROBE_WIDTH / w))
    probe = grey.resize((PROBE_WIDTH, probe_h), Image.Resampling.BOX)
    threshold = _otsu(probe.histogram())
    data = probe.tobytes()
    light = [i for i, value in enumerate(data) if value > threshold]
    if len(light) < MIN_SCREEN_SHARE * len(data):
        return None
    border = [
        data[y * PROBE_WIDTH + x]
        for y in range(probe_h)
        for x in range(PROBE_WIDTH)
        if x in (0, 1, PROBE_WIDTH - 2, PROBE_WIDTH - 1) or y in (0, 1, probe_h - 2, probe_h - 1)
    ]
    if sum(value > threshold for value in border) > MAX_BORDER_LIGHT * len(border):
        return None
    points = [(i % PROBE_WIDTH, i // PROBE_WIDTH) for i in light]
    tl = min(points, key=lambda p: p[0] + p[1])
    br = max(points, key=lambda p: p[0] + p[1])
    tr = max(points, key=lambda p: p[0] - p[1])
    bl = max(points, key=lambda p: p[1] - p[0])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box_w, box_h = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
    tilt = max(
        abs(tl[0] - bl[0]) / box_w, abs(tr[0] - br[0]) / box_w,
        abs(tl[1] - tr[1]) / box_h, abs(bl[1] - br[1]) / box_h,
    )  # fmt: skip
    camera = bool(original.getexif().get(0x010F))  # Make: a camera's JPEG
    if tilt < MIN_TILT and not camera:
        return None
    if len(light) < MIN_FILL * _area((tl, bl, br, tr)):
        return None  # bright patches scattered over a dark screenshot, not one screen
    scale = w / PROBE_WIDTH
    corners = [(x * scale + scale / 2, y * scale + scale / 2) for x, y in (tl, bl, br, tr)]
    return _extend(corners[0], corners[1], corners[2], corners[3])


def _extend(tl: Point, bl: Point, br: Point, tr: Point) -> tuple[Point, Point, Point, Point]:
    """The quadrilateral grown above and below along its sides, to take in the dark bars
    (taskbar, menu bar) that the bright part leaves out."""

    def along(a: Point, b: Point, t: float) -> Point:
        return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)

    return (
        along(tl, bl, -EXTEND_TOP),
        along(tl, bl, 1 + EXTEND_BOTTOM),
        along(tr, br, 1 + EXTEND_BOTTOM),
        along(tr, br, -EXTEND_TOP),
    )


def _area(quad: tuple[Point, Point, Point, Point]) -> float:
    pairs = zip(quad, quad[1:] + quad[:1], strict=True)
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairs)) / 2


def _straighten(grey: Image.Image, corners: tuple[Point, Point, Point, Point]) -> Image.Image:
    tl, bl, br, tr = corners

    def length(a: Point, b: Point) -> float:
        return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)

    width = round((length(tl, tr) + length(bl, br)) / 2)
    height = round((length(tl, bl) + length(tr, br)) / 2)
    quad = (*tl, *bl, *br, *tr)
    return grey.transform(
        (max(1, width), max(1, height)), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC
    )


def _otsu(histogram: list[int]) -> int:
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    best, threshold = -1.0, 127
    below = below_weighted = 0
    for t, n in enumerate(histogram):
        below += n
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        below_weighted += t * n
        mean_below = below_weighted / below
        mean_above = (weighted - below_weighted) / above
        between = below * above * (mean_below - mean_above) ** 2
        if between > best:
            best, threshold = between, t
    return threshold
