"""``creneau users create``: an account, its password from a prompt or standard input."""

import argparse
import getpass
import sys

from pydantic import ValidationError

from app.auth import service as auth_service
from app.auth.errors import EmailTaken
from app.auth.permissions import Role
from app.auth.schemas import UserCreate
from app.cli.database import database, schema_problem
from app.config import Settings


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("Passwords do not match.")
    return first


def create(settings: Settings, args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    try:
        data = UserCreate(
            email=args.email,
            full_name=args.full_name or args.email,
            role=args.role,
            password=password,
        )
    except ValidationError as exc:
        for err in exc.errors():
            print(f"error: {'.'.join(map(str, err['loc']))}: {err['msg']}", file=sys.stderr)
        return 2
    if problem := schema_problem(settings):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        with database(settings) as sessions, sessions() as session, session.begin():
            user = auth_service.create_user(session, actor=None, data=data)
            print(f"created {user.role} {user.email} ({user.id})")
    except EmailTaken as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    users = commands.add_parser("users", help="user accounts").add_subparsers(
        dest="users", required=True
    )
    create_parser = users.add_parser(
        "create", help="create a user (password from a prompt or stdin)"
    )
    create_parser.add_argument("--email", required=True)
    create_parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    create_parser.add_argument("--full-name")
    create_parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create_parser.set_defaults(run=create)
