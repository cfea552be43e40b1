"""Client upload links through the API and the public page (HTTP, no browser)."""

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.auth.permissions import Role
from app.client_links import page
from tests.builders import assert_problem, auth_as, make_case
from tests.evidence import files


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return auth_as(session, Role.lawyer)


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    page._limiter.storage.reset()


def _link(client: TestClient, case_id: Any, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    created = client.post(f"/api/v1/cases/{case_id}/upload-links", json=body, headers=headers)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


def _path(link: dict[str, Any]) -> str:
    return "/u/" + str(link["url"]).rsplit("/u/", 1)[1]


def _send(client: TestClient, path: str, *images: bytes, when: str = "09:12") -> Any:
    form = client.get(path)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    day = clock.today().isoformat()
    return client.post(
        path,
        data={"csrf": csrf.group(1), "attempt_date": day, "attempt_time": when,
              "outcome": "no_slot"},
        files=[("files", (f"capture-{n}.png", im, "image/png")) for n, im in enumerate(images)],
        follow_redirects=False,
    )  # fmt: skip


def test_a_client_sends_two_captures_which_wait_for_review(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    link = _link(client, case.id, headers, language="fr", note="Merci !")
    path = _path(link)

    page_fr = client.get(path)
    sent = _send(client, path, files.png(color="white"), files.png(color="black"), when="07:05")
    thanks = client.get(sent.headers["location"])
    attempts = client.get(f"/api/v1/cases/{case.id}/attempts", headers=headers).json()["items"]
    submissions = client.get(
        f"/api/v1/cases/{case.id}/upload-links/{link['id']}/submissions", headers=headers
    ).json()["items"]

    assert link["url"].startswith("http://127.0.0.1:8000/u/crnu_")
    assert page_fr.status_code == 200
    assert 'lang="fr" dir="ltr"' in page_fr.text
    assert "Envoyez vos tentatives de rendez-vous" in page_fr.text
    assert "Merci !" in page_fr.text
    assert "Content-Security-Policy" in page_fr.headers
    assert "Ben Salah" not in page_fr.text  # no personal data on the page
    assert sent.status_code == 303
    assert "capture-0.png" in thanks.text
    assert "2 fichiers" in thanks.text
    (attempt,) = attempts
    assert (attempt["source"], attempt["review_status"]) == ("client_link", "submitted")
    assert attempt["upload_link_id"] == link["id"]
    (submission,) = submissions
    assert [f["review_status"] for f in submission["files"]] == ["submitted", "submitted"]


def test_only_accepted_submissions_count_for_readiness(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    path = _path(_link(client, case.id, headers))
    _send(client, path, files.png(), when="08:00")
    _send(client, path, files.png(color="black"), when="09:00")
    url = f"/api/v1/cases/{case.id}"

    def counted() -> int:
        readiness = client.get(f"{url}/readiness", headers=headers).json()
        target = next(t for t in readiness["targets"] if t["stage"] == "prefecture_contact")
        attempts = next(c for c in target["criteria"] if c["code"] == "attempt_count")
        return int(attempts["value"])

    before = counted()
    first, second = client.get(f"{url}/attempts", headers=headers).json()["items"]
    accepted = client.post(f"{url}/attempts/{first['id']}/review",
                           json={"decision": "accepted"}, headers=headers)  # fmt: skip
    refused = client.post(f"{url}/attempts/{second['id']}/review",
                          json={"decision": "rejected"}, headers=headers)  # fmt: skip
    rejected = client.post(f"{url}/attempts/{second['id']}/review",
                           json={"decision": "rejected", "reason": "capture floue"},
                           headers=headers)  # fmt: skip
    exhibits = client.get(f"{url}/exhibits", headers=headers).json()["exhibits"]

    assert before == 0
    assert accepted.json()["review_status"] == "accepted"
    assert refused.status_code == 422  # a rejection says why
    assert rejected.json()["review_reason"] == "capture floue"
    assert counted() == 1
    assert len([e for e in exhibits if e["kind"] == "screenshot"]) == 1


def test_a_token_opens_its_own_case_only(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case_a, case_b = make_case(session), make_case(session)
    link_a = _link(client, case_a.id, headers)
    _send(client, _path(link_a), files.png())

    other = client.get(f"/api/v1/cases/{case_b.id}/upload-links/{link_a['id']}", headers=headers)
    b_attempts = client.get(f"/api/v1/cases/{case_b.id}/attempts", headers=headers).json()
    a_attempts = client.get(f"/api/v1/cases/{case_a.id}/attempts", headers=headers).json()

    assert_problem(other, 404, "upload-link-not-found")
    assert b_attempts["items"] == []
    assert len(a_attempts["items"]) == 1
    # The token is no credential for the API.
    token = _path(link_a).removeprefix("/u/")
    assert_problem(client.get(f"/api/v1/cases/{case_a.id}",
                              headers={"Authorization": f"Bearer {token}"}), 401)  # fmt: skip


def test_a_revoked_or_expired_link_answers_410_at_once(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    revoked, expiring = _link(client, case.id, headers), _link(client, case.id, headers)
    assert client.get(_path(revoked)).status_code == 200

    client.delete(f"/api/v1/cases/{case.id}/upload-links/{revoked['id']}", headers=headers)
    clock.pin(clock.now() + timedelta(days=31))

    for link in (revoked, expiring):
        gone = client.get(_path(link))
        assert gone.status_code == 410
        assert "Ce lien ne fonctionne plus" in gone.text
    assert client.get("/u/crnu_0000000000000000_nothing").status_code == 404


def test_the_daily_cap_and_the_rate_limits_answer_429(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    path = _path(_link(client, case.id, headers, daily_cap=2))

    first = _send(client, path, files.png(), files.png(color="black"), when="08:00")
    capped = _send(client, path, files.png(color="red"), when="08:30")
    assert first.status_code == 303
    assert capped.status_code == 429
    assert int(capped.headers["retry-after"]) > 0

    page._limiter.storage.reset()
    statuses = [client.get(path).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def test_a_refused_file_or_a_wrong_form_keeps_nothing_and_says_why(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    path = _path(_link(client, case.id, headers, language="en"))

    not_an_image = _send(client, path, files.text())
    one_bad_of_two = _send(client, path, files.png(), files.text())
    in_the_future = _send(client, path, files.png(), when="23:59")

    assert not_an_image.status_code == 415
    assert "The file « capture-0.png » was refused" in not_an_image.text
    assert one_bad_of_two.status_code == 415
    assert "The file « … » was refused" in one_bad_of_two.text
    assert in_the_future.status_code == 422
    assert "The attempt cannot be in the future." in in_the_future.text
    assert client.get(f"/api/v1/cases/{case.id}/attempts", headers=headers).json()["items"] == []
    assert client.get(f"/api/v1/cases/{case.id}/evidence", headers=headers).json()["items"] == []


def test_a_form_without_its_csrf_cookie_is_refused(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    path = _path(_link(client, case.id, headers))
    client.cookies.clear()

    forged = client.post(
        path,
        data={"csrf": "forged", "attempt_date": "2026-11-17", "attempt_time": "09:00",
              "outcome": "no_slot"},
        files=[("files", ("x.png", files.png(), "image/png"))],
    )  # fmt: skip

    assert forged.status_code == 403
    assert client.get(f"/api/v1/cases/{case.id}/attempts", headers=headers).json()["items"] == []


def test_the_page_speaks_arabic_right_to_left(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    path = _path(_link(client, case.id, headers, language="ar"))

    arabic = client.get(path)
    english = client.get(path, params={"lang": "en"})

    assert 'lang="ar" dir="rtl"' in arabic.text
    assert "أرسل محاولات حجز الموعد" in arabic.text
    assert "Send your booking attempts" in english.text


def test_a_rejected_submission_is_reopened_and_waits_in_the_firms_queue(
    client: TestClient, session: Session, headers: dict[str, str]
) -> None:
    case = make_case(session)
    other = make_case(session, department_code="75")
    path = _path(_link(client, case.id, headers))
    _send(client, path, files.png(), when="08:00")
    _send(client, _path(_link(client, other.id, headers)), files.png(color="black"))
    url = f"/api/v1/cases/{case.id}"
    (attempt,) = client.get(f"{url}/attempts", headers=headers).json()["items"]
    queued_before = client.get(
        "/api/v1/review-queue/submissions", params={"department_code": "93"}, headers=headers
    ).json()["items"]
    rejection = {"decision": "rejected", "reason": "capture floue"}
    client.post(f"{url}/attempts/{attempt['id']}/review", json=rejection, headers=headers)
    queued_rejected = client.get(
        "/api/v1/review-queue/submissions", params={"department_code": "93"}, headers=headers
    ).json()["items"]

    reopened = client.post(f"{url}/attempts/{attempt['id']}/reopening", headers=headers)
    again = client.post(f"{url}/attempts/{attempt['id']}/reopening", headers=headers)
    queued_after = client.get(
        "/api/v1/review-queue/submissions", params={"department_code": "93"}, headers=headers
    ).json()["items"]
    submissions = client.get(f"{url}/upload-links", headers=headers).json()["items"]
    files_after = client.get(
        f"{url}/upload-links/{submissions[0]['id']}/submissions", headers=headers
    ).json()["items"][0]["files"]

    assert [q["attempt_id"] for q in queued_before] == [attempt["id"]]
    assert queued_before[0]["case_reference"] == case.reference
    assert [f["original_filename"] for f in queued_before[0]["files"]] == ["capture-0.png"]
    assert queued_rejected == []
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["review_status"], reopened.json()["review_reason"]) == (
        "submitted",
        None,
    )
    assert_problem(again, 409, "submission-not-rejected")
    assert [q["attempt_id"] for q in queued_after] == [attempt["id"]]
    assert [f["review_status"] for f in files_after] == ["submitted"]
    assert files_after[0]["verdict"] is None  # not a screenshot the worker read
