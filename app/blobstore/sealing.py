"""Envelope encryption of stored blobs: a copied bucket or disk reveals nothing.

Each blob gets its own random data key (AES-256). Its bytes are sealed in segments of 1 MiB
with AES-GCM, the STREAM construction: each segment's nonce is a random prefix, the segment's
number and a flag for the last one, so a segment cannot be moved, dropped or the blob cut
short without the opening failing; the blob's name (the SHA-256 of its plaintext, so content
addressing is unchanged) is bound to every segment. Reading opens one segment at a time and
releases it only once authenticated: memory stays flat and nothing unverified leaves.

The data key is wrapped by a key-encryption key from a ``KeyProvider`` (keys from settings
here; a KMS fits the same three members) and stored, wrapped, in the blob's header. Rotating
keys rewrites headers only; the sealed segments stay as they are.

    header  = MAGIC | key id length (1) | key id | wrapped length (2) | wrapped key | prefix (7)
    segment = AES-GCM(data key, prefix | number (4) | last (1), plaintext, aad = name)
"""

import os
import struct
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.config import storage_keys

MAGIC = b"CRNSEAL1"
SEGMENT = 1024 * 1024
TAG = 16
PREFIX = 7


class SealError(Exception):
    """A sealed blob that cannot be opened: altered, cut short, or its key is not configured."""


class KeyProvider(Protocol):
    """Wraps and unwraps data keys; the key that wraps never leaves the provider."""

    @property
    def current(self) -> str:
        """The id of the key that wraps new data keys."""
        ...

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]: ...

    def unwrap(self, key_id: str, wrapped: bytes, context: bytes) -> bytes: ...


class SettingsKeys:
    """Key-encryption keys given in settings: ``id:base64key[,id:base64key…]``, the first one
    current; the others unwrap what they wrapped until ``creneau storage rotate-keys``."""

    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        self._keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._current = current

    @classmethod
    def parse(cls, value: str) -> "SettingsKeys":
        keys = storage_keys(value)
        return cls(keys, next(iter(keys)))

    @property
    def current(self) -> str:
        return self._current

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(12)
        return self._current, nonce + self._keys[self._current].encrypt(nonce, data_key, context)

    def unwrap(self, key_id: str, wrapped: bytes, context: bytes) -> bytes:
        kek = self._keys.get(key_id)
        if kek is None:
            raise SealError(f"the storage key {key_id!r} is not configured")
        try:
            return kek.decrypt(wrapped[:12], wrapped[12:], context)
        except InvalidTag as exc:
            raise SealError(f"the data key does not open with storage key {key_id!r}") from exc


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", number, last)


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class _Reader:
    """Exact reads from an iterator of chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        piece = bytes(self._buffer[:size])
        del self._buffer[:size]
        return piece


class Sealer:
    def __init__(self, keys: KeyProvider) -> None:
        self.keys = keys

    def _header(self, data_key: bytes, prefix: bytes) -> bytes:
        key_id, wrapped = self.keys.wrap(data_key, MAGIC)
        encoded = key_id.encode()
        return b"".join([MAGIC, struct.pack(">B", len(encoded)), encoded,
                         struct.pack(">H", len(wrapped)), wrapped, prefix])  # fmt: skip

    def seal(self, source: "_Readable", out: BinaryIO, name: str) -> None:
        """Write ``source``'s bytes sealed to ``out``; ``name`` is the plaintext's SHA-256."""
        data_key, prefix = AESGCM.generate_key(bit_length=256), os.urandom(PREFIX)
        cipher, aad = AESGCM(data_key), name.encode()
        out.write(self._header(data_key, prefix))
        number, segment = 0, source.read(SEGMENT)
        while True:
            following = source.read(SEGMENT)
            last = not following
            out.write(cipher.encrypt(_nonce(prefix, number, last), segment, aad))
            if last:
                return
            number, segment = number + 1, following

    def seal_file(self, source: Path, target: Path, name: str) -> None:
        with source.open("rb") as plain, target.open("wb") as sealed:
            self.seal(plain, sealed, name)
            sealed.flush()
            os.fsync(sealed.fileno())

    def _read_header(self, reader: _Reader) -> tuple[str, bytes, bytes]:
        (id_length,) = struct.unpack(">B", reader.read(1) or b"\0")
        key_id = reader.read(id_length).decode("ascii", "replace")
        raw_length = reader.read(2)
        if len(raw_length) != 2:
            raise SealError("the sealed header is cut short")
        (wrapped_length,) = struct.unpack(">H", raw_length)
        wrapped, prefix = reader.read(wrapped_length), reader.read(PREFIX)
        if len(prefix) != PREFIX:
            raise SealError("the sealed header is cut short")
        return key_id, wrapped, prefix

    def open(self, reader: _Reader, name: str) -> Iterator[bytes]:
        """The plaintext of a sealed blob whose MAGIC was read already, segment by segment."""
        key_id, wrapped, prefix = self._read_header(reader)
        cipher = AESGCM(self.keys.unwrap(key_id, wrapped, MAGIC))
        aad, number = name.encode(), 0
        sealed = reader.read(SEGMENT + TAG)
        while True:
            following = reader.read(SEGMENT + TAG)
            try:
                yield cipher.decrypt(_nonce(prefix, number, not following), sealed, aad)
            except InvalidTag as exc:
                raise SealError(f"blob {name}: segment {number} does not authenticate") from exc
            if not following:
                return
            number, sealed = number + 1, following

    def reseal(self, chunks: Iterator[bytes], out: BinaryIO, name: str) -> bool:
        """Write a stored blob to ``out`` under the current key: a sealed one with its data key
        rewrapped (the segments passed through untouched), a plain one sealed. False, with
        nothing written, when it is under the current key already."""
        reader = _Reader(chunks)
        head = reader.read(len(MAGIC))
        if head != MAGIC:
            rest = iter(lambda: reader.read(SEGMENT), b"")
            self.seal(_Reader(chain([head], rest)), out, name)
            return True
        key_id, wrapped, prefix = self._read_header(reader)
        if key_id == self.keys.current:
            return False
        out.write(self._header(self.keys.unwrap(key_id, wrapped, MAGIC), prefix))
        while piece := reader.read(SEGMENT):
            out.write(piece)
        return True


def plaintext(chunks: Iterator[bytes], name: str, sealer: Sealer | None) -> Iterator[bytes]:
    """A stored blob's bytes as they were given: opened if sealed, as they are if not (blobs
    stored before encryption was turned on)."""
    reader = _Reader(chunks)
    head = reader.read(len(MAGIC))
    if head != MAGIC:
        if head:
            yield head
        while piece := reader.read(SEGMENT):
            yield piece
        return
    if sealer is None:
        raise SealError(f"blob {name} is sealed and no storage key is configured")
    yield from sealer.open(reader, name)
