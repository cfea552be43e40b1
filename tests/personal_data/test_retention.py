"""Retention: clients past their period are listed (with those kept, and why), announced once
a day, and erased only when an admin confirms; a held, pending or open file is never erased."""

import uuid
from datetime import date, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import clock
from app.auth.permissions import Role
from app.cases.stages import Stage
from app.events.models import Event
from app.personal_data import retention
from app.policy import FirmPolicy
from app.proceedings.models import Proceeding
from tests.builders import assert_problem, auth_as, make_case, make_client, make_user


def _closed(session: Session, years_ago: float, **client: str) -> tuple[str, str]:
    person = make_client(session, **client)
    case = make_case(
        session, person, stage=Stage.closed,
        closed_at=clock.now() - timedelta(days=round(365.25 * years_ago)),
    )  # fmt: skip
    return str(person.id), str(case.id)


def _closed_on(session: Session, day: date, **client: str) -> tuple[str, str]:
    person = make_client(session, **client)
    noon = datetime.combine(day, time(12), clock.PARIS)
    case = make_case(session, person, stage=Stage.closed, closed_at=noon)
    return str(person.id), str(case.id)


def test_only_what_is_due_and_not_kept_is_erased_after_confirmation(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)
    due, _ = _closed(session, 6, last_name="Ancien")
    recent, _ = _closed(session, 2, last_name="Récent")
    held, held_case = _closed(session, 7, last_name="Retenu")
    pending, pending_case = _closed(session, 6, last_name="Attente")
    # To the day, in Paris: closed five years ago today is due, a day later is not.
    today = clock.today()
    five_years_ago = today.replace(year=today.year - 5)
    on_the_day, _ = _closed_on(session, five_years_ago, last_name="Pile")
    _closed_on(session, five_years_ago + timedelta(days=1), last_name="Lendemain")
    no_case = make_client(session, last_name="Sans dossier",
                          created_at=clock.now() - timedelta(days=365 * 6))  # fmt: skip
    still_open = make_client(session, last_name="Ouvert")
    make_case(session, still_open, stage=Stage.closed, closed_at=clock.now() - timedelta(days=3000))
    make_case(session, still_open, stage=Stage.attempts)
    session.commit()
    hold = client.put(f"/api/v1/cases/{held_case}/legal-hold", json={"reason": "contentieux"},
                      headers=auth_as(session, Role.lawyer))  # fmt: skip
    assert hold.status_code == 200
    session.add(Proceeding(case_id=uuid.UUID(pending_case), tribunal_code="montreuil",
                           filed_date=clock.today() - timedelta(days=2200),
                           created_by_user_id=make_user(session).id))  # fmt: skip
    session.commit()

    listed = client.get("/api/v1/retention/due", headers=admin)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["retention_years"] == 5
    assert sorted(d["client_id"] for d in body["due"]) == sorted([due, on_the_day,
                                                                  str(no_case.id)])  # fmt: skip
    assert {d["client_id"]: d["kept_until"] for d in body["due"]}[on_the_day] == str(today)
    kept = {k["client_id"]: k["reasons"] for k in body["kept"]}
    assert set(kept) == {held, pending}
    assert any("legal hold" in r for r in kept[held])
    assert any("awaits its decision" in r for r in kept[pending])

    # The daily review announces it, once a day, without a name.
    for _ in range(2):
        assert retention.announce(session, policy=FirmPolicy()) == 3
    session.commit()
    announced = session.exec(select(Event).where(Event.type == "retention.due")).all()
    assert [e.data for e in announced] == [{"clients": 3, "kept": 2}]

    assert_problem(client.post("/api/v1/retention/runs", json={"client_ids": [due]},
                               headers=auth_as(session, Role.lawyer)), 403)  # fmt: skip
    assert_problem(client.post("/api/v1/retention/runs", json={"client_ids": []},
                               headers=admin), 422)  # fmt: skip
    run = client.post(
        "/api/v1/retention/runs",
        json={"client_ids": [due, recent, held, pending, str(still_open.id)]},
        headers=admin | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert run.status_code == 201, run.text
    assert run.json()["erased"] == [due]
    skipped = {s["client_id"]: s["reasons"] for s in run.json()["skipped"]}
    assert set(skipped) == {recent, held, pending, str(still_open.id)}
    assert any("legal hold" in r for r in skipped[held])

    for client_id, erased in ((due, True), (recent, False), (held, False), (pending, False)):
        shown = client.get(f"/api/v1/clients/{client_id}", headers=admin).json()
        assert (shown["erased_at"] is not None) is erased, shown
    trail = client.get(run.headers["Location"], headers=admin).json()["items"]
    assert [(e["action"], e["details"]["erased"]) for e in trail] == [("retention.run", 1)]
    erasures = client.get("/api/v1/audit-events", params={"resource_id": due,
                          "action": "client.erase"}, headers=admin).json()["items"]  # fmt: skip
    assert erasures[0]["details"]["reason"].startswith("retention: kept until ")
    left = client.get("/api/v1/retention/due", headers=admin).json()["due"]
    assert sorted(d["client_id"] for d in left) == sorted([on_the_day, str(no_case.id)])
