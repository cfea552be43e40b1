import hashlib
import io
import uuid
from typing import Any

import img2pdf
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.auth.permissions import Role
from app.blobstore.storage import BlobStore
from app.cases.models import Case
from app.config import Settings
from app.evidence.models import Evidence
from tests.builders import assert_problem, auth_as, make_case
from tests.evidence import files
from tests.evidence.conftest import staged_files, stored_blobs


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.paralegal)


def upload(
    client: TestClient,
    case: Case,
    headers: dict[str, str],
    data: bytes,
    *,
    name: str = "capture.png",
    content_type: str = "image/png",
    **fields: str,
) -> Response:
    form = {"kind": "screenshot"} | fields
    return client.post(
        f"/api/v1/cases/{case.id}/evidence",
        files={"file": (name, data, content_type)},
        data=form,
        headers=headers,
    )


def evidence_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Evidence)).one()


@pytest.mark.parametrize(
    ("data", "name", "declared", "media_type"),
    [
        (files.png(), "capture.png", "image/png", "image/png"),
        (files.jpeg_with_exif(), "IMG_0042.JPG", "image/jpeg", "image/jpeg"),
        (files.webp(), "capture.webp", "image/webp", "image/webp"),
        (files.pdf(), "AR.pdf", "application/pdf", "application/pdf"),
        (files.eml(), "courriel.eml", "message/rfc822", "message/rfc822"),
        (files.text(), "notes.txt", "text/plain", "text/plain"),
        (files.pdf(), "scan", "application/octet-stream", "application/pdf"),
    ],
)
def test_allowed_content_is_stored_exactly_with_its_hash(
    client: TestClient,
    session: Session,
    store: BlobStore,
    headers: dict[str, str],
    data: bytes,
    name: str,
    declared: str,
    media_type: str,
) -> None:
    case = make_case(session)

    response = upload(client, case, headers, data, name=name, content_type=declared)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["size"], body["media_type"], body["original_filename"]) == (
        len(data),
        media_type,
        name,
    )
    assert b"".join(store.open(body["sha256"])) == data
    assert body["chain_index"] == 1
    assert body["received_at"]


def test_image_metadata_is_recorded(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)

    body = upload(
        client, case, headers, files.jpeg_with_exif(), name="photo.jpg", content_type="image/jpeg"
    ).json()

    assert (body["image_width"], body["image_height"]) == (1170, 2532)
    assert body["image_capture_time"] == "2026:03:02 09:12:33 +01:00"


@pytest.mark.parametrize(
    ("data", "name", "declared", "status", "slug"),
    [
        (files.windows_executable(), "capture.png", "image/png", 415, "unsupported-content"),
        (
            b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
            "capture.png",
            "image/png",
            415,
            "unsupported-content",
        ),
        (files.pdf(), "capture.png", "image/png", 415, "unsupported-content"),
        (b"", "vide.png", "image/png", 422, "validation-error"),
        (files.png_bomb(), "bombe.png", "image/png", 422, "image-rejected"),
        (files.png()[:60], "tronque.png", "image/png", 422, "image-rejected"),
        (
            files.png() + files.zip_archive(),
            "polyglot.png",
            "image/png",
            415,
            "unsupported-content",
        ),
        (
            files.jpeg_with_exif() + b"PK\x03\x04 hidden",
            "x.jpg",
            "image/jpeg",
            415,
            "unsupported-content",
        ),
        (
            b"A" * 8192 + b"\x7fELF\x02\x01\x01\x00\x00",
            "notes.txt",
            "text/plain",
            415,
            "unsupported-content",
        ),
        (
            b"A" * 9000 + "é".encode("latin-1"),
            "latin.txt",
            "text/plain",
            415,
            "unsupported-content",
        ),
        (
            b"%PDF-1.4\n<html><script>alert(1)</script></html>",
            "faux.pdf",
            "application/pdf",
            415,
            "unsupported-content",
        ),
        (files.pdf_with_javascript(), "script.pdf", "application/pdf", 415, "unsupported-content"),
        (files.png(3, 3), "point.png", "image/png", 415, "unsupported-content"),
    ],
    ids=[
        "disguised-exe",
        "elf",
        "declared-png-is-pdf",
        "empty",
        "decompression-bomb",
        "truncated-png",
        "png-then-zip",
        "jpeg-then-zip",
        "text-then-program",
        "text-not-utf8-after-the-head",
        "pdf-that-is-html",
        "pdf-with-javascript",
        "three-pixels",
    ],
)
def test_bad_files_are_refused_and_leave_nothing(
    client: TestClient,
    session: Session,
    store: BlobStore,
    headers: dict[str, str],
    data: bytes,
    name: str,
    declared: str,
    status: int,
    slug: str,
) -> None:
    case = make_case(session)
    before = stored_blobs(store)

    response = upload(client, case, headers, data, name=name, content_type=declared)

    assert_problem(response, status, slug)
    assert evidence_count(session) == 0
    assert stored_blobs(store) == before
    assert staged_files(store) == []


def test_a_file_one_byte_over_the_limit_is_413(
    client: TestClient,
    session: Session,
    store: BlobStore,
    headers: dict[str, str],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = 4096
    monkeypatch.setattr(settings, "evidence_max_bytes", limit)
    case = make_case(session)
    exactly = files.text() * (limit // len(files.text()))
    exactly += b"x" * (limit - len(exactly))

    at_limit = upload(client, case, headers, exactly, name="a.txt", content_type="text/plain")
    over = upload(client, case, headers, exactly + b"y", name="b.txt", content_type="text/plain")

    assert at_limit.status_code == 201
    assert_problem(over, 413, "payload-too-large")
    assert evidence_count(session) == 1
    assert staged_files(store) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\Aminata\\Bureau\\capture.png", "capture.png"),
        ("D:capture.png", "capture.png"),
    ],
)
def test_only_the_base_name_is_kept(
    client: TestClient, session: Session, headers: dict[str, str], name: str, kept: str
) -> None:
    response = upload(client, make_case(session), headers, files.png(), name=name)

    assert response.status_code == 201
    assert response.json()["original_filename"] == kept


@pytest.mark.parametrize("name", ["../../etc/passwd.png", "é" * 300 + ".png", "a\x00b\x1b[31m.png"])
def test_filenames_are_metadata_only(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str], name: str
) -> None:
    case = make_case(session)

    response = upload(client, case, headers, files.png(), name=name)

    assert response.status_code == 201
    body = response.json()
    assert len(body["original_filename"]) <= 255
    assert "\x00" not in body["original_filename"]
    assert "\x1b" not in body["original_filename"]
    download = client.get(f"/api/v1/evidence/{body['id']}/content", headers=headers)
    disposition = download.headers["content-disposition"]
    assert disposition.isascii()
    assert "/" not in disposition.split("filename=")[1].split(";")[0]
    assert download.content == files.png()


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (
            b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
            + files.png(),
            "multipart/form-data; boundary=XYZ",
            400,
        ),
        (b"not multipart at all", "multipart/form-data; boundary=XYZ", 400),
        (files.png(), "image/png", 415),
        (b"--XYZ--\r\n", "multipart/form-data", 415),
    ],
    ids=["truncated", "garbage", "not-multipart", "no-boundary"],
)
def test_malformed_multipart_is_a_clear_4xx(
    client: TestClient,
    session: Session,
    store: BlobStore,
    headers: dict[str, str],
    raw: bytes,
    content_type: str,
    status: int,
) -> None:
    case = make_case(session)

    response = client.post(
        f"/api/v1/cases/{case.id}/evidence",
        content=raw,
        headers=headers | {"Content-Type": content_type},
    )

    assert_problem(response, status)
    assert evidence_count(session) == 0
    assert staged_files(store) == []


def test_form_fields_are_validated(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)

    bad_kind = upload(client, case, headers, files.png(), kind="selfie")
    naive = upload(client, case, headers, files.png(), captured_at="2026-03-02T09:12:00")
    missing_file = client.post(
        f"/api/v1/cases/{case.id}/evidence",
        data={"kind": "screenshot"},
        files={"x": ("", b"")},
        headers=headers,
    )
    unknown_attempt = upload(client, case, headers, files.png(), attempt_id=str(uuid.uuid4()))

    assert assert_problem(bad_kind, 422)["errors"][0]["loc"] == ["body", "kind"]
    assert assert_problem(naive, 422)["errors"][0]["loc"] == ["body", "captured_at"]
    assert assert_problem(unknown_attempt, 422)["errors"][0]["loc"] == ["body", "attempt_id"]
    assert assert_problem(missing_file, 422)["errors"][0]["loc"] == ["body", "file"]
    assert evidence_count(session) == 0


def test_evidence_cannot_link_to_another_cases_attempt_or_contact(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case, other = make_case(session), make_case(session)
    their_attempt = client.post(
        f"/api/v1/cases/{other.id}/attempts",
        json={"attempted_at": "2026-11-10T09:00:00+01:00", "outcome": "no_slot"},
        headers=headers,
    ).json()
    their_contact = client.post(
        f"/api/v1/cases/{other.id}/contacts",
        json={"channel": "email", "sent_date": "2026-11-10"},
        headers=headers,
    ).json()

    by_attempt = upload(client, case, headers, files.png(), attempt_id=their_attempt["id"])
    by_contact = upload(client, case, headers, files.png(), contact_id=their_contact["id"])

    assert assert_problem(by_attempt, 422)["errors"][0]["loc"] == ["body", "attempt_id"]
    assert assert_problem(by_contact, 422)["errors"][0]["loc"] == ["body", "contact_id"]
    assert evidence_count(session) == 0


def test_upload_is_audited_with_its_hash(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)

    body = upload(client, case, headers, files.png()).json()

    event = session.exec(select(AuditEvent).where(AuditEvent.resource_id == body["id"])).one()
    expected: dict[str, Any] = {
        "case_id": str(case.id),
        "sha256": body["sha256"],
        "entry_hash": body["entry_hash"],
    }
    assert (event.action, event.details) == ("evidence.create", expected)


def test_download_streams_with_type_and_etag(
    client: TestClient, session: Session, store: BlobStore, headers: dict[str, str]
) -> None:
    case = make_case(session)
    body = upload(
        client, case, headers, files.pdf(), name="AR.pdf", content_type="application/pdf"
    ).json()
    url = f"/api/v1/evidence/{body['id']}/content"

    first = client.get(url, headers=headers)
    again = client.get(url, headers=headers | {"If-None-Match": first.headers["etag"]})

    assert first.content == files.pdf()
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["etag"] == f'"{body["sha256"]}"'
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["content-disposition"].startswith('attachment; filename="AR.pdf"')
    assert again.status_code == 304


def test_a_pdf_whose_image_data_happens_to_spell_js_is_accepted(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    from PIL import Image

    pixels = (b"/JS/Launch/JavaScript" * 400)[: 40 * 40 * 3]
    image = io.BytesIO()
    Image.frombytes("RGB", (40, 40), pixels).save(image, "PNG", compress_level=0)
    pdf = bytes(img2pdf.convert(image.getvalue()))
    assert b"/JS" in pdf  # the bytes are there, in an image stream, not as a PDF name

    response = upload(
        client, make_case(session), headers, pdf, name="scan.pdf", content_type="application/pdf"
    )

    assert response.status_code == 201, response.text


def test_a_full_disk_is_a_507_logged_never_a_malformed_upload(
    client: TestClient,
    session: Session,
    store: BlobStore,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import errno

    from app.blobstore.storage import Staging

    def full(self: Staging, pieces: list[memoryview]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Staging, "write_all", full)
    case = make_case(session)

    with caplog.at_level("ERROR"):
        response = upload(client, case, headers, files.png())

    assert_problem(response, 507, "insufficient-storage")
    assert "evidence storage failed" in caplog.text
    assert evidence_count(session) == 0
    assert staged_files(store) == []
