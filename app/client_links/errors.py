from app.errors import AppError, Conflict, NotFound


class LinkNotFound(NotFound):
    slug = "upload-link-not-found"
    title = "Upload link not found"


class LinkGone(AppError):
    status = 410
    slug = "upload-link-gone"
    title = "This upload link has expired or was revoked"


class DailyCapReached(AppError):
    status = 429
    slug = "upload-cap-reached"
    title = "This link has received all the files it may take today"


class AlreadyReviewed(Conflict):
    slug = "already-reviewed"
    title = "This submission was already reviewed"


class NotRejected(Conflict):
    slug = "submission-not-rejected"
    title = "Only a rejected submission can be reopened"


class AttemptNotSubmitted(Conflict):
    slug = "not-a-submission"
    title = "Only what a client sent through a link is reviewed"
