"""Drafting and attesting do their I/O before they write: no other writer of the firm waits
while a draft renders and is stored, or while the screenshots are re-read and re-hashed."""

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app import wiring
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.cases.models import Case
from app.clock import today
from app.config import Settings
from app.db import make_engine
from app.documents import attesting, render, template_versions
from app.evidence import service as evidence_service
from app.main import create_app
from tests.builders import auth, client_payload, make_user, token_for
from tests.evidence import files
from tests.locks import lock_free


@dataclass
class Firm:
    api: TestClient
    headers: dict[str, str]
    database: Path


@pytest.fixture
def firm(real_db: Settings) -> Iterator[Firm]:
    """The app on a database of its own that requests really commit to (SQLite's lock)."""
    url = make_url(real_db.effective_database_url)
    if url.get_backend_name() != "sqlite" or url.database is None:
        pytest.skip("a database-wide write lock is SQLite's: PostgreSQL locks rows")
    app = create_app(real_db)
    engine = make_engine(real_db.effective_database_url)
    app.state.session_factory = wiring.session_factory(engine)
    with app.state.session_factory() as session:
        lawyer = make_user(session, role=Role.lawyer)
        session.commit()
        headers = auth(token_for(lawyer, minutes=30, key=real_db.signing_key))
    try:
        with TestClient(app, raise_server_exceptions=False) as api:
            yield Firm(api, headers, Path(url.database))
    finally:
        engine.dispose()


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _case_with_screenshots(firm: Firm) -> str:
    person = _created(firm.api.post("/api/v1/clients", json=client_payload(), headers=firm.headers))
    case = _created(
        firm.api.post(
            "/api/v1/cases",
            json={
                "client_id": person["id"],
                "department_code": "93",
                "procedure_code": "aes_vie_privee",
                "aes_motif": "vie_privee_familiale",
                "booking_channel": "rdv_prefecture",
            },
            headers=firm.headers,
        )
    )
    start = today() - timedelta(days=15)
    batch = [
        {"attempted_at": f"{start + timedelta(days=d)}T09:05:00+01:00", "outcome": "no_slot"}
        for d in (0, 7, 14)
    ]
    path = f"/api/v1/cases/{case['id']}"
    attempts = _created(
        firm.api.post(f"{path}/attempts/batch", json={"attempts": batch}, headers=firm.headers)
    )["attempts"]
    for n, attempt in enumerate(attempts[:2]):
        _created(
            firm.api.post(
                f"{path}/evidence",
                files={"file": (f"capture-{n}.png", files.png(color=f"#{n}05078"), "image/png")},
                data={"kind": "screenshot", "attempt_id": attempt["id"]},
                headers=firm.headers,
            )
        )
    return str(case["id"])


def _probing(database: Path, seen: list[str], name: str, work: Callable[..., Any]) -> Any:
    def probed(*args: Any, **kwargs: Any) -> Any:
        seen.append(f"{name}: {'free' if lock_free(database) else 'locked'}")
        return work(*args, **kwargs)

    return probed


def test_a_letter_renders_and_is_stored_while_other_writers_write(
    firm: Firm, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _case_with_screenshots(firm)
    seen: list[str] = []
    monkeypatch.setattr(render, "render", _probing(firm.database, seen, "render", render.render))
    publish = _probing(firm.database, seen, "publish", template_versions.publish_bytes)
    monkeypatch.setattr(template_versions, "publish_bytes", publish)

    response = firm.api.post(
        f"/api/v1/cases/{case_id}/documents",
        json={"kind": "prefecture_letter", "firm_statistics": True},
        headers=firm.headers,
    )

    assert _created(response)["version"] == 1
    assert seen == ["render: free", "publish: free"]


def test_an_attestation_rereads_the_screenshots_while_other_writers_write(
    firm: Firm, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _case_with_screenshots(firm)
    seen: list[str] = []
    verify = _probing(firm.database, seen, "verify", evidence_service.verify_case)
    monkeypatch.setattr(evidence_service, "verify_case", verify)

    response = firm.api.post(
        f"/api/v1/cases/{case_id}/integrity-attestations", headers=firm.headers
    )

    assert _created(response)["kind"] == "integrity_attestation"
    assert seen == ["verify: free"]


def test_a_retried_draft_gets_the_first_answer_without_rendering_again(
    client: TestClient, build: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build("93", weeks=3)
    renders: list[str] = []
    monkeypatch.setattr(render, "render", _counting(renders, render.render))
    path = f"/api/v1/cases/{built.case['id']}/documents"
    headers = built.headers | {"Idempotency-Key": f"draft-{uuid.uuid4()}"}

    first = client.post(path, json={"kind": "prefecture_letter"}, headers=headers)
    again = client.post(path, json={"kind": "prefecture_letter"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert renders == ["rendered"]


def _counting(calls: list[str], work: Callable[..., bytes]) -> Callable[..., bytes]:
    def counted(*args: Any, **kwargs: Any) -> bytes:
        calls.append("rendered")
        return work(*args, **kwargs)

    return counted


def test_an_attestation_verifies_again_when_a_capture_joined_the_chain_meanwhile(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    case = session.get(Case, uuid.UUID(built.case["id"]))
    assert case is not None
    store = client.app.state.blob_store  # type: ignore[attr-defined]
    prepared = attesting.prepare(session, case=case, store=store)
    # Uploaded by someone else between the verification and the write.
    late = _created(
        client.post(
            f"/api/v1/cases/{case.id}/evidence",
            files={"file": ("late.png", files.png(color="#123456"), "image/png")},
            data={"kind": "screenshot"},
            headers=built.headers,
        )
    )
    lawyer = make_user(session, role=Role.lawyer)
    actor = Principal(user_id=lawyer.id, role=lawyer.role)

    evidence = attesting.record(session, actor=actor, case=case, store=store, prepared=prepared)

    pdf = PdfReader(io.BytesIO(b"".join(store.open(evidence.sha256))))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert late["sha256"] in text
    assert evidence.chain_index == late["chain_index"] + 1
