"""The petition and the letter in a lawyer's words: every sentence follows the data."""

import io
import uuid
from datetime import timedelta
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.clock import today
from tests.builders import assert_problem, auth_as
from tests.documents.test_documents import generate, text_of
from tests.evidence import files

NBSP, NNBSP = "\u00a0", "\u202f"


def plain(text: str) -> str:
    """The text with its no-break spaces as plain spaces, to compare sentences."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def petition(client: TestClient, built: Any, **body: Any) -> str:
    body = {"kind": "interim_relief_petition"} | body
    return plain(
        text_of(client, generate(client, built.case["id"], built.headers, **body), built.headers)
    )


def letter(client: TestClient, built: Any, **body: Any) -> str:
    body = {"kind": "prefecture_letter"} | body
    return plain(
        text_of(client, generate(client, built.case["id"], built.headers, **body), built.headers)
    )


def upload(client: TestClient, built: Any, kind: str, description: str = "") -> dict[str, Any]:
    response = client.post(
        f"/api/v1/cases/{built.case['id']}/evidence",
        files={"file": ("piece.pdf", files.pdf(), "application/pdf")},
        data={"kind": kind, "description": description},
        headers=built.headers,
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def number_of(client: TestClient, built: Any, evidence_id: str) -> int:
    exhibits = client.get(f"/api/v1/cases/{built.case['id']}/exhibits", headers=built.headers)
    for exhibit in exhibits.json()["exhibits"]:
        if evidence_id in exhibit["evidence_ids"]:
            return int(exhibit["number"])
    raise AssertionError(f"evidence {evidence_id} is not an exhibit")


@pytest.mark.parametrize(
    ("civility", "to", "of", "admitted"),
    [
        ("monsieur", "au requérant", "du requérant", "il"),
        ("madame", "à la requérante", "de la requérante", "elle"),
    ],
)
def test_a_man_and_a_woman_read_in_correct_french(
    client: TestClient, build: Any, civility: str, to: str, of: str, admitted: str
) -> None:
    built = build("93", weeks=3, civility=civility)

    text = petition(client, built)

    assert f"de communiquer {to} une date de rendez-vous" in text
    assert f"laisser à la charge {of} les frais exposés" in text
    for wrong in (" à le ", " de le ", " à les ", " de les "):
        assert wrong not in text
    assert "1 semaines" not in text
    assert "1 jours" not in text


def test_the_object_of_the_request_is_a_drafting_phrase_with_its_basis(
    client: TestClient, build: Any
) -> None:
    aes = build("93", weeks=3)
    renewal = build("93", weeks=3, procedure="salarie_renouvellement", renewal=True)

    aes_text, renewal_text = petition(client, aes), petition(client, renewal)
    letter_text = letter(client, aes)

    vpf = (
        "une demande d'admission exceptionnelle au séjour au titre de la vie privée et familiale "
        "(art. L. 435-1 du CESEDA)"
    )
    assert f"en vue du dépôt d'{vpf}" in aes_text
    assert f"Elle souhaite déposer {vpf}." in aes_text
    assert f"Objet : demande de convocation en vue du dépôt d'{vpf}" in letter_text
    assert "une demande de renouvellement de sa carte de séjour portant la mention « salarié »" in (
        renewal_text
    )
    assert "vie privée et familiale ou salarié" not in aes_text


def test_an_admission_exceptionnelle_needs_its_motif(client: TestClient, session: Session) -> None:
    headers = auth_as(session, Role.lawyer)
    person = client.post("/api/v1/clients", json={"civility": "madame", "last_name": "A",
                         "first_names": "B"}, headers=headers).json()  # fmt: skip
    body = {"client_id": person["id"], "department_code": "93", "booking_channel": "rdv_prefecture"}

    missing = client.post(
        "/api/v1/cases", json=body | {"procedure_code": "aes_vie_privee"}, headers=headers
    )
    stray = client.post(
        "/api/v1/cases",
        json=body | {"procedure_code": "salarie", "aes_motif": "salarie"},
        headers=headers,
    )

    assert assert_problem(missing, 422)["errors"][0]["loc"][-1] == "aes_motif"
    assert assert_problem(stray, 422)["errors"][0]["loc"][-1] == "aes_motif"


def test_outcomes_are_stated_as_they_were(client: TestClient, build: Any) -> None:
    mixed = build(
        "93", weeks=3, outcomes=["no_slot", "no_slot", "no_slot", "site_unavailable", "error"]
    )
    same = build("93", weeks=3)

    mixed_text, same_text = petition(client, mixed), petition(client, same)

    assert "Chaque fois" not in mixed_text
    assert "le site a répondu qu'aucun créneau n'était disponible (" in mixed_text.lower()
    assert "le site était indisponible (" in mixed_text
    assert "le site a affiché une erreur (" in mixed_text
    assert (
        "Chaque fois, le site a répondu qu'aucun créneau n'était disponible, en affichant le "
        "message « Il n'existe plus de plage horaire libre pour votre demande de rendez-vous »"
    ) in same_text


def test_without_captures_no_sentence_speaks_of_them(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3, screenshots=False)

    text = petition(client, built, override_reason="tentatives attestées par le client")

    assert "captures d'écran produites" not in text
    assert "448178" not in text
    for hole in (" .", " ,", "disponible :", "( )", "()"):
        assert hole not in text


def test_urgency_is_argued_fact_by_fact_with_its_piece(client: TestClient, build: Any) -> None:
    soon = today() + timedelta(days=40)
    built = build(
        "93",
        weeks=3,
        urgency=[{"kind": "employment", "fact_date": str(soon),
                  "description": "Promesse d'embauche de la société Aide & Vie"}],
    )  # fmt: skip
    proof = upload(client, built, "urgency_proof", "Promesse d'embauche")
    case = client.get(f"/api/v1/cases/{built.case['id']}", headers=built.headers)
    facts = [f | {"evidence_id": proof["id"]} for f in case.json()["urgency_facts"]]
    patched = client.patch(
        f"/api/v1/cases/{built.case['id']}",
        json={"urgency_facts": facts},
        headers=built.headers | {"If-Match": case.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text

    text = petition(client, built)

    number = number_of(client, built, proof["id"])
    from app import french

    assert (
        f"Promesse d'embauche de la société Aide & Vie (échéance : {french.format_date(soon)}) "
        f"(pièce n° {number}). Faute de pouvoir justifier d'un droit au séjour auprès de son "
        "employeur, elle risque de perdre cet emploi."
    ) in text
    assert "S'agissant d'une première demande" in text


def test_an_urgency_fact_links_only_to_this_cases_evidence(client: TestClient, build: Any) -> None:
    built, other = build("93", weeks=2), build("93", weeks=2)
    foreign = upload(client, other, "urgency_proof")
    case = client.get(f"/api/v1/cases/{built.case['id']}", headers=built.headers)
    facts = [f | {"evidence_id": foreign["id"]} for f in case.json()["urgency_facts"]]

    response = client.patch(
        f"/api/v1/cases/{built.case['id']}",
        json={"urgency_facts": facts},
        headers=built.headers | {"If-Match": case.headers["etag"]},
    )

    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"][-1] == "urgency_facts.0.evidence_id"


def test_a_first_request_without_urgency_needs_a_lawyer(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3, urgency=[])
    url = f"/api/v1/cases/{built.case['id']}/documents"

    refused = client.post(url, json={"kind": "interim_relief_petition"}, headers=built.headers)
    by_paralegal = client.post(
        url,
        json={"kind": "interim_relief_petition", "override_reason": "x"},
        headers=auth_as(session, Role.paralegal),
    )
    text = petition(client, built, override_reason="urgence à établir à l'audience")

    assert_problem(refused, 409, "urgency-not-established")
    assert_problem(by_paralegal, 403, "override-not-allowed")
    assert "Tel est le cas en l'espèce" not in text
    assert "circonstances suivantes :" not in text


def test_a_renewal_presumes_urgency_then_adds_the_facts(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3, procedure="salarie_renouvellement", renewal=True)

    text = petition(client, built)

    presumption = text.index("l'urgence est présumée")
    besides = text.index(
        "En tout état de cause, la situation de la requérante présente une urgence"
    )
    fact = text.index("Promesse d'embauche valable jusqu'à cette date")
    assert presumption < besides < fact


@pytest.mark.parametrize("status", ["none", "requested", "granted"])
def test_legal_aid_variants(client: TestClient, build: Any, status: str) -> None:
    person = {
        "legal_aid_bureau": "Bobigny",
        "legal_aid_request_date": str(today() - timedelta(days=20)),
    } | (
        {"legal_aid_decision_number": "2026/004512",
         "legal_aid_decision_date": str(today() - timedelta(days=5))}
        if status == "granted" else {}
    )  # fmt: skip
    built = build("93", weeks=3, legal_aid=status, person=person if status != "none" else None)
    decision = upload(client, built, "legal_aid_document", "Aide juridictionnelle")

    text = petition(client, built)

    from app import french

    number = number_of(client, built, decision["id"])
    art37 = (
        "au titre des articles L. 761-1 du code de justice administrative et 37, alinéa 2, de la "
        "loi n° 91-647 du 10 juillet 1991, à verser à Maître Claire Lefèvre, sous réserve "
        "qu'elle renonce à percevoir la part contributive de l'État"
    )
    if status == "none":
        assert "aide juridictionnelle" not in text.lower().replace("aide juridictionnelle\n", "")
        assert "au titre de l'article L. 761-1 du code de justice administrative." in text
        assert art37 not in text
    elif status == "requested":
        requested = french.format_date(today() - timedelta(days=20))
        assert (
            f"La requérante a sollicité le bénéfice de l'aide juridictionnelle le {requested} "
            f"auprès du bureau d'aide juridictionnelle de Bobigny (pièce n° {number})"
        ) in text
        assert (
            "d'admettre la requérante au bénéfice de l'aide juridictionnelle à titre provisoire"
            in text
        )
        assert art37 in text
    else:
        granted = french.format_date(today() - timedelta(days=5))
        assert (
            "La requérante a été admise au bénéfice de l'aide juridictionnelle totale par décision "
            f"du bureau d'aide juridictionnelle de Bobigny du {granted}, n° 2026/004512 "
            f"(pièce n° {number})."
        ) in text
        assert "à titre provisoire" not in text
        assert "sollicite" not in text
        assert art37 in text


def test_no_costs_asked_means_no_costs_paragraph(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)

    without = petition(client, built, costs_cents=0)
    neither = petition(client, built, costs_cents=0, astreinte_cents=0)

    assert "Sur les frais" not in without
    assert "mettre à la charge de l'État" not in without
    assert "la somme de  au titre" not in without
    assert "E. Sur l'astreinte" in without
    assert "Sur l'astreinte" not in neither
    assert "cette notification." in neither  # the injunction ends the conclusions


def test_headings_are_numbered_to_the_end(client: TestClient, build: Any) -> None:
    text = petition(client, build("93", weeks=3))

    for heading in ("A. Sur la compétence", "B. Sur l'urgence", "C. Sur l'utilité",
                    "D. Sur l'absence", "E. Sur l'astreinte", "F. Sur les frais"):  # fmt: skip
        assert heading in text


def test_case_law_is_cited_for_what_it_holds(client: TestClient, build: Any) -> None:
    text = petition(client, build("93", weeks=3))

    assert "ne constituent pas une décision susceptible de recours" not in text
    assert (
        "Une convocation n'est pas davantage une décision (CE, avis, 1er juillet 2020, n° 436288"
        in text
    )
    assert "(CE, avis, 10 octobre 2024, n° 493514, Lebon)" in text
    assert "(CE, 28 novembre 2018, n° 420343, Tables)" in text
    assert "(CE, Section, avis, 3 juin 2022, n° 461694, Lebon)" in text
    assert "solution de substitution est offerte" in text
    assert "(CE, Section, 3 juin 2022, n° 452798, Lebon)" in text
    assert "422516" not in text
    assert "(CE, 21 avril 2021, n° 448178, inédit)" in text


def test_contacts_say_what_happened(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)
    case_id = built.case["id"]
    for body in (
        {"channel": "visit", "sent_date": str(today() - timedelta(days=6)),
         "summary": "Refus d'accès sans rendez-vous."},
        {"channel": "email", "sent_date": str(today() - timedelta(days=25)),
         "recipient": "pref-etrangers@seine-saint-denis.gouv.fr",
         "response_date": str(today() - timedelta(days=24)), "response_outcome": "standard_reply"},
    ):  # fmt: skip
        assert client.post(f"/api/v1/cases/{case_id}/contacts", json=body,
                           headers=built.headers).status_code == 201  # fmt: skip

    text = petition(client, built)

    assert "s'est présentée au guichet de la préfecture : refus d'accès sans rendez-vous." in text
    assert "à l'adresse pref-etrangers@seine-saint-denis.gouv.fr" in text
    assert "seule une réponse automatique a été reçue" in text
    assert "un courrier recommandé avec accusé de réception n° 1A 123 456 7890 1" in text
    assert "il sollicitait une convocation dans un délai de 15 jours" in text


def test_a_missing_domicile_refuses_the_petition_and_holes_are_never_printed(
    client: TestClient, build: Any
) -> None:
    homeless = build("93", weeks=3, person={"address": ""})
    sparse = build("93", weeks=3, person={"birth_place": "", "nationality": "", "birth_date": None})

    refused = client.post(
        f"/api/v1/cases/{homeless.case['id']}/documents",
        json={"kind": "interim_relief_petition", "override_reason": "x"},
        headers=homeless.headers,
    )
    text = petition(client, sparse)

    assert assert_problem(refused, 409, "identity-incomplete")["missing_fields"] == ["address"]
    assert "Mme BEN SALAH Hélène Amira, demeurant 12 rue des Lilas" in text
    for hole in (", ,", "demeurant .", "de nationalité ,", "née le ,"):
        assert hole not in text


def test_an_oqtf_override_carries_its_paragraph(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3, person={"has_oqtf": True})
    url = f"/api/v1/cases/{built.case['id']}/documents"
    body = {"kind": "interim_relief_petition", "override_reason": "OQTF caduque"}

    silent = client.post(url, json=body, headers=built.headers)
    text = petition(
        client, built, override_reason="OQTF caduque",
        oqtf={"date": str(today() - timedelta(days=900)), "ground": "lapsed"},
    )  # fmt: skip

    assert assert_problem(silent, 422)["errors"][0]["loc"][-1] == "oqtf"
    assert "a fait l'objet d'une obligation de quitter le territoire français le " in text
    assert "son délai d'exécution étant expiré" in text


def test_the_signature_block_names_the_lawyers_quality(client: TestClient, build: Any) -> None:
    text = petition(client, build("93", weeks=3))

    assert "Fait à Paris, le " in text
    assert "Maître Claire Lefèvre\nAvocate au barreau de Paris \u2013 toque E 1234" in text
    assert "Ayant pour avocat : Maître Claire Lefèvre, avocate au barreau de Paris" in text


def test_phones_are_printed_in_the_national_format(client: TestClient, build: Any) -> None:
    reunion = build("974", weeks=3, person={"phone": "0692 12 34 56"})

    text = petition(client, reunion)

    assert "tél. 0692 12 34 56" in text
    assert "+262" not in text


@pytest.mark.parametrize(
    ("department", "heading"),
    [("75", "Paris"), ("93", "Montreuil"), ("974", "La Réunion"), ("2A", "Bastia")],
)
def test_inventory_heading_names_the_court(
    client: TestClient, build: Any, department: str, heading: str
) -> None:
    built = build(department, weeks=3)

    document = generate(client, built.case["id"], built.headers, kind="exhibit_inventory")
    text = text_of(client, document, built.headers)

    assert f"Tribunal administratif de {heading} \u2013 juge des référés" in text


def test_the_letter_is_addressed_and_never_cites_itself(
    client: TestClient, session: Session, build: Any
) -> None:
    built = build("93", weeks=3)
    admin = auth_as(session, Role.admin)
    patched = client.patch(
        "/api/v1/prefectures/93",
        json={"salutation": "Madame la Préfète", "foreigners_service_name": "Bureau du séjour",
              "foreigners_service_address": "1 esplanade Jean-Moulin, 93007 Bobigny Cedex"},
        headers=admin,
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    sent = client.post(
        f"/api/v1/cases/{built.case['id']}/contacts",
        json={"channel": "registered_letter", "sent_date": str(today())},
        headers=built.headers,
    ).json()

    text = letter(client, built, contact_id=sent["id"])

    assert (
        "Madame la Préfète de la Seine-Saint-Denis\nBureau du séjour\n1 esplanade Jean-Moulin"
        in text
    )
    assert "Madame la Préfète," in text
    assert f"Le {plain(__import__('app.french', fromlist=['x']).format_date(today()))}" not in text
    assert "Son dossier est complet" not in text
    assert "(article L. 761-1 du même code)" in text
    assert "(art. L. 435-1 du CESEDA)" in text


def test_a_complete_file_is_said_complete(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)
    case = client.get(f"/api/v1/cases/{built.case['id']}", headers=built.headers)
    client.patch(
        f"/api/v1/cases/{built.case['id']}",
        json={"file_complete": True},
        headers=built.headers | {"If-Match": case.headers["etag"]},
    )

    assert "Son dossier est complet et prêt à être déposé." in letter(client, built)


@pytest.mark.parametrize(
    "kind", ["interim_relief_petition", "prefecture_letter", "exhibit_inventory", "attempts_annex"]
)
def test_every_document_is_a4_in_french_with_black_headings_and_page_numbers(
    client: TestClient, build: Any, kind: str
) -> None:
    built = build("93", weeks=3)
    document = generate(client, built.case["id"], built.headers, kind=kind)
    content = client.get(
        f"/api/v1/documents/{document['id']}/content", headers=built.headers
    ).content

    word = docx.Document(io.BytesIO(content))

    section = word.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None
    assert lang.get(qn("w:val")) == "fr-FR"
    for name in ("Normal", "Heading 1", "Heading 2"):
        style = word.styles[name]
        style_lang = style.element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        assert style_lang is not None, name
        assert style_lang.get(qn("w:val")) == "fr-FR", name
    for name in ("Heading 1", "Heading 2"):
        heading = word.styles[name]
        assert str(heading.font.color.rgb) == "000000"
        assert heading.font.name == "Times New Roman"
        fonts = heading.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None
        assert fonts.get(qn("w:asciiTheme")) is None
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    assert word.core_properties.author == "Cabinet Lefèvre & Associés"
    assert "python-docx" not in (word.core_properties.comments or "")
    for table in word.tables:
        grid = table._tbl.tblGrid
        widths = [int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))]
        assert len(set(widths)) > 1  # columns sized for their content, not split evenly


def test_exhibit_names_are_short_and_explicit(client: TestClient, build: Any) -> None:
    built = build("93", weeks=3)

    exhibits = client.get(f"/api/v1/cases/{built.case['id']}/exhibits", headers=built.headers)

    captures = [e["file_name"] for e in exhibits.json()["exhibits"] if e["kind"] == "screenshot"]
    import re

    assert captures
    assert all(re.fullmatch(r"PJ\d\d_Capture_\d{4}-\d\d-\d\d_\d\dh\d\d\.pdf", n) for n in captures)
    assert uuid  # module used in annotations elsewhere


def test_an_integrity_attestation_becomes_the_last_numbered_piece(
    client: TestClient, build: Any
) -> None:
    built = build("93", weeks=3)
    case_id = built.case["id"]
    listed = client.get(f"/api/v1/cases/{case_id}/evidence", headers=built.headers).json()
    shots = [e for e in listed["items"] if e["kind"] == "screenshot"]

    created = client.post(f"/api/v1/cases/{case_id}/integrity-attestations", headers=built.headers)

    assert created.status_code == 201, created.text
    attestation = created.json()
    assert attestation["kind"] == "integrity_attestation"
    assert attestation["media_type"] == "application/pdf"
    exhibits = client.get(f"/api/v1/cases/{case_id}/exhibits", headers=built.headers).json()
    last = exhibits["exhibits"][-1]
    assert last["evidence_ids"] == [attestation["id"]]
    assert last["label"].startswith("Attestation de conservation des captures d'écran")
    pdf = client.get(f"/api/v1/evidence/{attestation['id']}/content", headers=built.headers)
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = text.replace("\n", "")
    for shot in shots:
        assert shot["sha256"] in flat
    assert "sont intègres" in " ".join(text.split())
    verified = client.get(f"/api/v1/cases/{case_id}/evidence/verification", headers=built.headers)
    assert verified.json()["intact"] is True


def test_only_a_date_ahead_shortens_the_delay_asked(client: TestClient, build: Any) -> None:
    def fact(kind: str, days: int, description: str) -> list[dict[str, str]]:
        day = str(today() + timedelta(days=days))
        return [{"kind": kind, "fact_date": day, "description": description}]

    past = build("93", weeks=3, urgency=fact("family", -80, "Naissance de sa fille"))
    near = build("93", weeks=3, urgency=fact("employment", 12, "Début du contrat de travail"))

    slow = generate(client, past.case["id"], past.headers, kind="interim_relief_petition")
    fast = generate(client, near.case["id"], near.headers, kind="interim_relief_petition")

    assert slow["options"]["delay_days"] == 15
    assert fast["options"]["delay_days"] == 8
