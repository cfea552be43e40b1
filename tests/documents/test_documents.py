import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app import clock
from app.auth.permissions import Role
from tests.builders import assert_problem, auth_as

NNBSP, NBSP = "\u202f", "\u00a0"


def generate(
    client: TestClient, case_id: str, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = client.post(f"/api/v1/cases/{case_id}/documents", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def text_of(client: TestClient, document: dict[str, Any], headers: dict[str, str]) -> str:
    content = client.get(f"/api/v1/documents/{document['id']}/content", headers=headers).content
    word = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


@pytest.mark.parametrize(
    ("department", "heading", "defendant"),
    [
        ("93", "tribunal administratif de Montreuil", "au préfet de la Seine-Saint-Denis"),
        ("75", "tribunal administratif de Paris", "au préfet de police"),
        ("974", "tribunal administratif de La Réunion", "au préfet de La Réunion"),
        ("2A", "tribunal administratif de Bastia", "au préfet de la Corse-du-Sud"),
        ("01", "tribunal administratif de Lyon", "au préfet de l'Ain"),
    ],
)
def test_petition_names_the_competent_tribunal_and_the_defendant(
    client: TestClient, build: Any, department: str, heading: str, defendant: str
) -> None:
    built = build(department, weeks=3)

    text = text_of(
        client,
        generate(client, built.case["id"], built.headers, kind="interim_relief_petition"),
        built.headers,
    )

    assert "REQUÊTE EN RÉFÉRÉ MESURES UTILES" in text
    assert f"À Madame ou Monsieur le président du {heading}, juge des référés" in text
    assert f"d'enjoindre {defendant} de" in text
    assert "à le préfet" not in text


@pytest.mark.parametrize(
    "now",
    [
        "2026-11-18T10:30:00+01:00",  # a Wednesday
        "2026-11-22T23:50:00+01:00",  # a Sunday, late
        "2026-12-31T23:30:00+01:00",  # New Year's Eve
        "2026-03-29T03:30:00+02:00",  # the morning clocks go forward
        "2026-10-25T02:30:00+01:00",  # the night clocks go back
    ],
)
def test_chronology_counts_and_exhibit_numbers_match_the_inventory_and_the_bundle(
    client: TestClient, session: Session, build: Any, now: str
) -> None:
    with clock.pinned(datetime.fromisoformat(now)):
        _check_chronology(client, build)


def _check_chronology(client: TestClient, build: Any) -> None:
    built = build("93", weeks=4)
    headers = built.headers
    case_id = built.case["id"]
    petition = text_of(
        client, generate(client, case_id, headers, kind="interim_relief_petition"), headers
    )
    inventory_doc = generate(client, case_id, headers, kind="exhibit_inventory")
    inventory = docx.Document(
        io.BytesIO(
            client.get(f"/api/v1/documents/{inventory_doc['id']}/content", headers=headers).content
        )
    )
    exhibits = client.get(f"/api/v1/cases/{case_id}/exhibits", headers=headers).json()["exhibits"]
    bundle = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/v1/cases/{case_id}/bundle", headers=headers).content)
    )

    count = len(built.attempts)
    days = {
        datetime.fromisoformat(a["attempted_at"]).astimezone(clock.PARIS).date()
        for a in built.attempts
    }
    weeks = len({d.isocalendar()[:2] for d in days})
    assert (
        f"a tenté à {count} reprises, sur {len(days)} jours distincts répartis sur {weeks} "
        "semaines calendaires" in petition
    )
    # Exhibit 1 is the passport; the screenshots follow, 2 to count + 1.
    assert f"(pièces n°{NBSP}2 à {count + 1})" in petition
    assert exhibits[0]["label"] == "Passeport"
    rows = [[c.text for c in row.cells] for row in inventory.tables[0].rows[1:]]
    assert rows == [[str(e["number"]), e["label"], e["file_name"]] for e in exhibits]
    exhibit_files = sorted(n for n in bundle.namelist() if n.startswith("PJ"))
    assert exhibit_files == sorted(e["file_name"] for e in exhibits)
    cited = {int(n) for n in re.findall(r"pièces? n°\s?(\d+)", petition.replace(NBSP, " "))}
    assert cited <= {e["number"] for e in exhibits}


def test_bundle_exhibits_are_pdfs_that_open(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)
    generate(client, built.case["id"], built.headers, kind="interim_relief_petition")

    response = client.get(f"/api/v1/cases/{built.case['id']}/bundle", headers=built.headers)

    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[:2] == ["Requete_refere_mesures_utiles.docx", "Bordereau_des_pieces.docx"]
    assert names[-1] == "manifest.json"
    exhibits = names[2:-1]
    assert exhibits
    for name in exhibits:
        assert name.startswith("PJ")
        assert name.endswith(".pdf")
        assert len(PdfReader(io.BytesIO(archive.read(name))).pages) >= 1
    for name in names:
        assert name.isascii()
        assert len(name) <= 80


def test_bundle_needs_a_petition(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)

    assert_problem(
        client.get(f"/api/v1/cases/{built.case['id']}/bundle", headers=built.headers),
        409,
        "petition-missing",
    )


def test_french_typography(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3, civility="monsieur")

    text = text_of(
        client,
        generate(
            client,
            built.case["id"],
            built.headers,
            kind="interim_relief_petition",
            astreinte_cents=15000,
            costs_cents=180000,
        ),
        built.headers,
    )

    assert f"POUR{NNBSP}:" in text
    assert f"«{NNBSP}RDV Préfecture{NNBSP}»" in text
    assert f"150{NBSP}€ par jour de retard" in text
    assert f"1{NNBSP}800{NBSP}€" in text
    assert "M. BEN SALAH Hélène Amira, né le 12 avril 1990" in text
    assert " :" not in text.replace(f"{NNBSP}:", "")
    assert re.search(r"\d{4}-\d{2}-\d{2}", text.split("https://")[0]) is None


def test_letter_variants(client: TestClient, build: Any) -> None:
    built = build("93", weeks=2)

    registered = text_of(
        client,
        generate(client, built.case["id"], built.headers, kind="prefecture_letter"),
        built.headers,
    )
    no_address = client.post(
        f"/api/v1/cases/{built.case['id']}/documents",
        json={"kind": "prefecture_letter", "variant": "email"},
        headers=built.headers,
    )
    assert_problem(no_address, 409, "prefecture-email-missing")
    client.post(
        f"/api/v1/cases/{built.case['id']}/contacts",
        json={
            "channel": "email",
            "sent_date": str(clock.today() - timedelta(days=30)),
            "recipient": "pref-sejour@seine-saint-denis.gouv.fr",
        },
        headers=built.headers,
    )
    email = text_of(
        client,
        generate(
            client, built.case["id"], built.headers, kind="prefecture_letter", variant="email"
        ),
        built.headers,
    )

    assert "Lettre recommandée avec accusé de réception" in registered
    assert "Monsieur le Préfet de la Seine-Saint-Denis" in registered
    assert f"Par courriel{NNBSP}: pref-sejour@seine-saint-denis.gouv.fr" in email
    assert (
        "Je vous prie d'agréer, Monsieur le Préfet, l'expression de ma haute considération."
        in registered
    )


def test_annex_lists_every_attempt(client: TestClient, build: Any) -> None:
    built = build("93", weeks=2)

    document = generate(client, built.case["id"], built.headers, kind="attempts_annex")
    word = docx.Document(
        io.BytesIO(
            client.get(f"/api/v1/documents/{document['id']}/content", headers=built.headers).content
        )
    )

    rows = word.tables[0].rows[1:]
    assert len(rows) == len(built.attempts)
    assert rows[0].cells[1].text in {f"9{NBSP}h{NBSP}05", f"16{NBSP}h{NBSP}05"}
    assert rows[0].cells[4].text == "2"


def test_regenerating_keeps_every_version(client: TestClient, build: Any) -> None:
    built = build("93", weeks=2)

    first = generate(client, built.case["id"], built.headers, kind="exhibit_inventory")
    second = generate(client, built.case["id"], built.headers, kind="exhibit_inventory")
    listed = client.get(
        f"/api/v1/cases/{built.case['id']}/documents", headers=built.headers
    ).json()["items"]

    downloaded = client.get(f"/api/v1/documents/{second['id']}/content", headers=built.headers)

    assert (first["version"], second["version"]) == (1, 2)
    assert [d["id"] for d in listed] == [first["id"], second["id"]]
    assert (
        client.get(f"/api/v1/documents/{first['id']}/content", headers=built.headers).status_code
        == 200
    )
    assert downloaded.headers["etag"] == f'"{second["sha256"]}"'
    assert downloaded.headers["content-length"] == str(len(downloaded.content))
    assert downloaded.headers["content-disposition"] == (
        f'attachment; filename="Bordereau_des_pieces_{built.case["reference"]}_v2.docx"'
    )


def test_a_petition_with_blockers_needs_a_lawyer_override(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3, procedure="etudiant")  # an ANEF procedure
    url = f"/api/v1/cases/{built.case['id']}/documents"

    refused = client.post(url, json={"kind": "interim_relief_petition"}, headers=built.headers)
    by_paralegal = client.post(
        url,
        json={"kind": "interim_relief_petition", "override_reason": "x"},
        headers=auth_as(session, Role.paralegal),
    )
    by_lawyer = client.post(
        url,
        json={
            "kind": "interim_relief_petition",
            "override_reason": "Dysfonctionnement de l'ANEF établi",
        },
        headers=built.headers,
    )

    body = assert_problem(refused, 409, "readiness-not-met")
    assert [b["code"] for b in body["blockers"]] == ["anef_procedure"]
    assert_problem(by_paralegal, 403, "override-not-allowed")
    assert by_lawyer.status_code == 201


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed here (CI installs it and never skips)",
)
def test_generated_files_open_without_repair_in_libreoffice(
    client: TestClient, build: Any, tmp_path: Path
) -> None:
    """Every kind, and one petition per variant, converted by LibreOffice to an A4 PDF."""
    sources: list[Path] = []

    def keep(built: Any, name: str, **body: Any) -> None:
        document = generate(client, built.case["id"], built.headers, **body)
        source = tmp_path / f"{name}.docx"
        source.write_bytes(
            client.get(f"/api/v1/documents/{document['id']}/content", headers=built.headers).content
        )
        sources.append(source)

    paris = build("75", weeks=3)
    for kind in (
        "interim_relief_petition",
        "prefecture_letter",
        "exhibit_inventory",
        "attempts_annex",
    ):
        keep(paris, kind, kind=kind)
    petition = {"kind": "interim_relief_petition"}
    keep(
        build("93", weeks=3, civility="monsieur", legal_aid="requested"),
        "man_requested",
        **petition,
    )
    keep(build("974", weeks=3, legal_aid="granted"), "reunion_granted", **petition)
    keep(build("2A", weeks=3, procedure="salarie_renouvellement", renewal=True), "renewal",
         **petition, costs_cents=0)  # fmt: skip
    keep(build("93", weeks=3, screenshots=False, urgency=[]), "no_capture", **petition,
         override_reason="test")  # fmt: skip

    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    for source in sources:
        converted = source.with_suffix(".pdf")
        assert converted.exists(), result.stdout + result.stderr
        pages = PdfReader(str(converted)).pages
        assert len(pages) >= 1
        width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
        assert (round(width), round(height)) == (595, 842), source.name  # A4 in points
