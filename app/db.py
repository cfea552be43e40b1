"""Engine, metadata conventions and the one-transaction-per-request session.

The request's session commits once, after the route returns and before the
response is sent (a function-scoped dependency), so a client never receives a
2xx for a write that failed. Services flush but never commit.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, DateTime, Engine, MetaData, String, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import sessionmaker
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from app import clock

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "creneau_write"  # execution option: this transaction will write
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READS_FIRST = "creneau_reads_first"  # endpoint attribute: see reads_first
READ_THREADS = "creneau_read_threads"  # session info: how many reads run at once
DEFAULT_READ_THREADS = 4


def utcnow() -> datetime:
    return clock.now()


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored in UTC on every backend.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    tagged as UTC on the way out; a naive value is a programming error.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator[StrEnum]):
    """A StrEnum stored as its plain lowercase value in a VARCHAR, read back as the member."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum_class(value)


def make_engine(url: str, **kwargs: Any) -> Engine:
    # SQL parameters are personal data (names, e-mails, password hashes): never in a log line
    # or an exception message.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL;
    # SQLAlchemy's documented recipe hands BEGIN back to us.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write transaction takes the write lock up front, where the busy timeout applies:
        # a read transaction upgraded to a write while another writer holds the lock fails
        # at once (SQLITE_BUSY), whatever the timeout.
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_session_factory(
    bind: Engine | Connection, *, read_threads: int = DEFAULT_READ_THREADS, **options: Any
) -> sessionmaker[Session]:
    """A bare session factory. The application's sessions come from ``app.wiring``, which
    installs on it what every write must do (case versions, events, credential caches)."""
    return sessionmaker(
        bind=bind,
        class_=Session,
        expire_on_commit=False,
        info={READ_THREADS: read_threads},
        **options,
    )


def begin_write(session: Session) -> None:
    """Start the session's transaction as a write (BEGIN IMMEDIATE on SQLite); a no-op when
    it has begun already (whoever began it chose)."""
    if not session.in_transaction():
        session.connection(execution_options={WRITE_OPTION: True})


def write_phase(session: Session) -> None:
    """End the read phase and begin the write (BEGIN IMMEDIATE on SQLite).

    A write that does I/O — checking and publishing a file, rendering a draft, re-reading
    stored bytes, resolving a host — does it first, in a read phase that takes no lock (its
    route is marked ``reads_first``), then calls this: the write lock is held for the
    database work alone. The read phase must have written nothing."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("the read phase wrote: call write_phase before the first change")
    if session.in_transaction():
        session.commit()
    begin_write(session)


def reads_first(endpoint: F) -> F:
    """Mark a write route whose session starts as a read: it does its I/O, then calls
    ``write_phase`` (every other write route's session takes the write lock up front)."""
    setattr(endpoint, READS_FIRST, True)
    return endpoint


def _reads_first(request: Request) -> bool:
    route = request.scope.get("route")
    return bool(getattr(getattr(route, "endpoint", None), READS_FIRST, False))


def end_transaction(session: Session) -> None:
    """Commit what there is and give the connection back to the pool, e.g. before a long
    upload streams in; the next use of the session starts a new transaction."""
    session.commit()
    session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session. Its database work runs in the thread pool (the route's own
    hop, and one more to commit); opening it costs nothing until a query runs."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        if request.method not in SAFE_METHODS and not _reads_first(request):
            await run_in_threadpool(begin_write, session)
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        # Cancelled (the client hung up), this await raises at once; close() rolls back.
        with suppress(BaseException):
            await run_in_threadpool(session.rollback)
        raise
    finally:
        session.close()


async def read_in_thread(session: Session, *, work: Callable[[], T]) -> T:
    """A read route's database work and the end of its transaction, in one thread-pool hop.

    A plain (sync) route costs three hops: the route, FastAPI's check of its answer, and the
    commit. Routes on the hot read path are async and hand their work here instead."""

    def run() -> T:
        result = work()
        session.commit()
        return result

    return await anyio.to_thread.run_sync(run, limiter=_read_limiter(session))


# The hot reads are CPU work under the GIL (SQLite's, and SQLAlchemy's row handling on either
# database): thirty threads running them at once wrestle for the GIL with the event loop and
# serve fewer requests than a few do (docs/benchmarks.md). They get their own small limiter,
# one per event loop, apart from the thread pool that writes and file transfers use.
_read_limiter_var: RunVar[CapacityLimiter] = RunVar("creneau_read_limiter")


def _read_limiter(session: Session) -> CapacityLimiter:
    try:
        return _read_limiter_var.get()
    except LookupError:
        limiter = CapacityLimiter(session.info.get(READ_THREADS, DEFAULT_READ_THREADS))
        _read_limiter_var.set(limiter)
        return limiter


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
