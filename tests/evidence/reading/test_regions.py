"""Where the reader looks for clocks, and how it makes them legible: pure Pillow, no engine."""

import io

from PIL import Image, ImageDraw

from app.evidence.reading import regions
from tests.evidence.reading import screens


def _open(content: bytes) -> Image.Image:
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        return image


def _grey(image: Image.Image, xy: tuple[int, int]) -> int:
    value = image.getpixel(xy)
    assert isinstance(value, int)
    return value


def test_a_landscape_screen_is_read_at_its_edges_then_whole() -> None:
    grey, photo = regions.screen(_open(screens.taskbar()))
    parts = regions.regions(grey)

    assert not photo
    assert [p.name for p in parts] == ["top", "bottom right", "bottom left", "page"]
    right = parts[1].image
    assert right.height >= 3 * 0.08 * 768  # enlarged: the clock's text some 35 px high
    assert right.width < grey.width  # the clock alone, not the taskbar's icons beside it


def test_a_portrait_screen_is_read_at_its_status_bar_then_whole() -> None:
    grey, _ = regions.screen(_open(screens.phone("09:12")))

    assert [p.name for p in regions.regions(grey)] == ["top", "page"]


def test_a_dark_bar_under_a_light_page_comes_out_dark_on_white_both() -> None:
    strip = Image.new("L", (400, 60), 255)
    draw = ImageDraw.Draw(strip)
    draw.text((10, 5), "page", fill=0)
    draw.rectangle((0, 30, 400, 60), fill=20)
    draw.text((300, 40), "09:12", fill=235)

    out = regions.prepare(strip, 1.0)

    assert _grey(out, (200, 45)) == 255  # the bar's background, white as the page's
    darkest, _ = out.crop((300, 38, 340, 52)).getextrema()
    assert isinstance(darkest, int)
    assert darkest < 100  # its clock, now dark
    assert _grey(out, (200, 10)) == 255


def test_a_photo_of_a_screen_is_straightened_to_the_screen() -> None:
    capture = screens.taskbar()
    grey, photo = regions.screen(_open(screens.photographed(capture, tilt=3)))

    assert photo
    # the screen, with a margin above and below for the bars a bright screen leaves out
    assert 1300 <= grey.width <= 1450
    assert 768 <= grey.height <= 920
    assert _grey(grey, (grey.width // 2, grey.height // 2)) > 200  # the page, not the room


def test_a_screenshot_with_a_dark_frame_is_not_taken_for_a_photo() -> None:
    image = Image.new("RGB", (1366, 768), (20, 20, 20))
    ImageDraw.Draw(image).rectangle((300, 200, 1066, 568), fill="white")  # a dialog

    assert regions.screen(image)[1] is False


def test_bright_patches_on_a_dark_screenshot_are_not_taken_for_a_photo() -> None:
    image = Image.new("RGB", (1366, 768), (20, 20, 20))
    draw = ImageDraw.Draw(image)
    draw.polygon([(300, 100), (1000, 140), (700, 400)], fill="white")
    draw.rectangle((150, 450, 1200, 650), fill="white")

    assert regions.screen(image)[1] is False
