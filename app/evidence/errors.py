from app.errors import AppError, Conflict, NotFound, UnprocessableEntity


class EvidenceNotFound(NotFound):
    slug = "evidence-not-found"
    title = "Evidence not found"


class UnsupportedContent(AppError):
    status = 415
    slug = "unsupported-content"
    title = "This kind of file is not accepted as evidence"


class ImageRejected(UnprocessableEntity):
    slug = "image-rejected"
    title = "The image cannot be accepted"


class AlreadyWithdrawn(Conflict):
    slug = "evidence-already-withdrawn"
    title = "This evidence was already withdrawn"
