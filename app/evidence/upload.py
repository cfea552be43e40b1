"""Receiving a multipart upload as a stream: the file goes to staging while it is
hashed, so memory does not grow with its size, and the size limit stops it early."""

import asyncio
import logging
from dataclasses import dataclass, field

from fastapi.concurrency import run_in_threadpool
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from app.blobstore.storage import BlobStore, Staging
from app.errors import AppError, BadRequest, invalid_fields

logger = logging.getLogger(__name__)

MAX_FIELDS = 16
# File bytes are handed to a worker thread (hash and write) in batches of this size,
# while the event loop goes on receiving and parsing the next ones.
BATCH = 1024 * 1024
MAX_FIELD_BYTES = 8192
FILE_FIELD = "file"


class PayloadTooLarge(AppError):
    status = 413
    slug = "payload-too-large"
    title = "The file is larger than allowed"


class NotMultipart(AppError):
    status = 415
    slug = "unsupported-media-type"
    title = "Send the upload as multipart/form-data"


class MalformedUpload(BadRequest):
    slug = "malformed-multipart"
    title = "The multipart body could not be read"


class StorageFailed(AppError):
    status = 507
    slug = "insufficient-storage"
    title = "The file could not be stored"


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


async def receive_upload(request: Request, store: BlobStore, max_bytes: int) -> ReceivedUpload:
    """Read the whole multipart body; every failure discards what was staged."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise NotMultipart("Content-Type must be multipart/form-data with a boundary.")
    declared_length = request.headers.get("content-length")
    if declared_length and declared_length.isdigit() and int(declared_length) > max_bytes + 65536:
        raise PayloadTooLarge(f"Files are limited to {max_bytes} bytes.")

    upload = ReceivedUpload()
    header_field, header_value = bytearray(), bytearray()
    headers: dict[bytes, bytes] = {}
    part = _Part()
    problems: list[str] = []
    complete = False
    received = 0
    pieces: list[memoryview] = []
    batched = 0

    def on_part_begin() -> None:
        nonlocal part
        headers.clear()
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        nonlocal part
        part = _headers_to_part(headers)
        if part.filename is not None:
            if part.name != FILE_FIELD or upload.staging is not None:
                problems.append("exactly one file, in the field 'file'")
                return
            upload.staging = store.stage()
            upload.filename = part.filename
            upload.declared_type = part.content_type

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal received, batched
        if part.filename is not None and upload.staging is not None and not problems:
            received += end - start
            if received > max_bytes:
                problems.append("too large")
                return
            pieces.append(memoryview(data)[start:end])
            batched += end - start
        elif part.filename is None:
            part.data.extend(data[start:end])
            if len(part.data) > MAX_FIELD_BYTES:
                problems.append(f"field '{part.name}' is too long")

    def on_part_end() -> None:
        if part.filename is None and not problems:
            if len(upload.fields) >= MAX_FIELDS or part.name in upload.fields:
                problems.append("too many or repeated fields")
            upload.fields[part.name] = part.data.decode("utf-8", "replace")

    def on_end() -> None:
        nonlocal complete
        complete = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        },
    )
    writing: asyncio.Future[None] | None = None

    async def hand_over(*, last: bool = False) -> None:
        # One batch in flight at a time: memory stays bounded whatever the file's size.
        # The last call also waits for that batch, so every byte is written on return.
        nonlocal writing, pieces, batched
        if writing is not None:
            await writing
            writing = None
        if pieces and upload.staging is not None:
            batch, pieces, batched = pieces, [], 0
            writing = asyncio.ensure_future(run_in_threadpool(upload.staging.write_all, batch))
        if last and writing is not None:
            await writing
            writing = None

    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if problems:
                break
            if batched >= BATCH:
                await hand_over()
        if not problems:
            parser.finalize()
            if not complete:
                raise ValueError("body ended before the closing boundary")
        await hand_over(last=True)
    except ClientDisconnect:
        if writing is not None:
            await asyncio.wait([writing])
        upload.discard()
        raise
    except OSError as exc:
        # Our disk, not the client's body: a full disk or a failing volume.
        if writing is not None:
            await asyncio.wait([writing])
        upload.discard()
        logger.error("evidence storage failed during an upload", exc_info=exc)
        raise StorageFailed("The server could not store the file; nothing was kept.") from exc
    except Exception as exc:  # python-multipart raises plain errors on broken input
        if writing is not None:
            await asyncio.wait([writing])
        upload.discard()
        raise MalformedUpload("The multipart body is malformed or truncated.") from exc
    if problems:
        upload.discard()
        if problems[0] == "too large":
            raise PayloadTooLarge(f"Files are limited to {max_bytes} bytes.")
        raise MalformedUpload(f"Unexpected upload: {problems[0]}.")
    if upload.staging is None:
        raise invalid_fields([(FILE_FIELD, "attach the file in the field 'file'")])
    if upload.staging.size == 0:
        upload.discard()
        raise invalid_fields([(FILE_FIELD, "the file is empty")])
    return upload
