"""``python -m app.cli``: the ``creneau`` command."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
