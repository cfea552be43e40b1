"""The ``creneau`` admin command."""

import argparse
import getpass
import logging
import os
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app import wiring
from app.auth import service as auth_service
from app.auth.errors import EmailTaken
from app.auth.permissions import Role
from app.auth.schemas import UserCreate
from app.blobstore.storage import BlobStore, store_intact
from app.config import Settings, get_settings
from app.db import make_engine
from app.schema import upgrade_to_head


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("Passwords do not match.")
    return first


def _users_create(settings: Settings, args: argparse.Namespace) -> int:
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
    if problem := _schema_problem(settings):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    engine = make_engine(settings.effective_database_url)
    try:
        with wiring.session_factory(engine)() as session, session.begin():
            user = auth_service.create_user(session, None, data)
            print(f"created {user.role} {user.email} ({user.id})")
    except EmailTaken as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _schema_problem(settings: Settings) -> str | None:
    """Why the database cannot take users yet, in words an operator can act on; None if it can.
    Checked without creating anything: a mistyped data directory leaves no empty database."""
    from sqlalchemy.exc import DBAPIError

    from app.schema import current_revisions, head_revisions

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
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from app.logs import configure_logging

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


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    wait_for_database(settings)
    upgrade_to_head(settings)
    print("database at head")
    return 0


MAX_DEFAULT_WORKERS = 4


def default_workers(web_concurrency: str | None, cores: int | None) -> int:
    """WEB_CONCURRENCY when set (the usual variable of Python hosts), else one worker process
    per core, at most four: past that, a single machine's database is the limit, not Python.
    Everything that must run once (first admin, periodic jobs) is safe under several."""
    if web_concurrency:
        try:
            return int(web_concurrency)
        except ValueError:
            return 0
    return max(1, min(cores or 1, MAX_DEFAULT_WORKERS))


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    workers = args.workers
    if workers is None:
        workers = default_workers(os.environ.get("WEB_CONCURRENCY"), os.cpu_count())
    if workers < 1:
        print("the number of workers must be at least 1", file=sys.stderr)
        return 2
    wait_for_database(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        access_log=False,  # ours (app.access) logs the path without its query: no feed token
        log_config=None,
        # An idle keep-alive connection is dropped after 5 s; a header block is capped at
        # 16 KiB. Slow or stalled clients are the reverse proxy's to cut (docs/deployment.md).
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
    )
    return 0


def _storage_verify(settings: Settings, _args: argparse.Namespace) -> int:
    from app.blobstore.storage import make_blob_store
    from app.cases.models import Case
    from app.evidence import service as evidence_service

    store = make_blob_store(settings)
    engine = make_engine(settings.effective_database_url)
    damaged = 0
    try:
        with wiring.session_factory(engine)() as session:
            for case in session.exec(select(Case).order_by(col(Case.reference))):
                report = evidence_service.verify_case(session, store, case)
                if report.chain_length == 0:
                    continue
                bad = [item for item in report.items if not item.intact]
                status = "ok" if report.intact else "DAMAGED"
                print(f"{case.reference}: {report.chain_length} items, {status}")
                for item in bad:
                    print(f"  item {item.chain_index} ({item.evidence_id}): "
                          f"bytes {'ok' if item.blob_intact else 'ALTERED OR MISSING'}, "
                          f"record {'ok' if item.record_intact else 'ALTERED'}, "
                          f"link {'ok' if item.link_intact else 'BROKEN'}")  # fmt: skip
                if not report.head_intact:
                    print("  the chain's last entries were removed")
                damaged += not report.intact
            files = _verify_files(session, store)
    finally:
        engine.dispose()
    print(f"{damaged} case(s) with damaged evidence" if damaged else "all evidence intact")
    print(
        f"{files} damaged or missing file(s)"
        if files
        else "all drafts, templates and filings intact"
    )
    return 1 if damaged or files else 0


def _verify_files(session: Session, store: BlobStore) -> int:
    """Drafts, firm templates and frozen filings: each stored file still hashes to its name."""
    from app.documents.models import DocumentTemplate, GeneratedDocument
    from app.filings.models import Filing

    damaged = 0
    for label, query in (
        (
            "draft",
            select(GeneratedDocument.sha256, GeneratedDocument.id).where(
                col(GeneratedDocument.erased_at).is_(None)
            ),
        ),
        ("template", select(DocumentTemplate.sha256, DocumentTemplate.id)),
        ("filing", select(Filing.sha256, Filing.id).where(col(Filing.erased_at).is_(None))),
    ):
        for sha256, row_id in session.exec(query):
            if not store_intact(store, sha256):
                print(f"{label} {row_id}: bytes ALTERED OR MISSING")
                damaged += 1
    return damaged


def _evidence_reread(settings: Settings, args: argparse.Namespace) -> int:
    """Queue a new reading of every screenshot (of one case); the worker does them."""
    from app.evidence.reading import service as readings

    if problem := _schema_problem(settings):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    engine = make_engine(settings.effective_database_url)
    try:
        with wiring.session_factory(engine)() as session, session.begin():
            count = readings.reread(session, args.case)
    finally:
        engine.dispose()
    print(f"{count} screenshot(s) queued for reading")
    return 0


def _storage_rotate_keys(settings: Settings, _args: argparse.Namespace) -> int:
    """Seal every plain blob and rewrap every data key with the current storage key."""
    from app.blobstore.sealing import SealError
    from app.blobstore.storage import make_blob_store

    if settings.storage_keys is None:
        print("error: CRENEAU_STORAGE_KEYS is not set: there is no key to seal with",
              file=sys.stderr)  # fmt: skip
        return 1
    store = make_blob_store(settings)
    rewritten = kept = failed = 0
    for sha256, _ in store.blobs():
        try:
            if store.rotate(sha256):
                rewritten += 1
            else:
                kept += 1
        except SealError as exc:
            print(f"{sha256}: {exc}", file=sys.stderr)
            failed += 1
    print(
        f"{rewritten} blob(s) sealed or rewrapped, {kept} already under the current key"
        + (f", {failed} FAILED (their key is missing or they are damaged)" if failed else "")
    )
    return 1 if failed else 0


def _storage_gc(settings: Settings, args: argparse.Namespace) -> int:
    from app.blobstore.storage import make_blob_store
    from app.personal_data import blobs

    store = make_blob_store(settings)
    # Compared with the blobs' modification times, which the operating system's clock wrote.
    cutoff = datetime.now(UTC) - timedelta(hours=args.grace_hours)
    engine = make_engine(settings.effective_database_url)
    try:
        with wiring.session_factory(engine)() as session:
            # Listed before the references are read: a blob written after this list is
            # not considered, and one listed is older than any upload still in progress.
            candidates = [sha for sha, written in store.blobs() if written < cutoff]
            referenced = blobs.needed(session)
    finally:
        engine.dispose()
    removed = [sha for sha in candidates if sha not in referenced]
    for sha in removed:
        if not args.dry_run:
            store.delete(sha)
    # Staging files a crash left behind (a live upload's file is younger than the grace period).
    stale = (
        [
            part
            for part in store.staging_dir.glob("*.part")
            if datetime.fromtimestamp(part.stat().st_mtime, UTC) < cutoff
        ]
        if store.staging_dir.is_dir()
        else []
    )
    for part in stale:
        if not args.dry_run:
            part.unlink(missing_ok=True)
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {len(removed)} unreferenced blob(s) older than {args.grace_hours} h")
    print(f"{verb} {len(stale)} abandoned staging file(s)")
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    """Run background jobs until SIGTERM or SIGINT (or, with --once, one batch)."""
    import signal
    import threading

    from app.logs import configure_logging
    from app.worker import registry

    configure_logging(settings)
    wait_for_database(settings)
    engine = make_engine(settings.effective_database_url)
    worker = registry.build(settings, wiring.session_factory(engine))
    try:
        if args.once:
            print(f"ran {worker.run_once()} job(s)")
            return 0
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        worker.run(stop, idle=args.idle)
    finally:
        engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="creneau", description="Créneau administration.")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply every pending migration").set_defaults(run=_db_upgrade)

    serve = commands.add_parser("serve", help="serve the API (HOST and PORT from the environment)")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: WEB_CONCURRENCY, else one per core, at most 4)",
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from --forwarded-allow-ips (behind a reverse proxy)",
    )
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.set_defaults(run=_serve)

    storage = commands.add_parser("storage", help="evidence storage").add_subparsers(
        dest="storage", required=True
    )
    storage.add_parser(
        "verify", help="re-read every stored byte and every case's hash chain"
    ).set_defaults(run=_storage_verify)
    storage.add_parser(
        "rotate-keys",
        help="seal every plain blob and rewrap every data key with the current storage key",
    ).set_defaults(run=_storage_rotate_keys)
    gc = storage.add_parser("gc", help="remove stored blobs no evidence refers to")
    gc.add_argument(
        "--grace-hours",
        type=float,
        default=24,
        help="keep unreferenced blobs younger than this (uploads in progress)",
    )
    gc.add_argument("--dry-run", action="store_true")
    gc.set_defaults(run=_storage_gc)

    evidence = commands.add_parser("evidence", help="evidence readings").add_subparsers(
        dest="evidence", required=True
    )
    reread = evidence.add_parser(
        "reread", help="read every screenshot again (after the OCR engine or the messages change)"
    )
    reread.add_argument("--case", type=uuid.UUID, help="only this case's screenshots")
    reread.set_defaults(run=_evidence_reread)

    worker = commands.add_parser("worker", help="run background jobs (deliveries, periodic work)")
    worker.add_argument("--once", action="store_true", help="run one batch and exit")
    worker.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")
    worker.set_defaults(run=_worker)

    users = commands.add_parser("users", help="user accounts").add_subparsers(
        dest="users", required=True
    )
    create = users.add_parser("create", help="create a user (password from a prompt or stdin)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--full-name")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(run=_users_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(get_settings(), args))


if __name__ == "__main__":
    raise SystemExit(main())
