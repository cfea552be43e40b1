import uuid

from app.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    UnprocessableEntity,
)


class InvalidCredentials(NotAuthenticated):
    slug = "invalid-credentials"
    title = "Invalid credentials"

    def __init__(self, detail: str | None = None, *, user_id: uuid.UUID | None = None) -> None:
        super().__init__(detail)
        self.user_id = user_id  # the account whose password was wrong, to count the failure


class UserNotFound(NotFound):
    slug = "user-not-found"
    title = "User not found"


class EmailTaken(Conflict):
    slug = "email-taken"
    title = "E-mail already in use"


class LastActiveAdmin(Conflict):
    slug = "last-active-admin"
    title = "The last active admin must stay an active admin"


class ApiKeyNotFound(NotFound):
    slug = "api-key-not-found"
    title = "API key not found"


class RoleNotDelegable(PermissionDenied):
    slug = "role-not-delegable"
    title = "An API key cannot have a higher role than its owner"


class WrongCurrentPassword(UnprocessableEntity):
    slug = "wrong-current-password"
    title = "The current password is incorrect"
