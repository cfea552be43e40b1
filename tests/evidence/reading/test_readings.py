"""Screenshots read by Tesseract in the worker, as lawyers see the result: on the evidence,
as a filter, and as a readiness criterion. Real engine, real worker, real commits."""

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from app import clock, french
from app.auth.permissions import Role
from app.config import Settings
from app.evidence.reading import ocr, parse
from app.worker.registry import TICKS, handlers
from app.worker.runner import Worker
from tests.builders import auth, make_case, make_user, token_for
from tests.evidence.reading import screens
from tests.evidence.reading.uploads import upload_capture

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="Tesseract is not installed here (CI installs it and never skips)",
)


def test_the_engine_is_there_with_french() -> None:
    engine = ocr.engine()

    assert engine is not None
    assert engine.startswith("tesseract ")


@pytest.mark.parametrize(
    ("name", "image", "times", "message"),
    [
        ("phone", lambda: screens.phone("09:12"), ["09:12"], True),
        ("phone, noisy JPEG", lambda: screens.phone("09:12", noise=True, jpeg=True), ["09:12"],
         True),
        ("phone without clock", lambda: screens.phone(None), [], True),
        ("desktop, noisy JPEG", lambda: screens.desktop("14:03", noise=True, jpeg=True),
         ["14:03"], True),
        ("unrelated", screens.unrelated, [], False),
    ],
)  # fmt: skip
def test_drawn_screenshots_read(name: str, image: Any, times: list[str], message: bool) -> None:
    text = ocr.read_text(image())

    assert parse.times(text) == times, (name, text)
    assert (parse.refusal(text, [screens.MESSAGE]) is not None) is message, (name, text)


@pytest.mark.parametrize(
    ("name", "image", "time", "day"),
    [
        ("dark taskbar", lambda: screens.taskbar("09:12", "02/12/2026"), "09:12", "2026-12-02"),
        ("dark taskbar, JPEG", lambda: screens.taskbar("13:40", "26/11/2026", jpeg=True),
         "13:40", "2026-11-26"),
        ("light taskbar", lambda: screens.taskbar("08:57", "28/11/2026", dark=False), "08:57",
         "2026-11-28"),
        ("right to left, the clock at the left", lambda: screens.taskbar(
            "16:09", "02-12-2026", mirrored=True), "16:09", "2026-12-02"),
        ("United States", lambda: screens.taskbar("9:12 AM", "12/2/2026", size=(1920, 1080)),
         "09:12", "2026-12-02"),
        ("macOS menu bar", screens.menu_bar, "09:12", "2026-12-02"),
        ("photo of a desktop", lambda: screens.photographed(screens.desktop("14:03")), "14:03",
         "2026-11-16"),
    ],
)  # fmt: skip
def test_clocks_are_read_where_screens_put_them(name: str, image: Any, time: str, day: str) -> None:
    read = ocr.read(image())
    text = str(read)

    assert time in parse.times(text), (name, read.strips)
    assert day in parse.dates(text, today=date(2026, 12, 4)), (name, read.strips)
    assert parse.refusal(text, [screens.MESSAGE]) is not None, (name, read.page)
    assert read.photo is name.startswith("photo")


def test_a_photo_of_a_taskbar_is_read_within_a_minute() -> None:
    read = ocr.read(screens.photographed(screens.taskbar("20:21", "02/12/2026")))

    assert read.photo
    assert any(abs(int(t[3:]) - 21) <= 1 for t in parse.times(str(read)) if t[:2] == "20")


@pytest.mark.parametrize(
    ("sample", "time", "day", "site", "known"),
    [
        ("phone-0912.jpg", "09:12", None, "rdv-prefecture.interieur.gouv.fr", screens.MESSAGE),
        ("desktop-1403.png", "14:03", "2026-11-16", "www.rdv-prefecture.interieur.gouv.fr",
         screens.MESSAGE),
        ("phone-anef.png", "21:47", None,
         "administration-etrangers-en-france.interieur.gouv.fr",
         "Aucun créneau n'est disponible pour le moment"),
    ],
)  # fmt: skip
def test_committed_samples_read(
    sample: str, time: str, day: str | None, site: str, known: str
) -> None:
    text = ocr.read_text((SAMPLES / sample).read_bytes())

    assert time in parse.times(text)
    assert day is None or day in parse.dates(text)
    assert parse.site(text) == site
    assert parse.refusal(text, [known, screens.MESSAGE]) == known


def test_each_capture_is_read_and_judged_against_its_attempt(
    api: TestClient, factory: sessionmaker[Session], real_db: Settings
) -> None:
    with factory() as session:
        lawyer = make_user(session, role=Role.lawyer)
        case_id = str(make_case(session, department_code="93").id)
        session.commit()
        headers = auth(token_for(lawyer, minutes=60, key=real_db.signing_key))
    today = clock.today().isoformat()

    def attempt(at: str) -> str:
        body = {"attempted_at": f"{today}T{at}:00+01:00", "outcome": "no_slot"}
        made = api.post(f"/api/v1/cases/{case_id}/attempts", headers=headers, json=body)
        return str(made.json()["id"])

    good = upload_capture(api, headers, case_id, screens.phone("09:12"), attempt("09:14"))
    late = upload_capture(api, headers, case_id, screens.phone("11:12"), attempt("09:30"))
    loose = upload_capture(api, headers, case_id, screens.phone("21:47"), None)
    Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()

    read = {e: api.get(f"/api/v1/evidence/{e}", headers=headers).json()["reading"]
            for e in (good, late, loose)}  # fmt: skip
    mismatched = api.get(f"/api/v1/cases/{case_id}/evidence",
                         params={"verdict": "time_mismatch"}, headers=headers).json()  # fmt: skip
    readiness = api.get(f"/api/v1/cases/{case_id}/readiness", headers=headers).json()

    assert read[good]["status"] == "done"
    assert read[good]["verdict"] == "consistent"
    assert read[good]["visible_times"] == ["09:12"]
    assert read[good]["refusal_message"].startswith("Il n'existe plus de plage horaire libre")
    assert read[good]["site"] == "rdv-prefecture.interieur.gouv.fr"
    assert read[good]["engine"].startswith("tesseract")
    assert read[good]["sign"] == read[good]["refusal_message"]
    assert read[good]["time_difference_minutes"] == -2
    assert read[late]["verdict"] == "time_mismatch"
    assert read[late]["time_difference_minutes"] == 102  # 11:12 shown for 09:30
    assert read[loose]["verdict"] is None
    assert read[loose]["proposal"] == {"date": today, "time": "21:47", "outcome": "no_slot"}
    assert [e["id"] for e in mismatched["items"]] == [late]
    referé = next(t for t in readiness["targets"] if t["stage"] == "interim_relief")
    criterion = next(c for c in referé["criteria"] if c["code"] == "capture_consistency")
    assert criterion["value"] == 0.5
    assert criterion["passed"] is False
    assert (
        f"capture de la tentative du {french.format_date(clock.today())} à 9\u00a0h\u00a030 "
        "(l'horloge affichée a 1\u00a0h\u00a042 d'avance)"
    ) in criterion["explanation"]


def test_without_tesseract_readings_say_unavailable_and_uploads_still_work(
    api: TestClient,
    factory: sessionmaker[Session],
    real_db: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pytesseract  # type: ignore[import-untyped]

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.engine.cache_clear()
    try:
        with factory() as session:
            lawyer = make_user(session, role=Role.lawyer)
            case_id = str(make_case(session).id)
            session.commit()
            headers = auth(token_for(lawyer, minutes=60, key=real_db.signing_key))
        evidence = upload_capture(api, headers, case_id, screens.phone("09:12"), None)
        Worker(factory, handlers(real_db), ticks=TICKS, name="w").run_once()
        reading = api.get(f"/api/v1/evidence/{evidence}", headers=headers).json()["reading"]
    finally:
        ocr.engine.cache_clear()

    assert reading["status"] == "unavailable"
    assert "not installed" in reading["error"]
