"""The typefaces the corpus is drawn with, embedded in each page so the drawing does not depend
on what fontconfig would pick: stand-ins for the systems' own (Open Sans for Segoe UI, Roboto
for Android, Cantarell for GNOME, Liberation Sans for Helvetica/Arial and the sites' Marianne).
DejaVu (Debian's default, with the Arabic digits) comes from the system."""

import base64
import os
from functools import cache
from pathlib import Path

# CSS family, weight, file: Debian's fonts-open-sans, fonts-roboto-unhinted, fonts-cantarell
# and fonts-liberation2.
FACES = [
    ("Open Sans", 400, "OpenSans-Regular.ttf"),
    ("Open Sans", 600, "OpenSans-Semibold.ttf"),
    ("Roboto", 400, "Roboto-Regular.ttf"),
    ("Roboto", 500, "Roboto-Medium.ttf"),
    ("Cantarell", 400, "Cantarell-Regular.otf"),
    ("Cantarell", 700, "Cantarell-Bold.otf"),
    ("Liberation Sans", 400, "LiberationSans-Regular.ttf"),
    ("Liberation Sans", 700, "LiberationSans-Bold.ttf"),
]
PACKAGES = "fonts-open-sans fonts-roboto-unhinted fonts-cantarell fonts-liberation2"


class FontsMissing(Exception):
    pass


def _roots() -> list[Path]:
    extra = os.environ.get("CRENEAU_CORPUS_FONTS", "")
    return [Path(p) for p in extra.split(":") if p] + [
        Path("/usr/share/fonts"),
        Path.home() / ".local/share/fonts",
    ]


@cache
def _files() -> dict[str, Path]:
    wanted = {name for _, _, name in FACES}
    found: dict[str, Path] = {}
    for root in _roots():
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.name in wanted and path.name not in found:
                    found[path.name] = path
    missing = sorted(wanted - set(found))
    if missing:
        raise FontsMissing(
            f"missing {', '.join(missing)}: apt-get install {PACKAGES} (or `apt-get download` "
            "them, `dpkg -x` each into a folder and set CRENEAU_CORPUS_FONTS to it)"
        )
    return found


@cache
def css() -> str:
    """@font-face rules with the files inline (data: URLs)."""
    rules = []
    for family, weight, name in FACES:
        path = _files()[name]
        kind = "opentype" if name.endswith(".otf") else "truetype"
        data = base64.b64encode(path.read_bytes()).decode()
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f"src: url(data:font/{kind};base64,{data}) format('{kind}'); }}"
        )
    return "\n".join(rules)
