"""The composition root's one ``install()``: what every session of the application does.

The API (``app.main``), the CLI and the worker make their sessions here, so a write records
its events and moves its case's version whichever entry point made it, and whatever the
process happened to import. The listeners go on the factory, never on SQLAlchemy's global
``Session`` class: a session made elsewhere (a test's own, a script's) is left alone.
"""

from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

import app.models  # noqa: F401  (every table, for the mapper: rows refer to each other)
from app.attempts import events as attempt_events
from app.auth import credentials
from app.cases import activity
from app.cases import events as case_events
from app.clients import events as client_events
from app.contacts import events as contact_events
from app.db import DEFAULT_READ_THREADS, make_session_factory
from app.documents import events as document_events
from app.events import emit
from app.evidence import events as evidence_events
from app.filings import events as filing_events
from app.proceedings import events as proceeding_events

# Each domain's declaration of what its writes emit.
EMITTERS = (
    client_events.EMITTER,
    case_events.EMITTER,
    attempt_events.EMITTER,
    contact_events.EMITTER,
    proceeding_events.EMITTER,
    evidence_events.EMITTER,
    document_events.EMITTER,
    filing_events.EMITTER,
)


def install(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Install on ``factory``; in this order, since events record the versions the case
    activity has just moved."""
    credentials.install(factory)
    activity.install(factory)
    emit.install(factory, EMITTERS)
    return factory


def session_factory(
    bind: Engine | Connection, *, read_threads: int = DEFAULT_READ_THREADS, **options: Any
) -> sessionmaker[Session]:
    """The application's session factory over ``bind``."""
    return install(make_session_factory(bind, read_threads=read_threads, **options))
