"""``python -m app.documents.builtin``: write every built-in template to ``TEMPLATES``."""

import sys

from app.documents.builtin import TEMPLATES
from app.documents.builtin.annex import annex
from app.documents.builtin.inventory import inventory
from app.documents.builtin.letter import letter
from app.documents.builtin.petition import petition


def build_all() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    petition()
    letter()
    inventory()
    annex()


if __name__ == "__main__":
    build_all()
    print(f"templates written to {TEMPLATES}", file=sys.stderr)
