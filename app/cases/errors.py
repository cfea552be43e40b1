from app.errors import Conflict, NotFound, PermissionDenied


class CaseNotFound(NotFound):
    slug = "case-not-found"
    title = "Case not found"


class StageTransitionNotAllowed(Conflict):
    slug = "stage-transition-not-allowed"
    title = "This stage change is not allowed"


class StageChangeForbidden(PermissionDenied):
    slug = "stage-change-forbidden"
    title = "Only lawyers and admins close or reopen a case"
