import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.auth.permissions import Role
from tests.builders import assert_problem, auth, make_api_key, make_user, token_for


def test_secret_is_returned_once_and_stored_hashed(client: TestClient, session: Session) -> None:
    owner = make_user(session, role=Role.paralegal)
    headers = auth(token_for(owner))

    created = client.post("/api/v1/api-keys", json={"name": "scanner"}, headers=headers)

    assert created.status_code == 201
    body = created.json()
    assert body["role"] == "paralegal"
    assert body["secret"].startswith(body["prefix"] + "_")
    stored = session.exec(select(ApiKey).where(ApiKey.id == uuid.UUID(body["id"]))).one()
    assert body["secret"] not in (stored.secret_hash, stored.lookup)
    listed = client.get("/api/v1/api-keys", headers=headers).json()["items"]
    assert [k["id"] for k in listed] == [body["id"]]
    assert "secret" not in listed[0]
    me = client.get("/api/v1/users/me", headers=auth(body["secret"]))
    assert me.json()["id"] == str(owner.id)


def test_key_role_cannot_exceed_its_owner(client: TestClient, session: Session) -> None:
    headers = auth(token_for(make_user(session, role=Role.paralegal)))

    response = client.post(
        "/api/v1/api-keys", json={"name": "escalate", "role": "admin"}, headers=headers
    )

    assert_problem(response, 403, "role-not-delegable")


def test_lawyer_may_create_a_paralegal_key(client: TestClient, session: Session) -> None:
    headers = auth(token_for(make_user(session, role=Role.lawyer)))

    response = client.post(
        "/api/v1/api-keys", json={"name": "cabinet-scripts", "role": "paralegal"}, headers=headers
    )

    assert response.status_code == 201
    assert response.json()["role"] == "paralegal"


def test_revoked_key_is_refused_and_revocation_is_audited(
    client: TestClient, session: Session
) -> None:
    owner = make_user(session, role=Role.lawyer)
    headers = auth(token_for(owner))
    key = client.post("/api/v1/api-keys", json={"name": "old"}, headers=headers).json()

    revoked = client.delete(f"/api/v1/api-keys/{key['id']}", headers=headers)

    assert revoked.status_code == 204
    body = assert_problem(client.get("/api/v1/users/me", headers=auth(key["secret"])), 401)
    assert body["detail"] == "The API key has been revoked."
    listed = client.get("/api/v1/api-keys", headers=headers).json()["items"]
    assert listed[0]["revoked_at"] is not None
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.resource_id == key["id"])
    ).all()
    assert sorted(actions) == ["api_key.create", "api_key.revoke"]


def test_users_see_and_revoke_only_their_own_keys(client: TestClient, session: Session) -> None:
    alice = auth(token_for(make_user(session, role=Role.lawyer)))
    bob = auth(token_for(make_user(session, role=Role.lawyer)))
    admin = auth(token_for(make_user(session, role=Role.admin)))
    alices_key = client.post("/api/v1/api-keys", json={"name": "a"}, headers=alice).json()

    assert client.get("/api/v1/api-keys", headers=bob).json()["items"] == []
    assert_problem(client.delete(f"/api/v1/api-keys/{alices_key['id']}", headers=bob), 404)
    assert [k["id"] for k in client.get("/api/v1/api-keys", headers=admin).json()["items"]] == [
        alices_key["id"]
    ]
    assert client.delete(f"/api/v1/api-keys/{alices_key['id']}", headers=admin).status_code == 204


def test_key_name_is_required(client: TestClient, session: Session) -> None:
    headers = auth(token_for(make_user(session)))

    body = assert_problem(
        client.post("/api/v1/api-keys", json={"name": "  "}, headers=headers), 422
    )

    assert body["errors"][0]["loc"] == ["body", "name"]


@pytest.mark.parametrize(
    ("was", "now", "allowed", "refused"),
    [
        # An admin demoted to paralegal: its admin key can no longer manage users or keys.
        (Role.admin, Role.paralegal, "/api/v1/users/me", "/api/v1/users"),
        # An admin demoted to lawyer: no more audit trail.
        (Role.admin, Role.lawyer, "/api/v1/cases", "/api/v1/audit-events"),
        # A lawyer demoted to paralegal keeps reading cases, nothing more.
        (Role.lawyer, Role.paralegal, "/api/v1/cases", "/api/v1/audit-events"),
    ],
)
def test_a_key_acts_with_the_lower_of_its_role_and_its_owners_current_role(
    client: TestClient, session: Session, was: Role, now: Role, allowed: str, refused: str
) -> None:
    owner = make_user(session, role=was)
    key = make_api_key(session, owner, role=was)
    owner.role = now
    session.add(owner)
    session.flush()

    assert client.get(allowed, headers=auth(key)).status_code == 200
    assert_problem(client.get(refused, headers=auth(key)), 403, "permission-denied")
    minted = client.post("/api/v1/users", json={"email": "backdoor@cabinet.fr",
                         "full_name": "B", "role": "admin", "password": "Another-long-pass-2026!"},
                         headers=auth(key))  # fmt: skip
    assert_problem(minted, 403, "permission-denied")
    escalated = client.patch(f"/api/v1/users/{owner.id}", json={"role": "admin"}, headers=auth(key))
    assert_problem(escalated, 403, "permission-denied")
