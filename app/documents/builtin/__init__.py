"""The built-in Word templates, written as code so that every sentence is reviewable.

``python -m app.documents.builtin`` regenerates ``app/documents/templates/*.docx``: the
``writer`` sets up the page and styles, one module per template holds its prose. The
templates only place values the context builder has already formatted (docs/documents.md).
Only the path lives here: reading a built-in template at run time needs no builder.
"""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KINDS = ("prefecture_letter", "interim_relief_petition", "exhibit_inventory", "attempts_annex")
