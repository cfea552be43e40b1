"""The client's page in a real headless Chromium (Playwright driving Debian's `chromium`), on
a phone-sized screen. Screenshots of each state go to $CRENEAU_SCREENSHOTS when set (that is
how docs/img/ is refreshed), else to the test's temporary directory."""

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.auth.permissions import Role
from app.client_links import page as client_page
from tests.builders import auth_as, make_case
from tests.evidence import files

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}  # fmt: skip

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed here (CI installs it and never skips)",
)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CRENEAU_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    client_page._limiter.storage.reset()


@pytest.fixture
def lawyer(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


def _link(client: TestClient, case_id: Any, headers: dict[str, str], **body: Any) -> str:
    created = client.post(f"/api/v1/cases/{case_id}/upload-links", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return "/u/" + str(created.json()["url"]).rsplit("/u/", 1)[1]


def _captures(tmp_path: Path) -> list[str]:
    paths = []
    for n, color in enumerate(("white", "lightgrey")):
        path = tmp_path / f"capture-{n + 1}.png"
        path.write_bytes(files.png(color=color))
        paths.append(str(path))
    return paths


def test_a_client_sends_two_captures_from_a_phone_and_the_firm_accepts_one(
    browser: Any,
    live_server: str,
    client: TestClient,
    session: Session,
    lawyer: dict[str, str],
    shots: Path,
    tmp_path: Path,
) -> None:
    case = make_case(session)
    path = _link(client, case.id, lawyer, note="Envoyez chaque capture le jour même.")
    phone = browser.new_context(**PHONE, locale="fr-FR")
    tab = phone.new_page()

    tab.goto(live_server + path)
    assert tab.locator("html").get_attribute("dir") == "ltr"
    assert tab.get_by_role("heading", level=1).inner_text() == (
        "Envoyez vos tentatives de rendez-vous"
    )
    tab.screenshot(path=str(shots / "client-link-fr.png"), full_page=True)

    tab.get_by_label("Captures de la tentative échouée").set_input_files(_captures(tmp_path))
    tab.get_by_label("Heure", exact=True).fill("07:05")
    tab.get_by_label("Aucune plage horaire libre").check()
    tab.get_by_role("button", name="Envoyer").click()
    tab.wait_for_url("**/received?lang=fr")
    received = tab.locator("ul.received").inner_text()
    assert "capture-1.png" in received
    assert "capture-2.png" in received
    assert "2 fichiers" in received
    tab.screenshot(path=str(shots / "client-link-received.png"), full_page=True)

    base = f"/api/v1/cases/{case.id}"
    (attempt,) = client.get(f"{base}/attempts", headers=lawyer).json()["items"]
    assert attempt["review_status"] == "submitted"
    assert attempt["attempted_at"].endswith("06:05:00Z")  # 07:05 in Paris, in winter

    def attempts_counted() -> int:
        readiness = client.get(f"{base}/readiness", headers=lawyer).json()
        target = next(t for t in readiness["targets"] if t["stage"] == "prefecture_contact")
        return int(next(c for c in target["criteria"] if c["code"] == "attempt_count")["value"])

    assert attempts_counted() == 0
    client.post(f"{base}/attempts/{attempt['id']}/review", json={"decision": "accepted"},
                headers=lawyer)  # fmt: skip
    assert attempts_counted() == 1
    phone.close()


def test_the_page_reads_right_to_left_in_arabic(
    browser: Any,
    live_server: str,
    client: TestClient,
    session: Session,
    lawyer: dict[str, str],
    shots: Path,
) -> None:
    path = _link(client, make_case(session).id, lawyer, language="ar")
    phone = browser.new_context(**PHONE, locale="ar")
    tab = phone.new_page()

    tab.goto(live_server + path)

    assert tab.locator("html").get_attribute("dir") == "rtl"
    assert tab.locator("html").get_attribute("lang") == "ar"
    assert tab.get_by_role("button", name="إرسال").is_visible()
    # Laid out from the right: the language menu, aligned to the end, sits on the left.
    assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
    menu = tab.locator("nav.languages").bounding_box()
    last = tab.locator("nav.languages a").last.bounding_box()
    assert menu is not None
    assert last is not None
    assert last["x"] + last["width"] < menu["x"] + menu["width"] / 2
    tab.screenshot(path=str(shots / "client-link-ar.png"), full_page=True)
    phone.close()


def test_the_page_works_with_javascript_off(
    browser: Any,
    live_server: str,
    client: TestClient,
    session: Session,
    lawyer: dict[str, str],
    tmp_path: Path,
) -> None:
    case = make_case(session)
    path = _link(client, case.id, lawyer, language="en")
    phone = browser.new_context(**PHONE, java_script_enabled=False)
    tab = phone.new_page()

    tab.goto(live_server + path)
    tab.get_by_label("Captures of the failed attempt").set_input_files(_captures(tmp_path)[:1])
    tab.get_by_role("button", name="Send").click()
    tab.wait_for_url("**/received?lang=en")

    assert "1 file" in tab.locator("ul.received").inner_text()
    attempts = client.get(f"/api/v1/cases/{case.id}/attempts", headers=lawyer).json()["items"]
    assert len(attempts) == 1
    phone.close()


def test_an_expired_link_shows_a_clear_page(
    browser: Any,
    live_server: str,
    client: TestClient,
    session: Session,
    lawyer: dict[str, str],
    shots: Path,
) -> None:
    path = _link(client, make_case(session).id, lawyer, expires_in_days=1)
    clock.pin(clock.now() + timedelta(days=2))
    phone = browser.new_context(**PHONE)
    tab = phone.new_page()

    response = tab.goto(live_server + path)

    assert response is not None
    assert response.status == 410
    assert tab.get_by_role("heading", level=1).inner_text() == "Ce lien ne fonctionne plus"
    tab.screenshot(path=str(shots / "client-link-gone.png"), full_page=True)
    phone.close()


def test_a_photo_with_its_time_prefills_the_attempt_time(
    browser: Any,
    live_server: str,
    client: TestClient,
    session: Session,
    lawyer: dict[str, str],
    tmp_path: Path,
) -> None:
    path = _link(client, make_case(session).id, lawyer)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(files.jpeg_with_exif(taken="2026:11:16 07:42:10"))
    phone = browser.new_context(**PHONE)
    tab = phone.new_page()
    tab.goto(live_server + path)

    tab.get_by_label("Captures de la tentative échouée").set_input_files(str(photo))

    tab.wait_for_function("document.getElementById('attempt_time').value === '07:42'")
    assert tab.get_by_label("Date de la tentative").input_value() == "2026-11-16"
    phone.close()
