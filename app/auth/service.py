"""Users: login, the first admin, and admin-only account management."""

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth import security
from app.auth.errors import (
    EmailTaken,
    InvalidCredentials,
    LastActiveAdmin,
    UserNotFound,
    WrongCurrentPassword,
)
from app.auth.models import User
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.auth.schemas import PasswordChange, UserCreate, UserUpdate
from app.db import utcnow
from app.errors import FieldError


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, *, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


MAX_FAILED_LOGINS = 10
LOCKOUT = timedelta(minutes=15)
LOGIN_FAILED = "Incorrect e-mail or password, or inactive account."


def authenticate_user(session: Session, *, email: str, password: str) -> User:
    """The user, or InvalidCredentials with one answer for every failure (unknown address,
    wrong password, inactive or locked account), so the endpoint reveals nothing."""
    now = utcnow()
    user = find_by_email(session, email=email)
    ok = security.verify_password(password, user.password_hash if user else None)
    if user is None or not user.is_active:
        raise InvalidCredentials(LOGIN_FAILED)
    if user.locked_until is not None and user.locked_until > now:
        raise InvalidCredentials(LOGIN_FAILED)
    if not ok:
        raise InvalidCredentials(LOGIN_FAILED, user_id=user.id)
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
        session.add(user)
    return user


def record_failed_login(session: Session, *, user_id: uuid.UUID) -> None:
    """Count a wrong password; lock the account for a while after too many in a row.

    One atomic increment in the database (never a read-modify-write that concurrent
    failures would overwrite), in the failed request's own transaction, which commits: the
    endpoint answers the failure rather than raising it."""
    table = User.__table__  # type: ignore[attr-defined]
    count = session.execute(
        sa.update(table)
        .where(table.c.id == user_id)
        .values(failed_logins=table.c.failed_logins + 1)
        .returning(table.c.failed_logins)
    ).scalar_one_or_none()
    if count is None or count < MAX_FAILED_LOGINS:
        return
    session.execute(
        sa.update(table)
        .where(table.c.id == user_id)
        .values(failed_logins=0, locked_until=utcnow() + LOCKOUT)
    )
    audit.record(
        session, actor=None, action="user.locked_out", resource_type="user", resource_id=user_id
    )


def get_user(session: Session, *, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"No user with id {user_id}.")
    return user


def list_users(
    session: Session, *, after: tuple[str, uuid.UUID] | None, limit: int
) -> Sequence[User]:
    query = select(User)
    if after is not None:
        email, last_id = after
        query = query.where(
            (col(User.email) > email) | ((col(User.email) == email) & (col(User.id) > last_id))
        )
    return session.exec(query.order_by(col(User.email), col(User.id)).limit(limit)).all()


def create_user(session: Session, *, actor: Principal | None, data: UserCreate) -> User:
    email = normalise_email(data.email)
    if find_by_email(session, email=email) is not None:
        raise EmailTaken(f"A user with the e-mail {email} already exists.")
    user = User(
        email=email,
        full_name=data.full_name,
        role=data.role,
        password_hash=security.hash_password(data.password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        resource_type="user",
        resource_id=user.id,
        details={"role": user.role},
    )
    return user


def update_user(session: Session, *, actor: Principal, user: User, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        return user
    demoted = changes.get("role", user.role) != Role.admin or changes.get("is_active") is False
    if user.role == Role.admin and user.is_active and demoted and _active_admins(session) <= 1:
        raise LastActiveAdmin("Create or activate another admin first.")
    if "password" in changes:
        user.password_hash = security.hash_password(changes.pop("password"))
        changes["password"] = "changed"
    for field in ("full_name", "role", "is_active"):
        if field in changes:
            setattr(user, field, changes[field])
    user.updated_at = utcnow()
    session.add(user)
    action = "user.deactivate" if changes.get("is_active") is False else "user.update"
    # Field names only: the trail must not copy personal data.
    details = {"fields": sorted(changes), **({"role": user.role} if "role" in changes else {})}
    audit.record(
        session,
        actor=actor,
        action=action,
        resource_type="user",
        resource_id=user.id,
        details=details,
    )
    return user


def change_own_password(session: Session, *, actor: Principal, data: PasswordChange) -> None:
    user = get_user(session, user_id=actor.user_id)
    if not security.verify_password(data.current_password, user.password_hash):
        raise WrongCurrentPassword(
            "Check the current password and try again.",
            errors=[
                FieldError(loc=["body", "current_password"], msg="incorrect", type="value_error")
            ],
        )
    user.password_hash = security.hash_password(data.new_password)
    user.updated_at = utcnow()
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.password_change",
        resource_type="user",
        resource_id=user.id,
    )


def _active_admins(session: Session) -> int:
    query = (
        select(func.count()).select_from(User).where(User.role == Role.admin, col(User.is_active))
    )
    return session.exec(query).one()


def ensure_first_admin(session: Session, *, email: str, password: str) -> User | None:
    """Create the first admin when the database has no user at all; otherwise do nothing."""
    if session.exec(select(func.count()).select_from(User)).one() > 0:
        return None
    data = UserCreate(email=email, full_name="Administrator", role=Role.admin, password=password)
    try:
        return create_user(session, actor=None, data=data)
    except EmailTaken:
        # Another worker created it since the count above (PostgreSQL reads what others
        # committed): it exists, which is all this asks. A worker that raised here failed
        # its start-up, and uvicorn then stopped the whole server.
        return None
