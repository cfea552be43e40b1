"""Events, the change feed and signed webhooks, against a real receiver on 127.0.0.1, a real
database with real commits, and the real worker."""

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select
from standardwebhooks import Webhook

from app import clock, wiring
from app.agenda import reminders
from app.auth.permissions import Role
from app.auth.principal import Principal
from app.clients import service as clients
from app.clients.schemas import ClientCreate
from app.config import Environment, Settings
from app.db import make_engine
from app.events.models import Event
from app.main import create_app
from app.policy import FirmPolicy
from app.webhooks import targets
from app.worker.registry import TICKS, handlers
from app.worker.runner import Worker
from tests.builders import auth, auth_as, client_payload, make_case, make_user, token_for
from tests.evidence import files


class Receiver:
    """A webhook receiver: records each POST, answers the next programmed status (200 after)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def ids(self) -> list[str]:
        return [headers["webhook-id"] for headers, _ in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hooked(real_db: Settings) -> Settings:
    """Settings on a database of its own that lets webhooks reach 127.0.0.1."""
    return real_db.model_copy(update={"webhook_allowed_networks": [ip_network("127.0.0.0/8")]})


@pytest.fixture
def factory(hooked: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(hooked.effective_database_url)
    yield wiring.session_factory(engine)
    engine.dispose()


@pytest.fixture
def api(hooked: Settings) -> Iterator[TestClient]:
    # Signatures carry the wall-clock time the standardwebhooks library checks against.
    clock.pin(datetime.now(UTC))
    with TestClient(create_app(hooked), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def admin(api: TestClient, hooked: Settings, factory: sessionmaker[Session]) -> dict[str, str]:
    # After ``api``: the token is issued on the clock it pinned.
    with factory() as session:
        user = make_user(session, role=Role.admin)
        session.commit()
        return auth(token_for(user, minutes=10 * 24 * 60, key=hooked.signing_key))


@pytest.fixture
def lawyer_headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


def _drain(worker: Worker, rounds: int = 5) -> None:
    for _ in range(rounds):
        if not worker.run_once():
            break


def _subscribe(
    api: TestClient, admin: dict[str, str], url: str, types: list[str]
) -> dict[str, Any]:
    created = api.post("/api/v1/webhooks", json={"url": url, "event_types": types}, headers=admin)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_events_arrive_signed_and_a_retry_keeps_the_webhook_id(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
) -> None:
    hook = _subscribe(api, admin, receiver.url, ["client.created"])
    receiver.statuses = [500, 503]
    created = api.post("/api/v1/clients", json=client_payload(), headers=admin)
    worker = Worker(factory, handlers(hooked), ticks=TICKS, name="w")

    _drain(worker)
    for _ in range(2):  # the retries come due
        clock.pin(clock.now() + timedelta(minutes=1))
        _drain(worker)

    assert len(receiver.received) == 3
    assert len(set(receiver.ids())) == 1
    for headers, body in receiver.received:
        event = Webhook(hook["secret"]).verify(body, headers)
        assert event["type"] == "client.created"
        assert event["data"]["resource"]["id"] == created.json()["id"]
        # Thin: no name, no free text, anywhere in what leaves the firm.
        assert "Ben Salah" not in body.decode()
    deliveries = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin).json()
    (delivery,) = deliveries["items"]
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["history"]] == [500, 503, 200]
    assert delivery["event_id"] == receiver.ids()[0]


def test_the_feed_and_the_deliveries_agree_and_replay_resends(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
) -> None:
    hook = _subscribe(api, admin, receiver.url, ["*"])
    since = clock.now().isoformat()
    person = api.post("/api/v1/clients", json=client_payload(), headers=admin).json()
    case = api.post(
        "/api/v1/cases",
        json={"client_id": person["id"], "department_code": "93", "procedure_code": "etudiant",
              "booking_channel": "anef"},
        headers=admin,
    ).json()  # fmt: skip
    api.post(
        f"/api/v1/cases/{case['id']}/attempts",
        json={"attempted_at": clock.now().isoformat(), "outcome": "no_slot"},
        headers=admin,
    )
    worker = Worker(factory, handlers(hooked), ticks=TICKS, name="w")
    _drain(worker)

    feed = api.get("/api/v1/events", headers=admin).json()
    fed = [(e["data"]["id"], e["type"]) for e in feed["items"]]
    delivered = [(json.loads(b)["data"]["id"], json.loads(b)["type"]) for _, b in receiver.received]
    assert [t for _, t in fed] == ["client.created", "case.created", "attempt.recorded"]
    assert sorted(delivered) == sorted(fed)
    assert [e["data"]["position"] for e in feed["items"]] == sorted(
        e["data"]["position"] for e in feed["items"]
    )
    assert (
        api.get(f"/api/v1/events?after={feed['next_cursor']}", headers=admin).json()["items"] == []
    )

    replayed = api.post(
        f"/api/v1/webhooks/{hook['id']}/replay", params={"since": since}, headers=admin
    )
    _drain(worker)

    assert replayed.json() == {"deliveries": 3}
    assert sorted(receiver.ids()[3:]) == sorted(receiver.ids()[:3])


def _signed(secrets: list[str], headers: dict[str, str], body: bytes) -> str:
    """The webhook-signature header these secrets give this message, in this order."""
    sent_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    return " ".join(Webhook(s).sign(headers["webhook-id"], sent_at, body.decode()) for s in secrets)


def test_a_rotated_secret_signs_beside_the_new_one_for_24_hours(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
) -> None:
    hook = _subscribe(api, admin, receiver.url, ["client.created"])
    rotated = api.post(f"/api/v1/webhooks/{hook['id']}/secret-rotations", headers=admin)
    worker = Worker(factory, handlers(hooked), ticks=TICKS, name="w")

    api.post("/api/v1/clients", json=client_payload(), headers=admin)
    _drain(worker)
    clock.pin(clock.now() + timedelta(hours=24, minutes=1))
    api.post("/api/v1/clients", json=client_payload(last_name="Durand"), headers=admin)
    _drain(worker)

    assert rotated.status_code == 200, rotated.text
    old, new = hook["secret"], rotated.json()["secret"]
    assert new != old
    (within, within_body), (after, after_body) = receiver.received
    assert within["webhook-signature"] == _signed([new, old], within, within_body)
    # A receiver switching over verifies either signature on its own.
    new_signature, old_signature = within["webhook-signature"].split(" ")
    with_new = within | {"webhook-signature": new_signature}
    with_old = within | {"webhook-signature": old_signature}
    assert Webhook(new).verify(within_body, with_new)["type"] == "client.created"
    assert Webhook(old).verify(within_body, with_old)["type"] == "client.created"
    # Past the overlap, the old secret signs nothing.
    assert after["webhook-signature"] == _signed([new], after, after_body)


class RebindingResolver:
    """``name`` answers the queued addresses one lookup each, then ``rebound`` (a DNS server
    with a zero TTL that changes its answer after the check); other hosts resolve for real."""

    def __init__(self, name: str, rebound: str) -> None:
        self.name, self.rebound = name, rebound
        self.queued: list[str] = []
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = self.queued.pop(0) if self.queued else self.rebound
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]


def test_a_delivery_connects_to_the_address_it_checked(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The name's next answer points at another listener on the same port.
    elsewhere = Receiver(host="127.0.0.2", port=receiver.port)
    elsewhere.thread.start()
    dns = RebindingResolver("dms.cabinet-lefevre.test", rebound="127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    try:
        dns.queued = ["127.0.0.1"]  # the check when subscribing
        hook = _subscribe(
            api, admin, f"http://dms.cabinet-lefevre.test:{receiver.port}/hooks", ["*"]
        )
        api.post("/api/v1/clients", json=client_payload(), headers=admin)
        dns.queued = ["127.0.0.1"]  # the check before sending
        _drain(Worker(factory, handlers(hooked), ticks=TICKS, name="w"))
    finally:
        elsewhere.server.shutdown()
        elsewhere.server.server_close()

    assert elsewhere.received == []
    ((headers, body),) = receiver.received
    assert headers["host"] == f"dms.cabinet-lefevre.test:{receiver.port}"
    assert Webhook(hook["secret"]).verify(body, headers)["type"] == "client.created"
    (delivery,) = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin).json()[
        "items"
    ]
    assert (delivery["status"], [a["status_code"] for a in delivery["history"]]) == (
        "succeeded",
        [200],
    )


def test_a_disabled_subscription_receives_nothing(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
) -> None:
    hook = _subscribe(api, admin, receiver.url, ["client.created"])
    api.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False}, headers=admin)

    api.post("/api/v1/clients", json=client_payload(), headers=admin)
    _drain(Worker(factory, handlers(hooked), ticks=TICKS, name="w"))

    assert receiver.received == []


def test_a_receiver_that_keeps_failing_is_given_up_then_disabled(
    api: TestClient,
    admin: dict[str, str],
    receiver: Receiver,
    factory: sessionmaker[Session],
    hooked: Settings,
) -> None:
    hooked = hooked.model_copy(
        update={"policy": hooked.policy.model_copy(update={"webhook_disable_after": 1})}
    )
    hook = _subscribe(api, admin, receiver.url, ["client.created"])
    receiver.statuses = [500] * 100
    api.post("/api/v1/clients", json=client_payload(), headers=admin)
    worker = Worker(factory, handlers(hooked), ticks=TICKS, name="w")

    _drain(worker)
    for _ in range(12):  # three days of retries, half a day at a time
        clock.pin(clock.now() + timedelta(hours=12))
        _drain(worker)

    read = api.get(f"/api/v1/webhooks/{hook['id']}", headers=admin).json()
    (delivery,) = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin).json()[
        "items"
    ]
    assert delivery["status"] == "failed"
    assert 5 <= delivery["attempts"] <= 12
    assert read["active"] is False
    assert "could not be delivered" in read["disabled_reason"]


def test_a_rolled_back_change_leaves_no_event(
    factory: sessionmaker[Session], hooked: Settings
) -> None:
    with factory() as session:
        user = make_user(session, role=Role.lawyer)
        actor = Principal(user_id=user.id, role=user.role)
        session.commit()
        before = len(session.exec(select(Event)).all())
        clients.create_client(
            session, actor=actor, data=ClientCreate.model_validate(client_payload())
        )
        session.flush()
        assert len(session.exec(select(Event)).all()) == before + 1  # written with the change
        session.rollback()
        assert len(session.exec(select(Event)).all()) == before


def test_private_targets_are_refused(api: TestClient, admin: dict[str, str]) -> None:
    for url in ("http://169.254.169.254/latest", "http://10.1.2.3/hook", "http://[::1]/x"):
        refused = api.post(
            "/api/v1/webhooks", json={"url": url, "event_types": ["*"]}, headers=admin
        )
        assert refused.status_code == 422, url
        assert refused.json()["type"].endswith("/webhook-target-refused")
    with pytest.raises(targets.TargetRefused, match="https"):
        targets.resolve("http://example.org/hook", https_only=True, allowed=[])


def test_production_settings_refuse_plain_http(hooked: Settings) -> None:
    production = hooked.model_copy(update={"env": Environment.production})
    from app.webhooks.delivery import check_target

    with pytest.raises(targets.TargetRefused):
        check_target(production, "http://127.0.0.1:9/hook")


def test_the_feed_names_each_change_by_type_and_filters(
    client: TestClient, session: Session, lawyer_headers: dict[str, str]
) -> None:
    headers = lawyer_headers
    case = make_case(session)
    other = make_case(session)
    base = f"/api/v1/cases/{case.id}"
    start = client.get("/api/v1/events", headers=headers).json()["next_cursor"]
    upload = client.post(
        f"{base}/evidence",
        data={"kind": "screenshot"},
        files={"file": ("capture.png", files.png(), "image/png")},
        headers=headers,
    ).json()
    client.post(f"/api/v1/evidence/{upload['id']}/withdrawal", json={"reason": "doublon"},
                headers=headers)  # fmt: skip
    document = client.post(
        f"{base}/documents", json={"kind": "exhibit_inventory"}, headers=headers
    ).json()
    email = {"channel": "email", "sent_date": "2026-11-02", "recipient": "x", "summary": "-"}
    client.post(f"/api/v1/cases/{other.id}/contacts", headers=headers, json=email)

    mine = client.get(
        "/api/v1/events", params={"after": start, "case_id": str(case.id)}, headers=headers
    ).json()["items"]
    docs = client.get(
        "/api/v1/events", params={"after": start, "types": "document.generated"}, headers=headers
    ).json()["items"]

    assert [e["type"] for e in mine] == [
        "evidence.added", "evidence.withdrawn", "document.generated",
    ]  # fmt: skip
    (generated,) = docs
    assert generated["data"]["facts"]["sha256"] == document["sha256"]
    assert generated["data"]["facts"]["download_url"].endswith(
        f"/api/v1/documents/{document['id']}/content"
    )
    assert generated["data"]["resource"]["url"].endswith(f"/api/v1/documents/{document['id']}")


def test_a_deadline_reminder_is_emitted_once(
    client: TestClient, session: Session, lawyer_headers: dict[str, str]
) -> None:
    case = make_case(session)
    policy = FirmPolicy()
    delivered = clock.today() - timedelta(days=policy.response_wait_days - 2)
    letter = {
        "channel": "registered_letter",
        "sent_date": (delivered - timedelta(days=2)).isoformat(),
        "delivered_date": delivered.isoformat(),
        "recipient": "Préfecture",
        "summary": "-",
    }
    client.post(f"/api/v1/cases/{case.id}/contacts", headers=lawyer_headers, json=letter)

    first = reminders.remind_deadlines(session, policy=policy)
    again = reminders.remind_deadlines(session, policy=policy)
    recorded = session.exec(select(Event).where(Event.type == "deadline.due_soon")).all()

    assert (first, again) == (1, 0)
    (reminder,) = recorded
    assert reminder.case_id == case.id
    assert reminder.data["kind"] == "response_due"
    assert reminder.data["days_left"] == 2
