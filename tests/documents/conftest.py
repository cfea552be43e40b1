"""A realistic file built through the API: client, attempts with screenshots, letters."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.clock import today
from tests.builders import auth_as, client_payload
from tests.evidence import files

MESSAGE = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous."
PAGE = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/4242/"


@dataclass
class Built:
    case: dict[str, Any]
    headers: dict[str, str]
    attempts: list[dict[str, Any]]


def set_firm(client: TestClient, headers: dict[str, str]) -> None:
    response = client.put(
        "/api/v1/firm",
        json={
            "name": "Cabinet Lefèvre & Associés",
            "address": "12 boulevard Voltaire, 75011 Paris",
            "city": "Paris",
            "phone": "01 43 00 00 00",
            "email": "contact@lefevre-avocats.fr",
            "letterhead": "Cabinet Lefèvre & Associés\nAvocats au barreau de Paris",
            "lawyers": [
                {
                    "name": "Claire Lefèvre",
                    "bar": "Paris",
                    "toque": "E 1234",
                    "email": "c.lefevre@lefevre-avocats.fr",
                }
            ],
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def build(client: TestClient, session: Session) -> Any:
    admin = auth_as(session, Role.admin)
    set_firm(client, admin)

    def make(
        department: str = "93",
        *,
        weeks: int = 4,
        renewal: bool = False,
        legal_aid: str = "none",
        civility: str = "madame",
        procedure: str = "aes_vie_privee",
        person: dict[str, Any] | None = None,
        urgency: list[dict[str, Any]] | None = None,
        outcomes: list[str] | None = None,
        screenshots: bool = True,
    ) -> Built:
        headers = auth_as(session, Role.lawyer)
        created = client.post(
            "/api/v1/clients",
            json=client_payload(
                civility=civility,
                legal_aid_status=legal_aid,
                legal_aid_bureau="BAJ de Paris" if legal_aid != "none" else None,
            )
            | (person or {}),
            headers=headers,
        )
        assert created.status_code == 201, created.text
        person = created.json()
        case = client.post(
            "/api/v1/cases",
            json={
                "client_id": person["id"],
                "department_code": department,
                "procedure_code": procedure,
                "aes_motif": "vie_privee_familiale" if procedure == "aes_vie_privee" else None,
                "is_renewal": renewal,
                "booking_channel": "rdv_prefecture",
                "urgency_facts": [
                    {
                        "kind": "employment",
                        "fact_date": str(today() + timedelta(days=45)),
                        "description": "Promesse d'embauche valable jusqu'à cette date",
                    }
                ]
                if urgency is None
                else urgency,
            },
            headers=headers,
        ).json()
        # Every other day over ``weeks`` weeks, the last one yesterday: a file ready for the
        # référé under the default policy (a span of seven days a week, two times of day).
        start = today() - timedelta(days=7 * weeks + 1)
        batch = [
            {
                "attempted_at": f"{start + timedelta(days=d)}T{9 if d % 4 else 16:02d}:05:00+01:00",
                "outcome": (outcomes or ["no_slot"])[n % len(outcomes or ["no_slot"])],
                "message": MESSAGE,
                "page_url": PAGE,
            }
            for n, d in enumerate([*range(0, 7 * weeks, 2), 7 * weeks])
        ]
        attempts = client.post(
            f"/api/v1/cases/{case['id']}/attempts/batch", json={"attempts": batch}, headers=headers
        ).json()["attempts"]
        for n, attempt in enumerate(attempts if screenshots else []):
            client.post(
                f"/api/v1/cases/{case['id']}/evidence",
                files={
                    "file": (
                        f"capture-{n}.png",
                        files.png(color=f"#{n * 9 % 255:02x}5078"),
                        "image/png",
                    )
                },
                data={
                    "kind": "screenshot",
                    "attempt_id": attempt["id"],
                    "captured_at": attempt["attempted_at"],
                },
                headers=headers,
            )
        letter = client.post(
            f"/api/v1/cases/{case['id']}/contacts",
            json={
                "channel": "registered_letter",
                "sent_date": str(start + timedelta(days=3)),
                "registered_letter_number": "1A12345678901",
                "delivered_date": str(start + timedelta(days=5)),
            },
            headers=headers,
        ).json()
        client.post(
            f"/api/v1/cases/{case['id']}/evidence",
            files={"file": ("ar.pdf", files.pdf(), "application/pdf")},
            data={"kind": "acknowledgement_of_receipt", "contact_id": letter["id"]},
            headers=headers,
        )
        client.post(
            f"/api/v1/cases/{case['id']}/evidence",
            files={"file": ("passeport.jpg", files.jpeg_with_exif(), "image/jpeg")},
            data={"kind": "identity_document", "description": "Passeport"},
            headers=headers,
        )
        return Built(case=case, headers=headers, attempts=attempts)

    return make
