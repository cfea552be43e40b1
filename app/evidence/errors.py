from app.errors import AppError, BadRequest, Conflict, NotFound, UnprocessableEntity


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
