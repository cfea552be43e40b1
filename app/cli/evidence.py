"""``creneau evidence reread``: read every screenshot again."""

import argparse
import sys
import uuid

from app.cli.database import database, schema_problem
from app.config import Settings
from app.evidence.reading import service as readings


def reread(settings: Settings, args: argparse.Namespace) -> int:
    """Queue a new reading of every screenshot (of one case); the worker does them."""
    if problem := schema_problem(settings):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    with database(settings) as sessions, sessions() as session, session.begin():
        count = readings.reread(session, case_id=args.case)
    print(f"{count} screenshot(s) queued for reading")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    evidence = commands.add_parser("evidence", help="evidence readings").add_subparsers(
        dest="evidence", required=True
    )
    reread_parser = evidence.add_parser(
        "reread", help="read every screenshot again (after the OCR engine or the messages change)"
    )
    reread_parser.add_argument("--case", type=uuid.UUID, help="only this case's screenshots")
    reread_parser.set_defaults(run=reread)
