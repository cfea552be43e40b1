import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.blobstore.storage import BlobStore
from app.evidence import exhibits
from app.evidence.exhibits import Source
from tests.builders import assert_problem, auth_as, make_case
from tests.evidence import files

T0 = datetime(2026, 3, 2, 8, 12, tzinfo=UTC)
TELERECOURS_NAME = re.compile(r"^PJ\d{2,}_[A-Za-z0-9_-]+\.[a-z]{3,4}$")


def source(kind: str, minutes: int = 0, media: str = "image/png", description: str = "") -> Source:
    at = T0 + timedelta(minutes=minutes)
    return Source(uuid.uuid4(), kind, media, at, at, description)


def test_default_order_groups_by_kind_then_time() -> None:
    items = [
        source("urgency_proof", 5, "application/pdf"),
        source("screenshot", 60 * 24 * 7),
        source("registered_letter_proof", 3, "application/pdf"),
        source("identity_document", 900, "image/jpeg"),
        source("screenshot", 0),
        source("email", 1, "message/rfc822"),
    ]

    built = exhibits.build(items, [], group_screenshots=False)

    assert [e.kind for e in built] == [
        "identity_document",
        "screenshot",
        "screenshot",
        "email",
        "registered_letter_proof",
        "urgency_proof",
    ]
    assert [e.number for e in built] == [1, 2, 3, 4, 5, 6]


def test_labels_and_file_names() -> None:
    built = exhibits.build([source("screenshot", 0)], [], group_screenshots=False)

    [exhibit] = built
    assert (
        exhibit.label
        == "Capture d'écran du site de prise de rendez-vous le 2 mars 2026 à 9\u00a0h\u00a012"
    )
    assert exhibit.file_name == "PJ01_Capture_2026-03-02_09h12.pdf"


def test_a_capture_without_its_own_time_takes_its_attempts() -> None:
    attempt_at = T0 + timedelta(days=3, hours=2)
    capture = Source(
        uuid.uuid4(), "screenshot", "image/png", None, T0 + timedelta(days=9), "", attempt_at
    )
    later = source("screenshot", 60 * 24 * 5)

    built = exhibits.build([later, capture], [], group_screenshots=False)

    assert built[0].evidence_ids == (capture.evidence_id,)  # ordered by the attempt's time
    assert built[0].label.endswith("le 5 mars 2026 à 11\u00a0h\u00a012")
    assert built[0].file_name == "PJ01_Capture_2026-03-05_11h12.pdf"


def test_a_description_that_has_its_date_does_not_get_it_twice() -> None:
    letter = source(
        "registered_letter_proof", 0, "application/pdf", "Courrier recommandé du 2 mars 2026"
    )
    mail = source("email", 1, "message/rfc822", "Courriel au service des étrangers")

    built = exhibits.build([letter, mail], [], group_screenshots=False)

    labels = {e.label for e in built}
    assert "Courrier recommandé du 2 mars 2026" in labels
    assert "Courriel au service des étrangers du 2 mars 2026" in labels
    names = {e.file_name for e in built}
    assert "PJ01_Courrier_recommande_du_2_mars_2026.pdf" in names
    assert "PJ02_Courriel_au_service_des_etrangers_2026-03-02.pdf" in names


def test_a_long_description_is_cut_at_a_word_keeping_the_date() -> None:
    long = "Attestation de l'employeur relative à la promesse d'embauche et au contrat à venir"
    [exhibit] = exhibits.build(
        [source("urgency_proof", 0, "application/pdf", long)], [], group_screenshots=False
    )

    assert len(exhibit.file_name) <= 80
    assert exhibit.file_name.endswith("_2026-03-02.pdf")
    body = exhibit.file_name.removeprefix("PJ01_").removesuffix("_2026-03-02.pdf")
    assert exhibits.ascii_slug(long).startswith(body)
    assert exhibits.ascii_slug(long)[len(body)] == "_"  # cut between two words


@pytest.mark.parametrize(
    "description",
    [
        "Passeport de M. Ben Salah — pages 2 et 3",
        "Attestation d'employeur (promesse d'embauche).pdf",
        "ÉÈÊ" * 60,
        "../../../x",
    ],
)
def test_every_file_name_obeys_telerecours_rules(description: str) -> None:
    built = exhibits.build(
        [
            source("identity_document", 0, "application/pdf", description),
            source("email", 1, "message/rfc822"),
        ],
        [],
        group_screenshots=False,
    )

    for exhibit in built:
        assert TELERECOURS_NAME.match(exhibit.file_name), exhibit.file_name
        assert len(exhibit.file_name) <= 80
        assert exhibit.file_name.count(".") == 1
        assert exhibit.file_name.startswith(f"PJ{exhibit.number:02d}_")


def test_screenshots_grouped_as_a_homogeneous_series() -> None:
    shots = [source("screenshot", 60 * 24 * d) for d in (0, 7, 14, 21)]
    letter = source("registered_letter_proof", 60 * 24 * 22, "application/pdf")

    built = exhibits.build([*shots, letter], [], group_screenshots=True)

    assert [len(e.evidence_ids) for e in built] == [4, 1]
    assert built[0].label == (
        "Captures d'écran du site de prise de rendez-vous du 2 mars 2026 au 23 mars 2026 "
        "(4 captures, série homogène)"
    )
    assert built[0].file_name.endswith(".pdf")
    assert built[1].number == 2


def test_reordering_through_the_api(client: TestClient, session: Session, store: BlobStore) -> None:
    headers = auth_as(session, Role.lawyer)
    case = make_case(session)
    ids = []
    for data, kind in (
        (files.png(), "screenshot"),
        (files.pdf(), "registered_letter_proof"),
        (files.eml(), "email"),
    ):
        response = client.post(
            f"/api/v1/cases/{case.id}/evidence",
            files={"file": ("f", data, "application/octet-stream")},
            data={"kind": kind},
            headers=headers,
        )
        ids.append(response.json()["id"])
    url = f"/api/v1/cases/{case.id}/exhibits"
    default = client.get(url, headers=headers)

    reordered = client.put(
        url,
        json={"order": [ids[2], ids[1], ids[0]]},
        headers=headers | {"If-Match": default.headers["etag"]},
    )
    stale = client.put(
        url, json={"order": ids}, headers=headers | {"If-Match": default.headers["etag"]}
    )
    incomplete = client.put(url, json={"order": ids[:2]}, headers=headers)

    # Letters and e-mails share a group, in time order: here the order of upload.
    assert [e["evidence_ids"][0] for e in default.json()["exhibits"]] == ids
    assert [e["evidence_ids"][0] for e in reordered.json()["exhibits"]] == [ids[2], ids[1], ids[0]]
    assert [e["number"] for e in reordered.json()["exhibits"]] == [1, 2, 3]
    assert (
        reordered.json()["exhibits"][0]["file_name"] == "PJ01_Courriel.pdf"
    )  # rendered as PDF for filing
    assert_problem(stale, 412)
    assert_problem(incomplete, 422)
