"""A client's export with 200 evidence files (500 MB): the worker's peak memory growth.

    .venv/bin/python -m bench.export_memory [--files 200] [--megabytes 500] [--rounds 3]
                                            [--sealed]

Seeds one client whose case holds ``--files`` random PDF files totalling ``--megabytes``,
then has the worker build the export, ``--rounds`` times. The peak resident memory (VmHWM)
is reset before each build (/proc/self/clear_refs) and read after it: the growth is what
building the ZIP cost, whatever the files' total. ``--sealed`` stores the files sealed
(``CRENEAU_STORAGE_KEYS``): the export then opens each one as it copies it.
"""

import argparse
import base64
import hashlib
import os
import statistics
import time
import uuid
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app.auth.models import User
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.blobstore.storage import CHUNK, make_blob_store
from app.config import Environment, Settings
from app.evidence.models import Evidence, EvidenceKind
from app.personal_data import exports
from app.personal_data.models import Export
from app.worker.runner import Worker
from bench.common import fresh_database
from tests.builders import make_case


def kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def seed(
    session: Session, settings: Settings, files: int, megabytes: int
) -> tuple[uuid.UUID, uuid.UUID]:
    """An admin, and a client whose one case holds the files; their ids."""
    store = make_blob_store(settings)
    user = User(email="bench@cabinet-avocats.fr", full_name="Bench", role=Role.admin)
    session.add(user)
    session.flush()
    case = make_case(session, reference=f"CRN-BENCH-{uuid.uuid4().hex[:6]}")
    size = megabytes * 1024 * 1024 // files
    previous = "0" * 64
    for n in range(files):
        staging = store.stage()
        staging.write(b"%PDF-1.4\n%")
        left = size - 10
        while left > 0:
            piece = os.urandom(min(CHUNK, left))
            staging.write(piece)
            left -= len(piece)
        sha256 = store.publish(staging)
        entry = hashlib.sha256(f"{previous}{sha256}".encode()).hexdigest()
        session.add(Evidence(
            case_id=case.id, chain_index=n + 1, kind=EvidenceKind.court_document,
            sha256=sha256, size=size, media_type="application/pdf",
            original_filename=f"piece-{n}.pdf", uploaded_by_user_id=user.id,
            prev_hash=previous, entry_hash=entry,
        ))  # fmt: skip
        previous = entry
    session.commit()
    return user.id, case.client_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--megabytes", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sealed", action="store_true")
    args = parser.parse_args()
    keys = SecretStr("bench:" + base64.b64encode(os.urandom(32)).decode()) if args.sealed else None
    with fresh_database(os.environ.get("BENCH_DATABASE_URL")) as db:
        settings = Settings(
            env=Environment.test, data_dir=db.data_dir, database_url=db.url, secret_key="b" * 40,
            storage_keys=keys,
        )  # fmt: skip
        factory = sessionmaker(bind=db.engine, class_=Session, expire_on_commit=False)
        with factory() as session:
            user_id, client_id = seed(session, settings, args.files, args.megabytes)
        build = {exports.BUILD: lambda s, p: exports.build(s, p, settings=settings)}
        growth, seconds, sizes = [], [], []
        for _ in range(args.rounds):
            with factory() as session:
                export = exports.request_export(
                    session, actor=Principal(user_id, Role.admin), client_id=client_id
                )
                export_id = export.id
                session.commit()
            reset_peak()
            before = kib("VmRSS")
            started = time.perf_counter()
            assert Worker(factory, build, name="bench").run_once() == 1
            seconds.append(time.perf_counter() - started)
            growth.append(kib("VmHWM") - before)
            with factory() as session:
                done = session.get(Export, export_id)
                assert done is not None
                assert done.status == "ready", done.error
                sizes.append(done.size or 0)
        print(f"export: {args.files} files, {sizes[0] / 1024 / 1024:.0f} MiB ZIP, "
              f"{args.rounds} rounds, {'sealed' if args.sealed else 'plain'} storage")  # fmt: skip
        print(f"build time: median {statistics.median(seconds):.2f} s "
              f"({min(seconds):.2f} to {max(seconds):.2f})")  # fmt: skip
        print(f"peak memory growth: median {statistics.median(growth) / 1024:.1f} MiB "
              f"({min(growth) / 1024:.1f} to {max(growth) / 1024:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
