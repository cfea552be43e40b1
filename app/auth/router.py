import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from app.api import API_PREFIX
from app.auth import api_keys, security, service
from app.auth.dependencies import authenticated_user, require
from app.auth.errors import InvalidCredentials, WrongCurrentPassword
from app.auth.models import ApiKey
from app.auth.permissions import Permission
from app.auth.principal import Principal
from app.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    PasswordChange,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from app.bodies import unprintable
from app.db import SessionDep, utcnow
from app.errors import invalid_fields, problem_response, problem_responses
from app.idempotency import service as idempotency
from app.idempotency.dependencies import Idempotent
from app.pagination import CursorQuery, LimitQuery, Page, PageParams, decode_cursor, page_of

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])
api_keys_router = APIRouter(prefix="/api-keys", tags=["api-keys"])

Profile = Annotated[Principal, require(Permission.profile_read)]
Admin = Annotated[Principal, require(Permission.users_manage)]
KeyOwner = Annotated[Principal, require(Permission.api_keys_own)]


@auth_router.post(
    "/token",
    response_model=TokenRead,
    summary="Exchange an e-mail and password for a short-lived access token",
    responses=problem_responses(401, 422),
)
def create_token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Response:
    if unprintable([form.username, form.password]):
        raise invalid_fields([("username", "contains a control character")])
    try:
        user = service.authenticate_user(session, email=form.username, password=form.password)
    except InvalidCredentials as exc:
        response = problem_response(
            request,
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            headers=exc.headers,
        )
        if exc.user_id is not None:
            # Answered, not raised: this request's transaction commits the count.
            service.record_failed_login(session, user_id=exc.user_id)
        return response
    settings = request.app.state.settings
    lifetime = timedelta(minutes=settings.access_token_minutes)
    token = security.create_access_token(
        user.id, key=settings.signing_key, now=utcnow(), lifetime=lifetime
    )
    body = TokenRead(
        access_token=token.token,
        expires_in=int(lifetime.total_seconds()),
        expires_at=token.expires_at,
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


@users_router.get("/me", summary="The signed-in user", responses=problem_responses(401, 403))
async def read_me(request: Request, actor: Profile) -> UserRead:
    # As read when the credential was checked (at most a second ago): no second read.
    return authenticated_user(request)


@users_router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your own password",
    responses=problem_responses(401, 403, 422),
)
def change_my_password(
    request: Request, session: SessionDep, actor: Profile, body: PasswordChange
) -> Response:
    try:
        service.change_own_password(session, actor=actor, data=body)
    except WrongCurrentPassword as exc:
        # A wrong current password is a guess like a wrong login: it counts toward lockout,
        # in this request's transaction (answered, not raised, so that it commits).
        service.record_failed_login(session, user_id=actor.user_id)
        return problem_response(
            request, status=exc.status, slug=exc.slug, title=exc.title, detail=exc.detail,
            errors=exc.errors,
        )  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@users_router.get("", summary="List users (admin)", responses=problem_responses(400, 401, 403))
def list_users(
    session: SessionDep, *, actor: Admin, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[UserRead]:
    after = None
    if cursor:
        email, last_id = decode_cursor(cursor, str, uuid.UUID)
        after = (email, last_id)
    rows = service.list_users(session, after=after, limit=limit + 1)
    return page_of([UserRead.model_validate(u) for u in rows], limit, lambda u: [u.email, u.id])


@users_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    summary="Create a user (admin)",
    description="Accepts `Idempotency-Key`.",
    responses=problem_responses(401, 403, 409, 422),
)
def create_user(
    session: SessionDep, *, actor: Admin, body: UserCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    user = service.create_user(session, actor=actor, data=body)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=UserRead.model_validate(user),
        headers={"Location": f"{API_PREFIX}/users/{user.id}"},
    )


@users_router.get(
    "/{user_id}", summary="Read a user (admin)", responses=problem_responses(401, 403, 404)
)
def read_user(session: SessionDep, *, actor: Admin, user_id: uuid.UUID) -> UserRead:
    return UserRead.model_validate(service.get_user(session, user_id=user_id))


@users_router.patch(
    "/{user_id}",
    summary="Update or deactivate a user (admin); users are never deleted",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def update_user(
    session: SessionDep, *, actor: Admin, user_id: uuid.UUID, body: UserUpdate
) -> UserRead:
    user = service.get_user(session, user_id=user_id)
    return UserRead.model_validate(service.update_user(session, actor=actor, user=user, data=body))


def _key_read(key: ApiKey) -> ApiKeyRead:
    return ApiKeyRead(
        id=key.id,
        name=key.name,
        role=key.role,
        owner_id=key.owner_id,
        prefix=api_keys.display_prefix(key),
        created_at=key.created_at,
        revoked_at=key.revoked_at,
    )


@api_keys_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    summary="Create an API key; its secret is returned only in this response",
    description="Accepts `Idempotency-Key`; a replay carries `secret: null`.",
    responses=problem_responses(401, 403, 409, 422),
)
def create_api_key(
    session: SessionDep, *, actor: KeyOwner, body: ApiKeyCreate, idem: Idempotent
) -> Response:
    if (replayed := idempotency.replay(session, actor=actor, request=idem)) is not None:
        return replayed
    key, secret = api_keys.create_api_key(session, actor=actor, data=body)
    read = _key_read(key)
    return idempotency.respond(
        session,
        actor=actor,
        request=idem,
        status_code=status.HTTP_201_CREATED,
        body=ApiKeyCreated(**read.model_dump(), secret=secret),
        remembered=ApiKeyCreated(**read.model_dump(), secret=None),
        headers={"Location": f"{API_PREFIX}/api-keys/{key.id}"},
    )


@api_keys_router.get(
    "/{key_id}",
    summary="Read an API key (never its secret)",
    responses=problem_responses(401, 403, 404),
)
def read_api_key(session: SessionDep, *, actor: KeyOwner, key_id: uuid.UUID) -> ApiKeyRead:
    return _key_read(api_keys.get_api_key(session, actor=actor, key_id=key_id))


@api_keys_router.get(
    "",
    summary="List API keys: your own, or every key for an admin",
    responses=problem_responses(401, 403),
)
def list_api_keys(session: SessionDep, *, actor: KeyOwner, page: PageParams) -> Page[ApiKeyRead]:
    rows, cursor = api_keys.page_api_keys(session, actor=actor, page=page)
    return Page(items=[_key_read(k) for k in rows], next_cursor=cursor)


@api_keys_router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key (kept for the record, never usable again)",
    responses=problem_responses(401, 403, 404),
)
def revoke_api_key(session: SessionDep, *, actor: KeyOwner, key_id: uuid.UUID) -> Response:
    key = api_keys.get_api_key(session, actor=actor, key_id=key_id)
    api_keys.revoke_api_key(session, actor=actor, key=key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
