"""The access log: who read a client's record or downloaded a file about them, apart from
the audit trail of changes; for admins; kept as long as the policy says."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, func, select

from app import clock, wiring
from app.audit import access
from app.audit.models import AccessEntry, AuditEvent
from app.auth.permissions import Role
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.builders import assert_problem, auth, auth_as, make_client, make_user, token_for


def test_reads_and_downloads_are_logged_with_who_and_the_request(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], build: Any
) -> None:
    admin = auth_as(session, Role.admin)
    built = build(weeks=3)
    client_id, case_id = built.case["client"]["id"], built.case["id"]
    other_client = build().case["client"]["id"]
    audit_before = session.exec(select(func.count()).select_from(AuditEvent)).one()

    read = client.get(f"/api/v1/clients/{client_id}", headers=built.headers)
    evidence = client.get(f"/api/v1/cases/{case_id}/evidence", headers=built.headers).json()
    first = evidence["items"][0]
    download = client.get(f"/api/v1/evidence/{first['id']}/content", headers=built.headers)
    assert download.status_code == 200
    # A revalidation discloses nothing: not logged.
    revalidate = built.headers | {"If-None-Match": download.headers["ETag"]}
    again = client.get(f"/api/v1/evidence/{first['id']}/content", headers=revalidate)
    assert again.status_code == 304
    drafts = f"/api/v1/cases/{case_id}/documents"
    letter = client.post(drafts, json={"kind": "prefecture_letter"}, headers=built.headers).json()
    link = client.post(f"/api/v1/documents/{letter['id']}/links", headers=built.headers).json()
    url = urlsplit(link["url"])
    by_link = client.get(f"{url.path}?{url.query}")
    assert by_link.status_code == 200
    # Metadata and lists are not logged.
    client.get(f"/api/v1/cases/{case_id}", headers=built.headers)

    log = client.get(f"/api/v1/clients/{client_id}/access-log", headers=admin)
    assert log.status_code == 200, log.text
    entries = log.json()["items"]
    assert [(e["action"], e["resource_id"], e["via"]) for e in entries] == [
        ("document.download", letter["id"], "signed_link"),
        ("evidence.download", first["id"], "credential"),
        ("client.read", client_id, "credential"),
    ]
    assert entries[2]["request_id"] == read.headers["X-Request-ID"]
    assert entries[2]["actor_user_id"] is not None
    assert entries[0]["actor_user_id"] is None
    assert client.get(f"/api/v1/clients/{other_client}/access-log",
                      headers=admin).json()["items"] == []  # fmt: skip
    # Reads are not changes: the audit trail did not grow with them.
    audit_after = session.exec(select(func.count()).select_from(AuditEvent)).one()
    assert audit_after - audit_before == 1  # the letter's generation

    assert_problem(client.get(f"/api/v1/clients/{client_id}/access-log", headers=built.headers),
                   403)  # fmt: skip
    url = f"/api/v1/clients/{client_id}/access-log"
    paged = client.get(url, params={"limit": 2}, headers=admin).json()
    after = {"limit": 2, "cursor": paged["next_cursor"]}
    rest = client.get(url, params=after, headers=admin).json()
    assert [e["id"] for e in paged["items"] + rest["items"]] == [e["id"] for e in entries]

    with clock.pinned(clock.now() + timedelta(days=366)), session_factory() as expiring:
        assert access.expire(expiring, retention_days=365) == 3
        expiring.commit()
    assert session.exec(select(func.count()).select_from(AccessEntry)).one() == 0


def test_a_logged_read_never_holds_two_connections(real_db: Settings) -> None:
    """With a pool of one connection, a read that kept its own while writing its log entry
    would wait for itself until the pool's timeout."""
    app = create_app(real_db)
    engine = make_engine(real_db.effective_database_url, pool_size=1, max_overflow=0,
                         pool_timeout=2)  # fmt: skip
    app.state.session_factory = wiring.session_factory(engine)
    with app.state.session_factory() as session:
        lawyer = make_user(session, role=Role.lawyer)
        person = make_client(session)
        session.commit()
        headers = auth(token_for(lawyer, minutes=30, key=real_db.signing_key))
    try:
        with TestClient(app, raise_server_exceptions=False) as api:
            for _ in range(3):
                read = api.get(f"/api/v1/clients/{person.id}", headers=headers)
                assert read.status_code == 200, read.text
        with app.state.session_factory() as session:
            logged = session.exec(select(func.count()).select_from(AccessEntry)).one()
        assert logged == 3
    finally:
        engine.dispose()


def test_each_client_shown_in_a_page_of_clients_is_a_read(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)
    lawyer = auth_as(session, Role.lawyer)
    shown, hidden = make_client(session, last_name="Abadie"), make_client(session, last_name="Abel")
    session.commit()

    page = client.get("/api/v1/clients", params={"q": "ab", "limit": 1}, headers=lawyer)
    assert [c["id"] for c in page.json()["items"]] == [str(shown.id)]
    assert page.json()["next_cursor"] is not None

    log = client.get(f"/api/v1/clients/{shown.id}/access-log", headers=admin).json()["items"]
    assert [(e["action"], e["resource_id"]) for e in log] == [("client.list", str(shown.id))]
    # The row fetched to know that another page follows was not shown: not a read.
    assert client.get(f"/api/v1/clients/{hidden.id}/access-log",
                      headers=admin).json()["items"] == []  # fmt: skip
