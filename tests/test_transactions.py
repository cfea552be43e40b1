"""One transaction per request: a request that fails midway leaves nothing behind."""

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.permissions import Role
from tests.builders import PASSWORD, assert_problem, auth_as


def _counts(session: Session) -> tuple[int, int]:
    users = session.exec(select(func.count()).select_from(User)).one()
    events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return users, events


def test_a_failed_commit_answers_500_and_leaves_no_row_nor_audit_event(
    client: TestClient, session: Session, session_factory: sessionmaker[Session]
) -> None:
    headers = auth_as(session, Role.admin)
    before = _counts(session)

    def fail_commit(_: Session) -> None:
        raise RuntimeError("disk full")

    event.listen(session_factory, "before_commit", fail_commit)
    try:
        response = client.post(
            "/api/v1/users",
            json={
                "email": "perdu@cabinet-avocats.fr",
                "full_name": "Jamais Créé",
                "role": "lawyer",
                "password": PASSWORD,
            },
            headers=headers,
        )
    finally:
        event.remove(session_factory, "before_commit", fail_commit)

    assert_problem(response, 500, "internal-error")
    assert _counts(session) == before


def test_a_refused_write_rolls_back_what_it_flushed(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.admin)
    payload = {
        "email": "double@cabinet-avocats.fr",
        "full_name": "Deux Fois",
        "role": "lawyer",
        "password": PASSWORD,
    }
    assert client.post("/api/v1/users", json=payload, headers=headers).status_code == 201
    before = _counts(session)

    again = client.post(
        "/api/v1/users", json=payload | {"email": "DOUBLE@cabinet-avocats.fr"}, headers=headers
    )

    assert_problem(again, 409, "email-taken")
    assert _counts(session) == before
