"""A 100 MB upload: the server's peak memory growth and its throughput against a plain copy.

    .venv/bin/python -m bench.evidence_upload [--megabytes 100]

The server runs in its own process with the size limit raised; before each upload its
peak resident memory (VmHWM) is reset to its current size (/proc/<pid>/clear_refs), and
read after: the growth is the upload's own, not hidden under an earlier peak. The plain copy is
the same file copied (and fsynced) on the same disk, in the same run.
"""

import argparse
import os
import shutil
import statistics
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
from sqlmodel import Session

from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.auth.security import generate_api_key
from bench.common import fresh_database, running_server
from tests.builders import make_case

CHUNK = 1024 * 1024
BOUNDARY = "creneau-bench-boundary"


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def reset_peak(pid: int) -> int:
    """Bring the process's peak resident memory down to its current size; that size."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory_kib(pid, "VmRSS")


def make_pdf(path: Path, megabytes: int) -> None:
    """A real one-page PDF (uploads are checked whole) whose page content is ``megabytes`` of
    random bytes: a file that cannot be compressed or deduplicated."""
    offsets = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for body in (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        ):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\nendobj\n" % (len(offsets), body))
        offsets.append(out.tell())
        out.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % (megabytes * CHUNK))
        for _ in range(megabytes):
            out.write(os.urandom(CHUNK))
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def multipart(path: Path) -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncourt_document\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def plain_copy_seconds(path: Path, target: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with fresh_database(None) as db:
        with Session(db.engine) as session:
            user = User(email="bench@cabinet-avocats.fr", full_name="Bench", role=Role.paralegal)
            session.add(user)
            session.flush()
            new = generate_api_key()
            session.add(ApiKey(name="bench", role=Role.paralegal, lookup=new.lookup,
                               secret_hash=new.secret_hash, owner_id=user.id))  # fmt: skip
            case_id = make_case(session, reference=f"CRN-BENCH-{uuid.uuid4().hex[:6]}").id
            session.commit()
        # A new random file per round: identical bytes would be stored only once.
        sources = [db.data_dir / f"big-{n}.pdf" for n in range(args.rounds)]
        for source in sources:
            make_pdf(source, args.megabytes)
        size = sources[0].stat().st_size
        headers = {
            "Authorization": f"Bearer {new.secret}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        }
        pid: list[int] = []
        limit = str((args.megabytes + 10) * CHUNK)
        uploads, copies, growth = [], [], []
        with running_server(db, pid=pid, CRENEAU_EVIDENCE_MAX_BYTES=limit) as base:
            url = f"{base}/api/v1/cases/{case_id}/evidence"
            small = db.data_dir / "small.pdf"
            make_pdf(small, 1)
            with httpx.Client(timeout=600) as http:
                warm = http.post(url, content=multipart(small), headers=headers)
                assert warm.status_code == 201, warm.text
                # Rounds alternate a plain copy and an upload, so both meet the same disk.
                for source in sources:
                    copies.append(plain_copy_seconds(source, db.data_dir / "copy.pdf"))
                    before = reset_peak(pid[0])
                    started = time.perf_counter()
                    response = http.post(url, content=multipart(source), headers=headers)
                    uploads.append(time.perf_counter() - started)
                    response.raise_for_status()
                    growth.append(memory_kib(pid[0], "VmHWM") - before)
        upload_s, copy_s = statistics.median(uploads), statistics.median(copies)
        upload_rate, copy_rate = size / upload_s / CHUNK, size / copy_s / CHUNK
        print(f"file: {size / CHUNK:.0f} MiB, {args.rounds} rounds (medians)")
        print(f"server peak RSS growth per upload: {max(growth) / 1024:.1f} MiB at most")
        print(f"upload: {upload_s:.2f} s, {upload_rate:.0f} MiB/s")
        print(f"plain copy: {copy_s:.2f} s, {copy_rate:.0f} MiB/s")
        print(f"upload / copy throughput: {upload_rate / copy_rate:.2f}")


if __name__ == "__main__":
    main()
