"""The ``creneau`` admin command: one module per command group."""

import argparse
from collections.abc import Sequence

from app.cli import database, evidence, serve, storage, users, worker
from app.config import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="creneau", description="Créneau administration.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (database, serve, storage, evidence, worker, users):
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(get_settings(), args))
