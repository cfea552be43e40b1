"""Rendering a Word template with a context, and checking a firm's own template (pure)."""

import html
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

# Autoescape: a value is text, never Word XML (« & », « < » in a name come out as typed).
_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


class TemplateError(Exception):
    """The template cannot be rendered: each problem is one line a firm can act on."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rendered:
    content: bytes


@dataclass(frozen=True)
class Picture:
    """A PNG for the template (``{{ name }}`` becomes the image), this wide."""

    png: bytes
    width_mm: float = 160


def _pictures(template: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    return {
        key: InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
        if isinstance(value, Picture)
        else value
        for key, value in context.items()
    }


def _template(source: bytes) -> DocxTemplate:
    try:
        template = DocxTemplate(io.BytesIO(source))
        template.init_docx()  # docxtpl opens lazily: open now, so a bad file fails here
        return template
    except Exception as exc:  # python-docx raises several kinds on a non-docx file
        raise TemplateError(["the file is not a Word document (.docx)"]) from exc


def render(source: bytes, context: dict[str, Any]) -> bytes:
    template = _template(source)
    try:
        template.render(_pictures(template, context), _ENVIRONMENT)
        _unescape_properties(template)
    except jinja2.UndefinedError as exc:
        raise TemplateError([f"unknown variable: {exc.message}"]) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError([f"template syntax error: {exc.message} (line {exc.lineno})"]) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError([f"template error: {exc}"]) from exc
    out = io.BytesIO()
    template.save(out)
    return reproducible(out.getvalue())


def _unescape_properties(template: DocxTemplate) -> None:
    """docxtpl renders the document properties (author…) with the same autoescaping
    environment, then python-docx escapes them again as XML: undo the first escape."""
    properties = template.docx.core_properties
    for name in ("author", "title", "subject", "keywords", "comments", "last_modified_by"):
        value = getattr(properties, name)
        if value:
            setattr(properties, name, html.unescape(value))


def reproducible(docx: bytes) -> bytes:
    """The same .docx with fixed entry times: the same values always give the same bytes
    (python-docx stamps each entry with the time it was written)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item))
    return out.getvalue()


def check(source: bytes, sample: dict[str, Any]) -> list[str]:
    """What is wrong with a template, found by rendering it against a sample case."""
    try:
        template = _template(source)
    except TemplateError as exc:
        return exc.problems
    try:
        used = template.get_undeclared_template_variables(_ENVIRONMENT)
    except jinja2.TemplateSyntaxError as exc:
        return [f"template syntax error: {exc.message} (line {exc.lineno})"]
    unknown = sorted(set(used) - set(sample))
    if unknown:
        return [f"unknown variable: {name}" for name in unknown]
    try:
        render(source, sample)
    except TemplateError as exc:
        return exc.problems
    return []
