"""Envelope encryption: what storage holds reveals nothing, what is read back is exactly what
was sent (or nothing at all), and rotating keys rewraps every data key."""

import base64
import hashlib
import io
import os
import struct
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.blobstore.sealing import (
    MAGIC,
    SEGMENT,
    TAG,
    Sealer,
    SealError,
    SettingsKeys,
    plaintext,
)
from app.blobstore.storage import BlobStore, LocalBlobStore, S3BlobStore, store_intact
from tests.builders import auth_as, make_case
from tests.evidence import files

K1 = "k1:" + base64.b64encode(b"\x01" * 32).decode()
K2 = "k2:" + base64.b64encode(b"\x02" * 32).decode()


def raw_blob(store: BlobStore, sha256: str) -> bytes:
    """The bytes as storage holds them, bypassing the store's opening."""
    if isinstance(store, LocalBlobStore):
        return store._path(sha256).read_bytes()
    assert isinstance(store, S3BlobStore)
    body = store.client.get_object(Bucket=store.bucket, Key=store._key(sha256))["Body"]
    return bytes(body.read())


def key_id(raw: bytes) -> str:
    (length,) = struct.unpack(">B", raw[len(MAGIC) : len(MAGIC) + 1])
    return raw[len(MAGIC) + 1 : len(MAGIC) + 1 + length].decode()


def test_uploads_are_stored_sealed_when_a_key_is_set_and_read_back_exactly(
    client: TestClient, session: Session, store: BlobStore, sealer: Sealer | None
) -> None:
    headers = auth_as(session, Role.paralegal)
    case_id = make_case(session).id
    session.commit()
    text = "Courriel de la préfecture : MARQUEUR-CONFIDENTIEL\n".encode() * 50
    uploaded = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        files={"file": ("courriel.txt", text, "text/plain")},
        data={"kind": "email"},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    sha256 = uploaded.json()["sha256"]
    assert sha256 == hashlib.sha256(text).hexdigest()  # content addressing on the plaintext
    raw = raw_blob(store, sha256)
    if sealer is None:
        assert raw == text
    else:
        assert raw.startswith(MAGIC)
        assert b"MARQUEUR" not in raw
        assert key_id(raw) == "k1"
    download = client.get(f"/api/v1/evidence/{uploaded.json()['id']}/content", headers=headers)
    assert download.content == text
    assert store_intact(store, sha256, len(text))


def test_a_sealed_blob_opens_only_whole_in_order_and_under_its_own_name() -> None:
    sealer = Sealer(SettingsKeys.parse(K1))
    data = os.urandom(2 * SEGMENT + 1000)  # three segments
    name = hashlib.sha256(data).hexdigest()
    out = io.BytesIO()
    sealer.seal(io.BytesIO(data), out, name)
    sealed = out.getvalue()
    body_at = len(sealed) - (len(data) + 3 * TAG)
    header, body = sealed[:body_at], sealed[body_at:]
    segments = [body[i : i + SEGMENT + TAG] for i in range(0, len(body), SEGMENT + TAG)]
    assert len(segments) == 3

    def opened(blob: bytes, as_name: str = name, by: Sealer = sealer) -> bytes:
        pieces = [blob[i : i + 65536] for i in range(0, len(blob), 65536)]
        return b"".join(plaintext(iter(pieces), as_name, by))

    assert opened(sealed) == data
    flipped = bytearray(sealed)
    flipped[body_at + 5] ^= 1
    for damaged in (
        bytes(flipped),                                      # a byte altered
        header + segments[1] + segments[0] + segments[2],    # segments swapped
        header + segments[0] + segments[1],                  # cut short at a segment's end
        sealed[:-1],                                         # cut short inside one
    ):  # fmt: skip
        with pytest.raises(SealError):
            opened(damaged)
    with pytest.raises(SealError):
        opened(sealed, hashlib.sha256(b"another file").hexdigest())  # moved under another name
    with pytest.raises(SealError, match="not configured"):
        opened(sealed, by=Sealer(SettingsKeys.parse(K2)))


def test_rotation_rewraps_every_data_key_and_seals_what_was_stored_plain(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    old = LocalBlobStore(root, Sealer(SettingsKeys.parse(K1)))
    plain = LocalBlobStore(root)
    contents = [files.png(), os.urandom(SEGMENT * 2 + 7), b""]
    names = []
    for store, data in [(old, contents[0]), (old, contents[1]), (old, contents[2]),
                        (plain, files.pdf())]:  # fmt: skip
        staging = store.stage()
        staging.write(data)
        names.append(store.publish(staging))
    contents.append(files.pdf())
    sealed_before = {name: raw_blob(old, name) for name in names}

    rotated = LocalBlobStore(root, Sealer(SettingsKeys.parse(f"{K2},{K1}")))
    assert [rotated.rotate(name) for name in names] == [True] * 4
    assert [rotated.rotate(name) for name in names] == [False] * 4
    for name in names:
        raw = raw_blob(rotated, name)
        assert raw.startswith(MAGIC)
        assert key_id(raw) == "k2"
    for name, data in zip(names[:3], contents, strict=False):
        # The sealed segments are kept as they were: only the header changed.
        body = len(data) + TAG * max(1, -(-len(data) // SEGMENT))
        before, after = sealed_before[name], raw_blob(rotated, name)
        assert before[-body:] == after[-body:]
        assert before[:-body] != after[:-body]

    only_new = LocalBlobStore(root, Sealer(SettingsKeys.parse(K2)))
    for name, data in zip(names, contents, strict=True):
        assert b"".join(only_new.open(name)) == data
        assert store_intact(only_new, name, len(data))
    only_old = LocalBlobStore(root, Sealer(SettingsKeys.parse(K1)))
    assert not any(store_intact(only_old, name) for name in names)


@pytest.mark.parametrize(
    "value",
    ["k1", "k1:not-base64!", "k1:" + base64.b64encode(b"short").decode(), f"{K1},{K1}", ""],
)
def test_malformed_storage_keys_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="storage key"):
        SettingsKeys.parse(value)
