from fastapi import Request
from fastapi.responses import StreamingResponse

from app.blobstore.storage import BlobStore


def blob_store(request: Request) -> BlobStore:
    """The application's evidence storage, chosen at start-up from the settings."""
    store: BlobStore = request.app.state.blob_store
    return store


def stored_download(
    request: Request, *, sha256: str, size: int, media_type: str, filename: str
) -> StreamingResponse:
    """A stored blob as an attachment; its hash is its ETag, since the bytes never change."""
    return StreamingResponse(
        blob_store(request).open(sha256),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(size),
            "ETag": f'"{sha256}"',
        },
    )
