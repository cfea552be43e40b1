"""``creneau storage``: verify every stored byte, seal and rewrap, collect what nothing names."""

import argparse
import sys
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.blobstore.sealing import SealError
from app.blobstore.storage import BlobStore, make_blob_store, store_intact
from app.cases.models import Case
from app.cli.database import database
from app.config import Settings
from app.documents.models import DocumentTemplate, GeneratedDocument
from app.evidence import service as evidence_service
from app.filings.models import Filing
from app.personal_data import blobs


def verify(settings: Settings, _args: argparse.Namespace) -> int:
    store = make_blob_store(settings)
    damaged = 0
    with database(settings) as sessions, sessions() as session:
        for case in session.exec(select(Case).order_by(col(Case.reference))):
            report = evidence_service.verify_case(session, store=store, case=case)
            if report.chain_length == 0:
                continue
            bad = [item for item in report.items if not item.intact]
            status = "ok" if report.intact else "DAMAGED"
            print(f"{case.reference}: {report.chain_length} items, {status}")
            for item in bad:
                print(
                    f"  item {item.chain_index} ({item.evidence_id}): "
                    f"bytes {'ok' if item.blob_intact else 'ALTERED OR MISSING'}, "
                    f"record {'ok' if item.record_intact else 'ALTERED'}, "
                    f"link {'ok' if item.link_intact else 'BROKEN'}"
                )
            if not report.head_intact:
                print("  the chain's last entries were removed")
            damaged += not report.intact
        files = verify_files(session, store=store)
    print(f"{damaged} case(s) with damaged evidence" if damaged else "all evidence intact")
    print(
        f"{files} damaged or missing file(s)"
        if files
        else "all drafts, templates and filings intact"
    )
    return 1 if damaged or files else 0


def verify_files(session: Session, *, store: BlobStore) -> int:
    """Drafts, firm templates and frozen filings: each stored file still hashes to its name."""
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


def rotate_keys(settings: Settings, _args: argparse.Namespace) -> int:
    """Seal every plain blob and rewrap every data key with the current storage key."""
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


def gc(settings: Settings, args: argparse.Namespace) -> int:
    store = make_blob_store(settings)
    # Compared with the blobs' modification times, which the operating system's clock wrote.
    cutoff = datetime.now(UTC) - timedelta(hours=args.grace_hours)
    with database(settings) as sessions, sessions() as session:
        # Listed before the references are read: a blob written after this list is
        # not considered, and one listed is older than any upload still in progress.
        candidates = [sha for sha, written in store.blobs() if written < cutoff]
        referenced = blobs.needed(session)
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


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    storage = commands.add_parser("storage", help="evidence storage").add_subparsers(
        dest="storage", required=True
    )
    storage.add_parser(
        "verify", help="re-read every stored byte and every case's hash chain"
    ).set_defaults(run=verify)
    storage.add_parser(
        "rotate-keys",
        help="seal every plain blob and rewrap every data key with the current storage key",
    ).set_defaults(run=rotate_keys)
    gc_parser = storage.add_parser("gc", help="remove stored blobs no evidence refers to")
    gc_parser.add_argument(
        "--grace-hours",
        type=float,
        default=24,
        help="keep unreferenced blobs younger than this (uploads in progress)",
    )
    gc_parser.add_argument("--dry-run", action="store_true")
    gc_parser.set_defaults(run=gc)
