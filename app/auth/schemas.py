import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.auth.permissions import Role
from app.bodies import PatchBody, StrictBody

MIN_PASSWORD_LENGTH = 12

FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)]
KeyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")
    expires_at: datetime


class UserCreate(StrictBody):
    email: EmailStr
    full_name: FullName
    role: Role
    password: Password


class UserUpdate(PatchBody):
    full_name: FullName | None = None
    role: Role | None = None
    is_active: bool | None = Field(
        default=None, description="false deactivates the account; users are never deleted."
    )
    password: Password | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime


class PasswordChange(StrictBody):
    current_password: str = Field(max_length=256)
    new_password: Password


class ApiKeyCreate(StrictBody):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "scanner-script", "role": "paralegal"}]}
    )

    name: KeyName
    role: Role | None = Field(
        default=None, description="Defaults to your own role; never above it."
    )


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    role: Role
    owner_id: uuid.UUID
    prefix: str = Field(description="The key's first characters, to recognise it.")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    secret: str | None = Field(
        description="Shown once: store it now, it cannot be read again. Null in a replay "
        "(`Idempotent-Replayed: true`): the secret is never stored, so revoke that key and "
        "create another if the first answer was lost."
    )
