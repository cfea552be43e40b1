"""The database as the commands see it: reaching it, its schema, the application's sessions."""

import argparse
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import wiring
from app.config import Settings
from app.db import make_engine
from app.logs import configure_logging
from app.schema import current_revisions, head_revisions, upgrade_to_head


@contextmanager
def database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """The application's sessions (``app.wiring``: every write records its events) over the
    configured database, for one command."""
    engine = make_engine(settings.effective_database_url)
    try:
        yield wiring.session_factory(engine)
    finally:
        engine.dispose()


def schema_problem(settings: Settings) -> str | None:
    """Why the database cannot take users yet, in words an operator can act on; None if it can.
    Checked without creating anything: a mistyped data directory leaves no empty database."""
    url = settings.effective_database_url
    embedded = url.startswith("sqlite") and settings.database_url is None
    if embedded and not (settings.data_dir / "creneau.db").exists():
        return (
            f"no database in {settings.data_dir.resolve()}: run 'creneau db upgrade' (or "
            "'make run') first, or set CRENEAU_DATA_DIR to the server's data directory"
        )
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except DBAPIError as exc:
        return f"the database cannot be reached ({type(exc.orig).__name__}); check DATABASE_URL"
    finally:
        engine.dispose()
    if current != head_revisions(settings):
        return "the database is not at the latest migration: run 'creneau db upgrade' first"
    return None


def wait_for_database(settings: Settings) -> None:
    """Start-up waits for a database that is not up yet (a container started beside it), with
    bounded retries, saying so in the log; then fails with one clear line."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        # A file beside us: nothing to wait for, but its directory must exist.
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return
    configure_logging(settings)
    log = logging.getLogger("app.startup")
    engine = make_engine(url)
    deadline = time.monotonic() + settings.database_wait_seconds
    attempt = 0
    try:
        while True:
            attempt += 1
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                if attempt > 1:
                    log.info("database reachable after %d attempts", attempt)
                return
            except DBAPIError as exc:
                if time.monotonic() >= deadline:
                    raise SystemExit(
                        f"the database is unreachable after {settings.database_wait_seconds:g} s "
                        f"({type(exc.orig).__name__}); check DATABASE_URL and that it is up"
                    ) from None
                log.warning("waiting for the database (attempt %d)", attempt)
                time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
    finally:
        engine.dispose()


def upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    wait_for_database(settings)
    upgrade_to_head(settings)
    print("database at head")
    return 0


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply every pending migration").set_defaults(run=upgrade)
