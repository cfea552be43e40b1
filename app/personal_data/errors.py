from app.errors import Conflict


class ErasureRefused(Conflict):
    slug = "erasure-refused"
    title = "The client's data must be kept for now"


class AlreadyErased(Conflict):
    slug = "already-erased"
    title = "The client's data is already erased"
