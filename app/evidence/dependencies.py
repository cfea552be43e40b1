from fastapi import Request

from app.evidence.storage import BlobStore


def blob_store(request: Request) -> BlobStore:
    """The application's evidence storage, chosen at start-up from the settings."""
    store: BlobStore = request.app.state.blob_store
    return store
