"""The audit trail as an admin reads it: newest first, in pages that neither skip nor repeat."""

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.audit import service as audit
from app.auth.permissions import Role
from tests.builders import assert_problem, auth_as


def test_pages_go_newest_first_and_ties_on_the_instant_by_id(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)
    start = clock.now()
    recorded = []
    for second, count in ((0, 3), (1, 2), (2, 1)):
        with clock.pinned(start + timedelta(seconds=second)):  # several events per instant
            for _ in range(count):
                event = audit.record(session, actor=None, action="test.event",
                                     resource_type="test", resource_id=uuid.uuid4())  # fmt: skip
                session.flush()
                recorded.append((event.occurred_at, str(event.id)))
    session.commit()
    expected = [event_id for _, event_id in sorted(recorded, reverse=True)]

    seen: list[str] = []
    params: dict[str, str | int] = {"action": "test.event", "limit": 2}
    while True:
        body = client.get("/api/v1/audit-events", params=params, headers=admin).json()
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]

    assert seen == expected
    everything = client.get("/api/v1/audit-events", params={"action": "test.event"},
                            headers=admin).json()  # fmt: skip
    assert [item["id"] for item in everything["items"]] == expected
    assert everything["next_cursor"] is None


def test_a_forged_cursor_is_a_400(client: TestClient, session: Session) -> None:
    admin = auth_as(session, Role.admin)
    session.commit()
    response = client.get("/api/v1/audit-events", params={"cursor": "bm90LWpzb24"}, headers=admin)
    assert_problem(response, 400)
