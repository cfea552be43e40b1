"""Drafting, bundling and freezing at scale: a petition for a file with 300 attempts and 60
exhibits, the filing bundle of 60 exhibits totalling 200 MB, and that bundle frozen as a
filing (POST /filings) then read back byte for byte.

    .venv/bin/python -m bench.documents

Everything goes through the real server: the file is built with the API (attempts
batch, evidence uploads), the petition is generated with POST /documents, and the
bundle is streamed from GET /bundle while the server's peak memory is read from /proc.
"""

import hashlib
import io
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import img2pdf
from PIL import Image
from sqlmodel import Session

from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.auth.security import generate_api_key
from bench.common import fresh_database, running_server
from bench.evidence_upload import memory_kib, reset_peak
from tests.builders import make_case, make_client
from tests.evidence import files

MB = 1024 * 1024


def pdf_of(megabytes: float) -> bytes:
    """A real PDF of about ``megabytes``: one page holding a noise image (incompressible)."""
    side = int((megabytes * MB / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return bytes(img2pdf.convert(buffer.getvalue()))


def build_case(
    http: httpx.Client, case_id: str, attempts: int, screenshots: int, pdfs: int, pdf_mb: float
) -> None:
    start = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    batch = [
        {
            "attempted_at": (start + timedelta(hours=5 * n)).isoformat(),
            "outcome": "no_slot",
            "message": "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.",
            "page_url": "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4242/",
        }
        for n in range(attempts)
    ]
    created = http.post(f"/api/v1/cases/{case_id}/attempts/batch", json={"attempts": batch})
    created.raise_for_status()
    ids = [a["id"] for a in created.json()["attempts"]]
    for n in range(screenshots):
        http.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": (f"c{n}.png", files.png(color=f"#{n * 4 % 255:02x}3050"), "image/png")},
            data={"kind": "screenshot", "attempt_id": ids[n * (attempts // screenshots)]},
        ).raise_for_status()
    for n in range(pdfs):
        http.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": (f"piece{n}.pdf", pdf_of(pdf_mb), "application/pdf")},
            data={"kind": "urgency_proof" if n % 2 else "court_document"},
        ).raise_for_status()


def main() -> None:
    with fresh_database(None) as db:
        with Session(db.engine) as session:
            user = User(email="bench@cabinet-avocats.fr", full_name="Bench", role=Role.lawyer)
            session.add(user)
            session.flush()
            new = generate_api_key()
            session.add(
                ApiKey(
                    name="bench",
                    role=Role.lawyer,
                    lookup=new.lookup,
                    secret_hash=new.secret_hash,
                    owner_id=user.id,
                )
            )
            # The petition states the domicile: a client without one is refused (409).
            person = make_client(session, address="12 rue des Lilas, 93100 Montreuil")
            case_id = str(make_case(session, person, reference="CRN-2026-70001").id)
            session.commit()
        pid: list[int] = []
        with (
            running_server(db, pid=pid) as base,
            httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {new.secret}"}, timeout=600
            ) as http,
        ):
            # 300 attempts; 60 exhibits: 20 screenshots and 40 PDFs of 5 MB (200 MB in all).
            build_case(http, case_id, attempts=300, screenshots=20, pdfs=40, pdf_mb=5)
            exhibits = http.get(f"/api/v1/cases/{case_id}/exhibits").json()["exhibits"]
            # The bench file is not ready for a référé (no letter): a lawyer's override.
            body: dict[str, Any] = {"kind": "interim_relief_petition", "override_reason": "bench"}
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                http.post(f"/api/v1/cases/{case_id}/documents", json=body).raise_for_status()
                timings.append(time.perf_counter() - started)
            print(f"exhibits: {len(exhibits)}, attempts: 300")
            median, worst = statistics.median(timings) * 1000, max(timings) * 1000
            print(
                f"petition generated (POST /documents): median {median:.0f} ms, max {worst:.0f} ms"
            )
            # The peak is brought down to the current size first: the petitions' own peak
            # must not hide the bundle's.
            before = reset_peak(pid[0])
            size = 0
            started = time.perf_counter()
            with http.stream("GET", f"/api/v1/cases/{case_id}/bundle") as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    size += len(chunk)
            elapsed = time.perf_counter() - started
            after = memory_kib(pid[0], "VmHWM")
            print(
                f"bundle: {size / MB:.0f} MiB streamed in {elapsed:.2f} s; server peak RSS "
                f"{before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after: "
                f"growth {(after - before) / 1024:.1f} MiB"
            )
            frozen = []
            for _ in range(3):
                started = time.perf_counter()
                filing = http.post(f"/api/v1/cases/{case_id}/filings", json={})
                filing.raise_for_status()
                frozen.append(time.perf_counter() - started)
            kept = filing.json()
            digest = hashlib.sha256()
            started = time.perf_counter()
            with http.stream("GET", f"/api/v1/filings/{kept['id']}/content") as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    digest.update(chunk)
            read_back = time.perf_counter() - started
            assert digest.hexdigest() == kept["sha256"], "the frozen filing came back altered"
            final = memory_kib(pid[0], "VmHWM")
            print(
                f"filing frozen (POST /filings, 3 runs): {kept['size'] / MB:.0f} MiB, "
                f"median {statistics.median(frozen):.2f} s, max {max(frozen):.2f} s; "
                f"read back byte-identical in {read_back:.2f} s; server peak RSS growth "
                f"{(final - before) / 1024:.1f} MiB"
            )


if __name__ == "__main__":
    main()
