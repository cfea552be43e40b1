"""What a job handler that does I/O gets from the worker.

Most handlers are database work: they run in the worker's transaction and commit with the
job's completion. A handler that does I/O (an HTTP delivery, OCR, writing a ZIP) must hold
no transaction while it waits, so it is registered as ``OwnTransactions``: it opens its own
short transactions from the context, and calls ``heartbeat`` as it goes, which extends the
job's lease so that no other worker takes it over as abandoned.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


@dataclass(frozen=True)
class JobContext:
    session_factory: sessionmaker[Session]
    heartbeat: Callable[[], None]


@dataclass(frozen=True)
class OwnTransactions:
    """A handler that opens its own transactions: ``run(context, payload)``."""

    run: Callable[[JobContext, dict[str, Any]], Any]
