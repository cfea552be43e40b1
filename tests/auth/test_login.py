import logging
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlmodel import Session

from app.auth import security
from app.auth.models import User
from app.auth.permissions import Role
from app.db import utcnow
from tests.builders import (
    PASSWORD,
    TEST_SECRET_KEY,
    assert_problem,
    auth,
    make_api_key,
    make_user,
    token_for,
)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def test_login_returns_a_bearer_token_that_opens_users_me(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, email="avocate@cabinet-avocats.fr", password=PASSWORD)

    response = client.post(
        "/api/v1/auth/token", data={"username": "Avocate@Cabinet-Avocats.fr", "password": PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = client.get("/api/v1/users/me", headers=auth(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert me.json()["email"] == "avocate@cabinet-avocats.fr"
    assert "password_hash" not in me.json()


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("avocate@cabinet-avocats.fr", "wrong password here"),
        ("nobody@cabinet-avocats.fr", PASSWORD),
    ],
    ids=["wrong-password", "unknown-email"],
)
def test_login_failures_answer_the_same_401(
    client: TestClient, session: Session, email: str, password: str
) -> None:
    make_user(session, email="avocate@cabinet-avocats.fr", password=PASSWORD)

    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})

    body = assert_problem(response, 401, "invalid-credentials")
    assert body["detail"] == "Incorrect e-mail or password, or inactive account."


def test_login_without_fields_is_a_422_naming_them(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "a@b.test"})

    body = assert_problem(response, 422, "validation-error")
    assert ["body", "password"] in [e["loc"] for e in body["errors"]]


def test_deactivated_user_cannot_log_in_and_their_token_stops_working(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, email="parti@cabinet-avocats.fr", password=PASSWORD)
    token = token_for(user)
    user.is_active = False
    session.add(user)
    session.flush()

    assert_problem(
        client.post(
            "/api/v1/auth/token",
            data={"username": "parti@cabinet-avocats.fr", "password": PASSWORD},
        ),
        401,
    )
    body = assert_problem(client.get("/api/v1/users/me", headers=auth(token)), 401)
    assert body["detail"] == "This account is not active."


def test_expired_token_is_refused(client: TestClient, session: Session) -> None:
    user = make_user(session)
    expired = security.create_access_token(
        user.id,
        key=TEST_SECRET_KEY,
        now=utcnow() - timedelta(hours=1),
        lifetime=timedelta(minutes=15),
    ).token

    response = client.get("/api/v1/users/me", headers=auth(expired))

    body = assert_problem(response, 401, "not-authenticated")
    assert body["detail"] == "The access token has expired."
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("tamper", ["other-key", "edited-claims", "alg-none", "garbage"])
def test_tampered_tokens_are_refused(client: TestClient, session: Session, tamper: str) -> None:
    lawyer = make_user(session, role=Role.lawyer)
    admin = make_user(session, role=Role.admin)
    good = token_for(lawyer)
    if tamper == "other-key":
        token = token_for(admin, key="another-secret-key-of-sufficient-length-0000")
    elif tamper == "edited-claims":
        header, _, signature = good.split(".")
        claims = jwt.decode(good, options={"verify_signature": False}) | {"sub": str(admin.id)}
        forged_payload = jwt.encode(claims, "x" * 32, algorithm="HS256").split(".")[1]
        token = f"{header}.{forged_payload}.{signature}"
    elif tamper == "alg-none":
        claims = jwt.decode(good, options={"verify_signature": False}) | {"sub": str(admin.id)}
        token = jwt.encode(claims, "", algorithm="none")
    else:
        token = "not.a.token"

    response = client.get("/api/v1/audit-events", headers=auth(token))

    body = assert_problem(response, 401)
    assert body["detail"] == "The access token is not valid."


def test_missing_credentials_are_a_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/v1/users/me")

    assert_problem(response, 401, "not-authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_login_logs_neither_password_nor_token(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(session, email="discret@cabinet-avocats.fr", password=PASSWORD)
    caplog.set_level(logging.DEBUG)

    response = login(client, "discret@cabinet-avocats.fr")

    assert response.status_code == 200
    token = response.json()["access_token"]
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert PASSWORD not in logged
    assert token not in logged
    assert "discret@cabinet-avocats.fr" not in logged


def test_api_key_acts_with_its_role(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.admin)
    paralegal_key = make_api_key(session, admin, role=Role.paralegal)
    admin_key = make_api_key(session, admin, role=Role.admin)

    assert_problem(client.get("/api/v1/audit-events", headers=auth(paralegal_key)), 403)
    assert client.get("/api/v1/audit-events", headers=auth(admin_key)).status_code == 200


@pytest.mark.parametrize(
    "credential",
    ["crn_000000000000_notarealsecret", "crn_short", "crn_"],
)
def test_unknown_api_keys_are_refused(client: TestClient, credential: str) -> None:
    body = assert_problem(client.get("/api/v1/users/me", headers=auth(credential)), 401)
    assert body["detail"] == "The API key is not valid."


def test_api_key_with_a_wrong_secret_is_refused(client: TestClient, session: Session) -> None:
    key = make_api_key(session, make_user(session))
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")

    assert_problem(client.get("/api/v1/users/me", headers=auth(forged)), 401)


def test_api_key_of_a_deactivated_owner_is_refused(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    key = make_api_key(session, owner)
    owner.is_active = False
    session.add(owner)
    session.flush()

    body = assert_problem(client.get("/api/v1/users/me", headers=auth(key)), 401)
    assert body["detail"] == "The API key's owner is not active."


def test_too_many_wrong_passwords_lock_the_account_for_a_while(
    client: TestClient, session: Session
) -> None:
    from app.auth.service import MAX_FAILED_LOGINS

    user = make_user(session, email="cible@cabinet-avocats.fr", password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        assert_problem(login(client, "cible@cabinet-avocats.fr", "wrong password!!"), 401)

    locked = login(client, "cible@cabinet-avocats.fr")

    body = assert_problem(locked, 401, "invalid-credentials")
    assert body["detail"] == "Incorrect e-mail or password, or inactive account."
    session.refresh(user)
    assert user.locked_until is not None
    user.locked_until = utcnow() - timedelta(seconds=1)
    session.add(user)
    session.flush()
    assert login(client, "cible@cabinet-avocats.fr").status_code == 200
    session.refresh(user)
    unlocked: User = user  # refreshed: mypy still holds the narrowing above
    assert (unlocked.failed_logins, unlocked.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(client: TestClient, session: Session) -> None:
    user = make_user(session, email="distrait@cabinet-avocats.fr", password=PASSWORD)
    for _ in range(3):
        login(client, "distrait@cabinet-avocats.fr", "wrong password!!")
    session.refresh(user)
    assert user.failed_logins == 3

    assert login(client, "distrait@cabinet-avocats.fr").status_code == 200

    session.refresh(user)
    assert user.failed_logins == 0
