import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.permissions import Role
from tests.builders import PASSWORD, assert_problem, auth, make_user, token_for


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return auth(token_for(make_user(session, role=Role.admin)))


def new_user(**overrides: object) -> dict[str, object]:
    return {
        "email": "Nouvelle.Collaboratrice@Cabinet-Avocats.fr",
        "full_name": "  Inès Haddad ",
        "role": "paralegal",
        "password": PASSWORD,
    } | overrides


def test_admin_creates_a_user_who_can_log_in(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    response = client.post("/api/v1/users", json=new_user(), headers=admin_headers)

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "nouvelle.collaboratrice@cabinet-avocats.fr"
    assert body["full_name"] == "Inès Haddad"
    assert body["is_active"] is True
    login = client.post(
        "/api/v1/auth/token",
        data={"username": "nouvelle.collaboratrice@cabinet-avocats.fr", "password": PASSWORD},
    )
    assert login.status_code == 200
    event = session.exec(select(AuditEvent).where(AuditEvent.resource_id == body["id"])).one()
    assert (event.action, event.resource_type) == ("user.create", "user")
    assert "nouvelle" not in str(event.details)


def test_duplicate_email_is_a_409_whatever_its_case(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    make_user(session, email="nouvelle.collaboratrice@cabinet-avocats.fr")

    response = client.post("/api/v1/users", json=new_user(), headers=admin_headers)

    assert_problem(response, 409, "email-taken")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"role": "owner"}, "role"),
        ({"full_name": ""}, "full_name"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_invalid_user_fields_are_422_naming_the_field(
    client: TestClient, admin_headers: dict[str, str], overrides: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/users", json=new_user(**overrides), headers=admin_headers)

    body = assert_problem(response, 422, "validation-error")
    assert [e["loc"] for e in body["errors"]] == [["body", field]]
    assert field in body["detail"]


def test_deactivation_replaces_deletion(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    user = make_user(session, role=Role.lawyer)

    deleted = client.delete(f"/api/v1/users/{user.id}", headers=admin_headers)
    patched = client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers
    )

    assert_problem(deleted, 405, "method-not-allowed")
    assert patched.status_code == 200
    assert patched.json()["is_active"] is False
    assert session.get(User, user.id) is not None
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.resource_id == str(user.id))
    ).all()
    assert actions == ["user.deactivate"]


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    client: TestClient, session: Session
) -> None:
    for other in session.exec(select(User).where(User.role == Role.admin)).all():
        other.is_active = False
        session.add(other)
    admin = make_user(session, role=Role.admin)
    headers = auth(token_for(admin))

    demote = client.patch(f"/api/v1/users/{admin.id}", json={"role": "lawyer"}, headers=headers)
    deactivate = client.patch(
        f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=headers
    )

    assert_problem(demote, 409, "last-active-admin")
    assert_problem(deactivate, 409, "last-active-admin")


def test_users_list_pages_by_cursor_without_repeats(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    for i in range(5):
        make_user(session, email=f"page-{i}@cabinet-avocats.fr")
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/users", params=params, headers=admin_headers).json()
        seen += [u["email"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen))
    assert seen == sorted(seen)
    assert {f"page-{i}@cabinet-avocats.fr" for i in range(5)} <= set(seen)


def test_a_forged_cursor_is_a_400(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/users", params={"cursor": "bm90IGpzb24"}, headers=admin_headers)

    assert_problem(response, 400, "invalid-cursor")


def test_unknown_user_is_a_404(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.get(
        "/api/v1/users/00000000-0000-4000-8000-000000000000", headers=admin_headers
    )

    assert_problem(response, 404, "user-not-found")


def test_malformed_user_id_is_a_422(client: TestClient, admin_headers: dict[str, str]) -> None:
    body = assert_problem(client.get("/api/v1/users/42", headers=admin_headers), 422)

    assert body["errors"][0]["loc"] == ["path", "user_id"]


def test_own_password_change_requires_the_current_one(client: TestClient, session: Session) -> None:
    user = make_user(session, email="change@cabinet-avocats.fr", password=PASSWORD)
    headers = auth(token_for(user))
    new_password = "another long passphrase"

    wrong = client.post(
        "/api/v1/users/me/password",
        json={"current_password": "nope", "new_password": new_password},
        headers=headers,
    )
    right = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=headers,
    )

    assert_problem(wrong, 422, "wrong-current-password")
    assert right.status_code == 204
    login = client.post(
        "/api/v1/auth/token",
        data={"username": "change@cabinet-avocats.fr", "password": new_password},
    )
    assert login.status_code == 200
