"""Verdicts that match what the attempt says, and a person who closes the question: the
worker reads real captures with Tesseract, a paralegal checks one, readiness follows."""

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import clock
from app.auth.models import User
from app.auth.permissions import Role
from app.config import Settings
from app.worker.registry import TICKS, handlers
from app.worker.runner import Worker
from tests.builders import assert_problem, auth, make_case, make_user, token_for
from tests.evidence.reading import screens
from tests.evidence.reading.uploads import upload_capture

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="Tesseract is not installed here (CI installs it and never skips)",
)


def _firm(factory: sessionmaker[Session], real_db: Settings) -> tuple[str, dict[str, str]]:
    with factory() as session:
        paralegal = make_user(session, role=Role.paralegal)
        case_id = str(make_case(session, department_code="93").id)
        session.commit()
        return case_id, auth(token_for(paralegal, minutes=60, key=real_db.signing_key))


def _attempt(api: TestClient, headers: dict[str, str], case_id: str, at: str, outcome: str) -> str:
    body = {"attempted_at": f"{clock.today().isoformat()}T{at}:00+01:00", "outcome": outcome}
    made = api.post(f"/api/v1/cases/{case_id}/attempts", headers=headers, json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _capture_criterion(api: TestClient, headers: dict[str, str], case_id: str) -> dict[str, object]:
    readiness = api.get(f"/api/v1/cases/{case_id}/readiness", headers=headers).json()
    referé = next(t for t in readiness["targets"] if t["stage"] == "interim_relief")
    found: dict[str, object] = next(
        c for c in referé["criteria"] if c["code"] == "capture_consistency"
    )
    return found


def test_a_503_page_confirms_an_error_attempt_and_a_refusal_does_not(
    api: TestClient, factory: sessionmaker[Session], real_db: Settings
) -> None:
    case_id, headers = _firm(factory, real_db)
    error = _attempt(api, headers, case_id, "08:05", "error")
    wrong = _attempt(api, headers, case_id, "08:40", "error")
    page_503 = screens.phone(
        "08:05", "503 Service Unavailable", url="www.seine-saint-denis.gouv.fr"
    )
    shown = upload_capture(api, headers, case_id, page_503, error)
    refused = upload_capture(api, headers, case_id, screens.phone("08:40"), wrong)
    Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()

    read = {e: api.get(f"/api/v1/evidence/{e}", headers=headers).json()["reading"]
            for e in (shown, refused)}  # fmt: skip

    assert (read[shown]["verdict"], read[shown]["sign"]) == (
        "consistent",
        "503 service unavailable",
    )
    assert read[shown]["time_difference_minutes"] == 0
    # A refusal message does not show that the site failed with an error.
    assert (read[refused]["verdict"], read[refused]["sign"]) == ("no_refusal_message", None)


def test_a_capture_checked_by_eye_changes_readiness_and_leaves_the_queue(
    api: TestClient, factory: sessionmaker[Session], real_db: Settings
) -> None:
    case_id, headers = _firm(factory, real_db)
    good = _attempt(api, headers, case_id, "09:14", "no_slot")
    late = _attempt(api, headers, case_id, "09:30", "no_slot")
    upload_capture(api, headers, case_id, screens.phone("09:12"), good)
    misread = upload_capture(api, headers, case_id, screens.phone("11:12"), late)
    Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()
    before = _capture_criterion(api, headers, case_id)
    queued = api.get(
        "/api/v1/review-queue/captures", params={"verdict": "time_mismatch"}, headers=headers
    ).json()["items"]

    no_such_time = {"time_seen": "25:00", "shows_outcome": True, "reason": "vu sur la capture"}
    bad_time = api.post(
        f"/api/v1/evidence/{misread}/reading-checks", headers=headers, json=no_such_time
    )
    checked = api.post(
        f"/api/v1/evidence/{misread}/reading-checks",
        headers=headers,
        json={"time_seen": "09:31", "shows_outcome": True,
              "reason": "L'horloge de la barre d'état affiche 09:31 ; l'OCR a lu 11:12."},
    )  # fmt: skip
    after = _capture_criterion(api, headers, case_id)
    queued_after = api.get("/api/v1/review-queue/captures", headers=headers).json()["items"]
    listed = api.get(f"/api/v1/cases/{case_id}/evidence", params={"verdict": "consistent"},
                     headers=headers).json()["items"]  # fmt: skip
    admin = auth(token_for(_admin(factory), key=real_db.signing_key))
    trail = api.get("/api/v1/audit-events", params={"resource_id": misread}, headers=admin).json()

    assert (before["value"], before["passed"]) == (0.5, False)
    assert [q["evidence_id"] for q in queued] == [misread]
    assert queued[0]["time_difference_minutes"] == 102
    assert_problem(bad_time, 422)
    assert checked.status_code == 200, checked.text
    reading = checked.json()["reading"]
    assert (reading["verdict"], reading["final_verdict"]) == ("time_mismatch", "consistent")
    assert reading["check"]["time_seen"] == "09:31"
    assert reading["check"]["difference_minutes"] == 1
    assert (after["value"], after["passed"]) == (1.0, True)
    assert queued_after == []
    assert misread in [e["id"] for e in listed]
    (event,) = [e for e in trail["items"] if e["action"] == "evidence.reading_check"]
    assert event["details"] == {"ocr_verdict": "time_mismatch", "verdict": "consistent"}


def test_a_capture_with_no_attempt_cannot_be_checked(
    api: TestClient, factory: sessionmaker[Session], real_db: Settings
) -> None:
    case_id, headers = _firm(factory, real_db)
    loose = upload_capture(api, headers, case_id, screens.phone("21:47"), None)
    Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()

    seen = {"time_seen": "21:47", "shows_outcome": True, "reason": "vu sur la capture"}
    refused = api.post(f"/api/v1/evidence/{loose}/reading-checks", headers=headers, json=seen)

    assert_problem(refused, 409, "reading-not-checkable")


def _admin(factory: sessionmaker[Session]) -> User:
    with factory() as session:
        admin = make_user(session, role=Role.admin)
        session.commit()
        return admin


CORPUS = Path(__file__).parent / "corpus" / "captures"


def test_a_dark_taskbar_clock_three_hours_off_its_attempt_is_inconsistent_by_180_minutes(
    api: TestClient, factory: sessionmaker[Session], real_db: Settings
) -> None:
    # The corpus capture's attempt (29 November 2026, 9 h 48 in Paris): its Windows 10 dark
    # taskbar shows 12:48 on the same day.
    with clock.pinned(datetime(2026, 12, 4, 12, 0, tzinfo=clock.PARIS)):
        case_id, headers = _firm(factory, real_db)
        body = {"attempted_at": "2026-11-29T09:48:00+01:00", "outcome": "no_slot"}
        attempt = api.post(f"/api/v1/cases/{case_id}/attempts", headers=headers, json=body)
        capture = (CORPUS / "26-desktop_dark-win10-100-fr-3h-off.png").read_bytes()
        evidence = upload_capture(api, headers, case_id, capture, attempt.json()["id"])
        Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()

        reading = api.get(f"/api/v1/evidence/{evidence}", headers=headers).json()["reading"]
        criterion = _capture_criterion(api, headers, case_id)

    assert (reading["verdict"], reading["time_difference_minutes"]) == ("time_mismatch", 180)
    assert "12:48" in reading["visible_times"]
    assert "2026-11-29" in reading["visible_dates"]
    assert "(l'horloge affichée a 3\u00a0h d'avance)" in str(criterion["explanation"])
    assert criterion["passed"] is False
