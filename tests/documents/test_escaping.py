"""Every value a user typed comes out of every document exactly as typed (escaping)."""

import io
from datetime import timedelta
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.clock import today
from tests.builders import assert_problem, auth_as, client_payload
from tests.documents.test_documents import generate
from tests.evidence import files

HOSTILE = "A & B <C> \"D\" 'E' </w:t> &amp;"
KINDS = ("prefecture_letter", "interim_relief_petition", "exhibit_inventory", "attempts_annex")


def _text(client: TestClient, document: dict[str, Any], headers: dict[str, str]) -> str:
    content = client.get(f"/api/v1/documents/{document['id']}/content", headers=headers).content
    word = docx.Document(io.BytesIO(content))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@pytest.fixture
def hostile_case(client: TestClient, session: Session) -> tuple[str, dict[str, str]]:
    admin = auth_as(session, Role.admin)
    firm = client.put(
        "/api/v1/firm",
        json={
            "name": f"Cabinet {HOSTILE} firm",
            "address": f"1 rue {HOSTILE} address",
            "city": f"Paris {HOSTILE} city",
            "phone": "01 43 00 00 00",
            "letterhead": f"Letterhead {HOSTILE}",
            "lawyers": [{"name": f"Lawyer {HOSTILE}", "bar": f"Bar {HOSTILE}", "toque": "E&1"}],
        },
        headers=admin,
    )
    assert firm.status_code == 200, firm.text
    headers = auth_as(session, Role.lawyer)
    person = client.post(
        "/api/v1/clients",
        json=client_payload(
            last_name=f"Last {HOSTILE}",
            first_names=f"First {HOSTILE}",
            birth_place=f"Place {HOSTILE}",
            nationality=f"nation {HOSTILE}",
            address=f"12 rue {HOSTILE} domicile",
        ),
        headers=headers,
    )
    assert person.status_code == 201, person.text
    case = client.post(
        "/api/v1/cases",
        json={
            "client_id": person.json()["id"],
            "department_code": "93",
            "procedure_code": "aes_vie_privee",
            "aes_motif": "salarie",
            "booking_channel": "rdv_prefecture",
            "booking_url": "https://rdv.example.fr/a?b=1&c=<2>",
            "urgency_facts": [
                {
                    "kind": "employment",
                    "fact_date": str(today() + timedelta(days=45)),
                    "description": f"Urgency {HOSTILE}",
                }
            ],
        },
        headers=headers,
    )
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    start = today() - timedelta(days=28)
    batch = [
        {
            "attempted_at": f"{start + timedelta(days=d)}T{9 if d % 4 else 16:02d}:05:00+01:00",
            "outcome": "no_slot",
            "message": f"Message {HOSTILE}",
            "page_url": "https://rdv.example.fr/page?x=1&y=<2>",
            "procedure_selected": f"Motif {HOSTILE}",
        }
        for d in range(0, 26, 2)
    ]
    attempts = client.post(
        f"/api/v1/cases/{case_id}/attempts/batch", json={"attempts": batch}, headers=headers
    )
    assert attempts.status_code == 201, attempts.text
    for attempt in attempts.json()["attempts"]:
        shot = client.post(
            f"/api/v1/cases/{case_id}/evidence",
            files={"file": ("c.png", files.png(), "image/png")},
            data={"kind": "screenshot", "attempt_id": attempt["id"]},
            headers=headers,
        )
        assert shot.status_code == 201, shot.text
    contact = client.post(
        f"/api/v1/cases/{case_id}/contacts",
        json={
            "channel": "email",
            "sent_date": str(start + timedelta(days=3)),
            "recipient": "pref@example.fr",
            "summary": f"Summary {HOSTILE}",
        },
        headers=headers,
    )
    assert contact.status_code == 201, contact.text
    proof = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        files={"file": ("p.pdf", files.pdf(), "application/pdf")},
        data={"kind": "urgency_proof", "description": f"Proof {HOSTILE}"},
        headers=headers,
    )
    assert proof.status_code == 201, proof.text
    return case_id, headers


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_comes_out_as_typed(
    client: TestClient, hostile_case: tuple[str, dict[str, str]], kind: str
) -> None:
    case_id, headers = hostile_case

    text = _text(
        client,
        generate(client, case_id, headers, kind=kind, override_reason="escaping test"),
        headers,
    )

    printed = {
        "prefecture_letter": ["Letterhead", "Cabinet", "First", "Place", "nation", "rue"],
        "interim_relief_petition": ["Last", "First", "Place", "nation", "rue", "Lawyer", "Urgency"],
        "exhibit_inventory": ["Proof", "Last"],
        "attempts_annex": ["Message", "Last"],
    }[kind]
    for label in printed:
        typed = f"{label} {HOSTILE}"
        # The family name is printed in capitals, as courts write it.
        assert (typed.upper() if label == "Last" else typed) in text, label
    if kind == "attempts_annex":
        assert "https://rdv.example.fr/page?x=1&y=%3C2%3E" in text


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        ("/api/v1/clients", "last_name", client_payload(last_name="Ben\x00Salah")),
        ("/api/v1/clients", "address", client_payload(address="12 rue\x0bdes Lilas")),
        ("/api/v1/clients", "first_names", client_payload(first_names="Hélène\ufffe")),
    ],
)
def test_characters_no_document_can_hold_are_refused_naming_the_field(
    client: TestClient, session: Session, path: str, field: str, body: dict[str, Any]
) -> None:
    response = client.post(path, json=body, headers=auth_as(session, Role.lawyer))

    problem = assert_problem(response, 422)
    assert [e["loc"][-1] for e in problem["errors"]] == [field]
    assert "control character" in problem["errors"][0]["msg"]


def test_an_unprintable_urgency_fact_or_firm_line_is_refused(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)
    firm = client.put(
        "/api/v1/firm",
        json={"name": "Cabinet", "address": "", "city": "Paris", "letterhead": "Ligne\x07"},
        headers=admin,
    )
    problem = assert_problem(firm, 422)
    assert problem["errors"][0]["loc"][-1] == "letterhead"
