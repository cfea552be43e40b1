from app.errors import Conflict, NotFound


class ErasureRefused(Conflict):
    slug = "erasure-refused"
    title = "The client's data must be kept for now"


class AlreadyErased(Conflict):
    slug = "already-erased"
    title = "The client's data is already erased"


class ExportNotFound(NotFound):
    slug = "export-not-found"
    title = "No such export"


class ExportUnavailable(Conflict):
    slug = "export-unavailable"
    title = "The export cannot be downloaded"
