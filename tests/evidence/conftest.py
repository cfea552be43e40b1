"""Both storage backends: the local directory, and S3 through a real S3-protocol server
(moto's server mode) listening on localhost, reached over HTTP by boto3. Every test here runs
twice: files stored as they are, and sealed (envelope encryption, ``app.blobstore.sealing``)."""

import base64
import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer

from app.blobstore.sealing import Sealer, SettingsKeys
from app.blobstore.storage import BlobStore, LocalBlobStore, S3BlobStore

STORAGE_KEYS = "k1:" + base64.b64encode(bytes(range(32))).decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["plain", "sealed"], autouse=True)
def sealer(request: pytest.FixtureRequest, app: FastAPI, tmp_path: Path) -> Iterator[Sealer | None]:
    """No storage key, or one: tests that do not ask for a ``store`` get the app's store
    replaced by a sealing one for the second run."""
    sealer = Sealer(SettingsKeys.parse(STORAGE_KEYS)) if request.param == "sealed" else None
    if sealer is None or "store" in request.fixturenames:
        yield sealer
        return
    previous = app.state.blob_store
    app.state.blob_store = LocalBlobStore(tmp_path / "sealed-blobs", sealer)
    yield sealer
    app.state.blob_store = previous


@pytest.fixture(params=["local", "s3"])
def store(
    request: pytest.FixtureRequest, app: FastAPI, tmp_path: Path, sealer: Sealer | None
) -> Iterator[BlobStore]:
    if request.param == "local":
        blob_store: BlobStore = LocalBlobStore(tmp_path / "blobs", sealer)
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="eu-west-3",
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip
        bucket = f"creneau-{tmp_path.name.lower().replace('_', '-')[-40:]}"
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
        blob_store = S3BlobStore(client, bucket, "evidence/", tmp_path / "staging", sealer)
    previous = app.state.blob_store
    app.state.blob_store = blob_store
    yield blob_store
    app.state.blob_store = previous


def stored_blobs(store: BlobStore) -> set[str]:
    return {sha for sha, _ in store.blobs()}


def staged_files(store: BlobStore) -> list[Path]:
    directory: Path = store.staging_dir
    return list(directory.glob("*")) if directory.exists() else []
