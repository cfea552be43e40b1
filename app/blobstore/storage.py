"""Content-addressed, write-once blob storage behind one small interface.

A blob is named by the SHA-256 of its bytes. Writing goes through a staging file
(hashed as it is written), which is then published under its name atomically; an
existing blob is never overwritten, a staged one that is never published leaves
nothing behind. With storage keys configured, blobs are sealed as they are published and
opened as they are read (``sealing``): the name stays the hash of the plaintext.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from app.blobstore.sealing import Sealer, SealError, SettingsKeys, plaintext
from app.config import Settings, StorageBackend

CHUNK = 1024 * 1024
HEAD = 8192  # bytes kept in memory to identify the content


class BlobNotFound(Exception):
    pass


class Staging:
    """A file being received: written in chunks, hashed on the way, published or discarded."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.size = 0
        self.head = b""

    def write(self, data: bytes | memoryview) -> int:
        self._file.write(data)
        self._hash.update(data)
        self.size += len(data)
        if len(self.head) < HEAD:
            self.head += bytes(data[: HEAD - len(self.head)])
        return len(data)

    def write_all(self, pieces: list[memoryview]) -> None:
        # One large buffer: the hash and the write each release the GIL once for it.
        self.write(b"".join(pieces))

    def flush(self) -> None:
        # A file-like for zipfile, which writes through it (and cannot seek: it then writes
        # each entry's sizes after its data).
        self._file.flush()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            os.fdatasync(self._file.fileno())
            self._file.close()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)


class BlobStore(Protocol):
    staging_dir: Path

    def stage(self) -> Staging: ...

    def publish(self, staging: Staging) -> str:
        """Store the staged bytes under their SHA-256 (kept if already there); returns it."""
        ...

    def open(self, sha256: str) -> Iterator[bytes]: ...

    def exists(self, sha256: str) -> bool: ...

    def blobs(self) -> Iterator[tuple[str, datetime]]:
        """Every stored blob with the time it was written."""
        ...

    def delete(self, sha256: str) -> None: ...

    def rotate(self, sha256: str) -> bool:
        """Seal a plain blob, or rewrap a sealed one's data key with the current storage key;
        False when there was nothing to do."""
        ...


def _check_name(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return sha256


class _Sealing:
    """What both stores share: staging, sealing on the way in, opening on the way out. Each
    store moves raw bytes with ``_put``, ``_raw`` and ``_replace``."""

    staging_dir: Path
    sealer: Sealer | None

    def _put(self, path: Path, sha256: str) -> None:
        """Store the file under the name, keeping a blob already there."""
        raise NotImplementedError

    def _raw(self, sha256: str) -> Iterator[bytes]:
        """The stored bytes as they are (sealed or not); BlobNotFound at once if missing."""
        raise NotImplementedError

    def _replace(self, path: Path, sha256: str) -> None:
        """Put the file in place of the blob (the same plaintext, sealed anew)."""
        raise NotImplementedError

    def stage(self) -> Staging:
        return Staging(self.staging_dir)

    @contextmanager
    def _scratch(self) -> Iterator[Path]:
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.staging_dir, prefix="sealed-", suffix=".part")
        os.close(fd)
        try:
            yield Path(name)
        finally:
            Path(name).unlink(missing_ok=True)

    def publish(self, staging: Staging) -> str:
        staging.close()
        try:
            if self.sealer is None:
                self._put(staging.path, staging.sha256)
            else:
                with self._scratch() as sealed:
                    self.sealer.seal_file(staging.path, sealed, staging.sha256)
                    self._put(sealed, staging.sha256)
        finally:
            staging.discard()
        return staging.sha256

    def open(self, sha256: str) -> Iterator[bytes]:
        return plaintext(self._raw(sha256), sha256, self.sealer)

    def rotate(self, sha256: str) -> bool:
        if self.sealer is None:
            raise RuntimeError("no storage key is configured")
        with self._scratch() as rewritten:
            # Streamed from storage into the new file: no plain copy is written on the way.
            with rewritten.open("wb") as out:
                if not self.sealer.reseal(self._raw(sha256), out, sha256):
                    return False
                out.flush()
                os.fsync(out.fileno())
            self._replace(rewritten, sha256)
        return True


class LocalBlobStore(_Sealing):
    """Blobs under ``root/ab/cd/<sha256>``, read-only once written."""

    def __init__(self, root: Path, sealer: Sealer | None = None) -> None:
        self.root = root
        self.staging_dir = root / "staging"
        self.sealer = sealer

    def _path(self, sha256: str) -> Path:
        _check_name(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _put(self, path: Path, sha256: str) -> None:
        target = self._path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # link() fails if the name exists: a blob, once written, is never replaced.
            os.link(path, target)
            target.chmod(0o444)
        except FileExistsError:
            # Same bytes already stored: refresh its time so that `storage gc` sees it as
            # young while the transaction that now refers to it has not committed yet.
            os.utime(target)

    def _replace(self, path: Path, sha256: str) -> None:
        # The same plaintext, sealed anew: replaced atomically (readers see one or the other).
        path.chmod(0o444)
        os.replace(path, self._path(sha256))

    def _raw(self, sha256: str) -> Iterator[bytes]:
        path = self._path(sha256)
        try:
            handle = path.open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(sha256) from exc

        def chunks() -> Iterator[bytes]:
            with handle:
                while chunk := handle.read(CHUNK):
                    yield chunk

        return chunks()

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def blobs(self) -> Iterator[tuple[str, datetime]]:
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64:
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


class S3BlobStore(_Sealing):
    """Blobs as objects ``<prefix><sha256>`` in an S3-compatible bucket."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str,
        staging_dir: Path,
        sealer: Sealer | None = None,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.staging_dir = staging_dir
        self.sealer = sealer

    def _key(self, sha256: str) -> str:
        return self.prefix + _check_name(sha256)

    def _put(self, path: Path, sha256: str) -> None:
        key = self._key(sha256)
        if not self.exists(sha256):
            self._replace(path, sha256)
        else:
            # Refresh LastModified, as the local store does, for `storage gc`.
            self.client.copy_object(
                Bucket=self.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": key},
                MetadataDirective="REPLACE",
            )

    def _replace(self, path: Path, sha256: str) -> None:
        self.client.upload_file(
            str(path), self.bucket, self._key(sha256), ExtraArgs={"ChecksumAlgorithm": "SHA256"}
        )

    def _raw(self, sha256: str) -> Iterator[bytes]:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
        except self.client.exceptions.NoSuchKey as exc:
            raise BlobNotFound(sha256) from exc
        body = response["Body"]

        def chunks() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        return chunks()

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except self.client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def blobs(self) -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix) :]
                if len(name) == 64:
                    yield name, item["LastModified"]

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))


def make_sealer(settings: Settings) -> Sealer | None:
    """The sealer for the configured storage keys; None: blobs are stored as they are."""
    if settings.storage_keys is None:
        return None
    return Sealer(SettingsKeys.parse(settings.storage_keys.get_secret_value()))


def make_blob_store(settings: Settings) -> BlobStore:
    sealer = make_sealer(settings)
    if settings.storage_backend is StorageBackend.local:
        return LocalBlobStore(settings.blob_dir, sealer)
    import boto3  # only deployments on S3 need it (pip install creneau[s3])

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=(
            settings.s3_secret_access_key.get_secret_value()
            if settings.s3_secret_access_key
            else None
        ),
    )
    assert settings.s3_bucket is not None
    return S3BlobStore(
        client, settings.s3_bucket, settings.s3_prefix, settings.blob_dir / "staging", sealer
    )


def store_intact(store: BlobStore, sha256: str, size: int | None = None) -> bool:
    """The blob is there, still hashes to its name and, when given, has ``size`` bytes."""
    digest, length = hashlib.sha256(), 0
    try:
        for chunk in store.open(sha256):
            digest.update(chunk)
            length += len(chunk)
    except (BlobNotFound, SealError):  # missing, or sealed and altered (or its key gone)
        return False
    return digest.hexdigest() == sha256 and (size is None or length == size)
