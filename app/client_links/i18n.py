"""The client page's languages: gettext catalogues (``locales/<lang>/LC_MESSAGES/*.po``) read
with Babel and compiled in memory at start-up, so a translator adds a language by adding a
``.po`` file, without a build step or a line of code."""

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, select_autoescape

LOCALES = Path(__file__).parent / "locales"
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT = "fr"


def languages() -> list[str]:
    return sorted(path.name for path in LOCALES.iterdir() if (path / "LC_MESSAGES").is_dir())


@cache
def translations(language: str) -> gettext.GNUTranslations:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def text(language: str, message: str, **values: Any) -> str:
    translated = translations(language).gettext(message)
    return translated % values if values else translated


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def pick(requested: str | None, link_language: str) -> str:
    known = languages()
    for language in (requested, link_language, DEFAULT):
        if language in known:
            return language
    return DEFAULT
