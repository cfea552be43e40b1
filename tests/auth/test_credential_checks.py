"""A checked credential is kept a moment for speed, never past a change to its user or key."""

import time
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col

from app import clock
from app.auth.credentials import CredentialCache
from app.auth.models import ApiKey, User
from app.auth.permissions import Role
from app.db import utcnow
from tests.builders import assert_problem, auth, auth_as, make_api_key, make_user, token_for


def test_a_deactivated_user_and_a_revoked_key_stop_at_the_next_request(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)
    lawyer = make_user(session, role=Role.lawyer)
    token = auth(token_for(lawyer))
    key = auth(make_api_key(session, lawyer))
    session.commit()
    assert client.get("/api/v1/users/me", headers=token).status_code == 200
    assert client.get("/api/v1/cases", headers=key).status_code == 200

    key_id = client.get("/api/v1/api-keys", headers=key).json()["items"][0]["id"]
    assert client.delete(f"/api/v1/api-keys/{key_id}", headers=admin).status_code == 204
    assert_problem(client.get("/api/v1/cases", headers=key), 401)

    assert client.get("/api/v1/cases", headers=token).status_code == 200
    deactivate = client.patch(
        f"/api/v1/users/{lawyer.id}", json={"is_active": False}, headers=admin
    )
    assert deactivate.status_code == 200
    assert_problem(client.get("/api/v1/users/me", headers=token), 401)


def test_a_demotion_applies_at_the_next_request(client: TestClient, session: Session) -> None:
    admin = auth_as(session, Role.admin)
    lawyer = make_user(session, role=Role.admin)
    key = auth(make_api_key(session, lawyer))
    session.commit()
    assert client.get("/api/v1/users", headers=key).status_code == 200

    patch = client.patch(f"/api/v1/users/{lawyer.id}", json={"role": "lawyer"}, headers=admin)
    assert patch.status_code == 200
    assert_problem(client.get("/api/v1/users", headers=key), 403)
    assert client.get("/api/v1/users/me", headers=key).json()["role"] == "lawyer"


def test_a_change_made_by_another_process_applies_within_the_delay(
    client: TestClient, session: Session
) -> None:
    cache: CredentialCache = client.app.state.credentials  # type: ignore[attr-defined]
    lawyer = make_user(session)
    key = auth(make_api_key(session, lawyer))
    session.commit()
    previous, cache.seconds = cache.seconds, 0.2
    try:
        assert client.get("/api/v1/users/me", headers=key).status_code == 200
        # A plain SQL update, as another worker or the CLI would make: no ORM event here.
        session.execute(
            update(ApiKey).where(col(ApiKey.owner_id) == lawyer.id).values(revoked_at=utcnow())
        )
        session.commit()
        assert client.get("/api/v1/users/me", headers=key).status_code == 200  # kept
        time.sleep(0.25)
        assert_problem(client.get("/api/v1/users/me", headers=key), 401)
    finally:
        cache.seconds = previous


def test_with_no_delay_every_request_reads_the_credential(
    client: TestClient, session: Session
) -> None:
    cache: CredentialCache = client.app.state.credentials  # type: ignore[attr-defined]
    user = make_user(session)
    token = auth(token_for(user))
    session.commit()
    previous, cache.seconds = cache.seconds, 0
    try:
        assert client.get("/api/v1/users/me", headers=token).status_code == 200
        session.execute(update(User).where(col(User.id) == user.id).values(is_active=False))
        session.commit()
        assert_problem(client.get("/api/v1/users/me", headers=token), 401)
    finally:
        cache.seconds = previous


def test_a_kept_token_still_expires_on_the_app_clock(
    client: TestClient, session: Session, pinned_clock: datetime
) -> None:
    user = make_user(session)
    token = auth(token_for(user, minutes=1))
    session.commit()
    assert client.get("/api/v1/users/me", headers=token).status_code == 200
    clock.pin(pinned_clock + timedelta(minutes=2))
    body = assert_problem(client.get("/api/v1/users/me", headers=token), 401)
    assert "expired" in body["detail"]
