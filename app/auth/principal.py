import uuid
from dataclasses import dataclass

from app.auth.permissions import Permission, Role, allows


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user with a token, or an API key acting for its owner with its own role."""

    user_id: uuid.UUID
    role: Role
    api_key_id: uuid.UUID | None = None

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)
