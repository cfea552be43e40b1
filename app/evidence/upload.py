"""Receiving a multipart upload as a stream: the file goes to staging while it is
hashed, so memory does not grow with its size, and the size limit stops it early."""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi.concurrency import run_in_threadpool
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from app.blobstore.storage import BlobStore, Staging
from app.errors import invalid_fields
from app.evidence.errors import MalformedUpload, NotMultipart, PayloadTooLarge, StorageFailed

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

logger = logging.getLogger(__name__)

MAX_FIELDS = 16
# File bytes are handed to a worker thread (hash and write) in batches of this size,
# while the event loop goes on receiving and parsing the next ones.
BATCH = 1024 * 1024
MAX_FIELD_BYTES = 8192
FILE_FIELD = "file"
# The multipart framing around a file at the limit: a declared length past the limit by more
# than this is refused before a byte is read.
FRAMING_ALLOWANCE = 65536
TOO_LARGE = "too large"


@dataclass
class ReceivedUpload:
    fields: dict[str, str] = field(default_factory=dict)
    staging: Staging | None = None
    filename: str = ""
    declared_type: str | None = None

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str | None = None
    data: bytearray = field(default_factory=bytearray)


def _headers_to_part(headers: dict[bytes, bytes]) -> _Part:
    _, params = parse_options_header(headers.get(b"content-disposition", b""))
    filename = params.get(b"filename")
    content_type = headers.get(b"content-type")
    return _Part(
        name=params.get(b"name", b"").decode("utf-8", "replace"),
        filename=filename.decode("utf-8", "replace") if filename is not None else None,
        content_type=content_type.decode("latin-1") if content_type else None,
    )


def _boundary(request: Request, max_bytes: int) -> bytes:
    """The body's multipart boundary; refused before reading if the body cannot be one."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise NotMultipart("Content-Type must be multipart/form-data with a boundary.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + FRAMING_ALLOWANCE:
        raise PayloadTooLarge(f"Files are limited to {max_bytes} bytes.")
    return boundary


class _Parts:
    """The parser's callbacks for one body: each part's headers, the small fields kept in
    memory, the one file's bytes collected for staging. A problem stops the collecting; the
    first one found is the one reported."""

    def __init__(self, store: BlobStore, max_bytes: int) -> None:
        self.store, self.max_bytes = store, max_bytes
        self.upload = ReceivedUpload()
        self.problem: str | None = None
        self.complete = False
        self.pieces: list[memoryview] = []
        self.batched = 0
        self._received = 0
        self._part = _Part()
        self._headers: dict[bytes, bytes] = {}
        self._header_field, self._header_value = bytearray(), bytearray()

    def callbacks(self) -> "MultipartCallbacks":
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def take_batch(self) -> list[memoryview]:
        batch, self.pieces, self.batched = self.pieces, [], 0
        return batch

    def _refuse(self, problem: str) -> None:
        if self.problem is None:
            self.problem = problem

    def on_part_begin(self) -> None:
        self._headers.clear()
        self._part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field.extend(data[start:end])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value.extend(data[start:end])

    def on_header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        self._part = part = _headers_to_part(self._headers)
        if part.filename is None:
            return
        if part.name != FILE_FIELD or self.upload.staging is not None:
            self._refuse("exactly one file, in the field 'file'")
            return
        self.upload.staging = self.store.stage()
        self.upload.filename = part.filename
        self.upload.declared_type = part.content_type

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part.filename is None:
            self._field_data(data[start:end])
        elif self.upload.staging is not None and self.problem is None:
            self._file_data(memoryview(data)[start:end])

    def _field_data(self, data: bytes) -> None:
        self._part.data.extend(data)
        if len(self._part.data) > MAX_FIELD_BYTES:
            self._refuse(f"field '{self._part.name}' is too long")

    def _file_data(self, data: memoryview) -> None:
        self._received += len(data)
        if self._received > self.max_bytes:
            self._refuse(TOO_LARGE)
            return
        self.pieces.append(data)
        self.batched += len(data)

    def on_part_end(self) -> None:
        part, fields = self._part, self.upload.fields
        if part.filename is not None or self.problem is not None:
            return
        if len(fields) >= MAX_FIELDS or part.name in fields:
            self._refuse("too many or repeated fields")
        fields[part.name] = part.data.decode("utf-8", "replace")

    def on_end(self) -> None:
        self.complete = True


class _Receiver:
    """One body read into staging: parsed on the event loop, written by a worker thread, one
    batch in flight at a time, so memory stays bounded whatever the file's size."""

    def __init__(self, boundary: bytes, store: BlobStore, max_bytes: int) -> None:
        self.parts = _Parts(store, max_bytes)
        self.parser = MultipartParser(boundary, self.parts.callbacks())
        self.writing: asyncio.Future[None] | None = None

    async def receive(self, stream: AsyncIterator[bytes]) -> ReceivedUpload:
        """Read the whole body; every failure discards what was staged."""
        try:
            await self._read(stream)
        except ClientDisconnect:
            await self._abandon()
            raise
        except OSError as exc:
            # Our disk, not the client's body: a full disk or a failing volume.
            await self._abandon()
            logger.error("evidence storage failed during an upload", exc_info=exc)
            raise StorageFailed("The server could not store the file; nothing was kept.") from exc
        except Exception as exc:  # python-multipart raises plain errors on broken input
            await self._abandon()
            raise MalformedUpload("The multipart body is malformed or truncated.") from exc
        return self._result()

    async def _read(self, stream: AsyncIterator[bytes]) -> None:
        parts = self.parts
        async for chunk in stream:
            self.parser.write(chunk)
            if parts.problem is not None:
                break
            if parts.batched >= BATCH:
                await self._hand_over()
        if parts.problem is None:
            self.parser.finalize()
            if not parts.complete:
                raise ValueError("body ended before the closing boundary")
        await self._hand_over(last=True)

    async def _hand_over(self, *, last: bool = False) -> None:
        # The last call also waits for its batch, so every byte is written on return.
        await self._written()
        staging = self.parts.upload.staging
        if self.parts.pieces and staging is not None:
            batch = self.parts.take_batch()
            self.writing = asyncio.ensure_future(run_in_threadpool(staging.write_all, batch))
        if last:
            await self._written()

    async def _written(self) -> None:
        if self.writing is not None:
            await self.writing
            self.writing = None

    async def _abandon(self) -> None:
        # The batch in flight finishes (or fails) before its file is removed.
        if self.writing is not None:
            await asyncio.wait([self.writing])
        self.parts.upload.discard()

    def _result(self) -> ReceivedUpload:
        upload, problem, max_bytes = self.parts.upload, self.parts.problem, self.parts.max_bytes
        if problem is not None:
            upload.discard()
            if problem == TOO_LARGE:
                raise PayloadTooLarge(f"Files are limited to {max_bytes} bytes.")
            raise MalformedUpload(f"Unexpected upload: {problem}.")
        if upload.staging is None:
            raise invalid_fields([(FILE_FIELD, "attach the file in the field 'file'")])
        if upload.staging.size == 0:
            upload.discard()
            raise invalid_fields([(FILE_FIELD, "the file is empty")])
        return upload


async def receive_upload(request: Request, store: BlobStore, max_bytes: int) -> ReceivedUpload:
    """Read the whole multipart body; every failure discards what was staged."""
    receiver = _Receiver(_boundary(request, max_bytes), store, max_bytes)
    return await receiver.receive(request.stream())
