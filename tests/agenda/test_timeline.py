from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from tests.builders import auth_as, make_case
from tests.evidence import files


def test_timeline_merges_every_dated_fact_in_order(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)
    case = make_case(session)
    base = f"/api/v1/cases/{case.id}"
    client.post(
        f"{base}/attempts/batch",
        json={
            "attempts": [
                {
                    "attempted_at": "2026-03-09T23:30:00+01:00",
                    "outcome": "no_slot",
                    "message": "Plus de plage horaire libre",
                },
                {"attempted_at": "2026-03-02T08:12:00Z", "outcome": "site_unavailable"},
            ]
        },
        headers=headers,
    )
    client.post(
        f"{base}/contacts",
        json={
            "channel": "registered_letter",
            "sent_date": "2026-03-10",
            "registered_letter_number": "1A12345678901",
            "delivered_date": "2026-03-12",
        },
        headers=headers,
    )
    shot = client.post(
        f"{base}/evidence",
        files={"file": ("c.png", files.png(), "image/png")},
        data={"kind": "screenshot", "captured_at": "2026-03-02T09:12:00+01:00"},
        headers=headers,
    )
    assert shot.status_code == 201
    client.post(
        f"{base}/stage-changes",
        json={"to_stage": "prefecture_contact", "override_reason": "échéance proche"},
        headers=headers,
    )

    items = client.get(f"{base}/timeline", headers=headers).json()["items"]

    dated = [
        (i["day"], i["kind"]) for i in items if i["kind"] not in {"case_opened", "stage_change"}
    ]
    assert dated == [
        ("2026-03-02", "attempt"),
        # The screenshot of that attempt, made at the same instant, follows it.
        ("2026-03-02", "evidence"),
        ("2026-03-09", "attempt"),
        ("2026-03-10", "contact_sent"),
        ("2026-03-12", "contact_delivered"),
    ]
    evidence = next(i["label"] for i in items if i["kind"] == "evidence")
    assert evidence == (
        "Pièce versée au dossier\u202f: capture d'écran du site de prise de rendez-vous "
        "(le 2 mars 2026 à 9\u00a0h\u00a012)."
    )
    labels = [i["label"] for i in items if i["kind"] == "attempt"]
    assert labels == [
        "Tentative de prise de rendez-vous le 2 mars 2026 à 9\u00a0h\u00a012, site indisponible.",
        "Tentative de prise de rendez-vous le 9 mars 2026 à 23\u00a0h\u00a030, "
        "aucun créneau disponible"
        "\u202f: «\u202fPlus de plage horaire libre\u202f».",
    ]
    # The file was opened (and moved on) today, after the client's own attempts.
    assert [i["kind"] for i in items][-2:] == ["case_opened", "stage_change"]
    sent = next(i for i in items if i["kind"] == "contact_sent")
    assert sent["label"] == (
        "Courrier recommandé avec accusé de réception adressé à la préfecture n° 1A12345678901 "
        "le 10 mars 2026."
    )
