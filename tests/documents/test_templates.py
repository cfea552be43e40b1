import io
from pathlib import Path
from typing import Any

import docx
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.permissions import Role
from app.documents.builtin import TEMPLATES
from tests.builders import assert_problem, auth_as

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def put(
    client: TestClient, headers: dict[str, str], content: bytes, kind: str = "exhibit_inventory"
) -> Any:
    return client.put(
        f"/api/v1/templates/{kind}", content=content, headers=headers | {"Content-Type": DOCX}
    )


def test_a_template_with_an_unknown_variable_is_refused(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)

    response = put(
        client, admin, word_with("Bordereau {{ case.reference }}", "{{ signature_du_batonnier }}")
    )

    body = assert_problem(response, 422, "template-rejected")
    assert [e["msg"] for e in body["errors"]] == ["unknown variable: signature_du_batonnier"]


def test_an_unknown_attribute_and_a_syntax_error_are_refused(
    client: TestClient, session: Session
) -> None:
    admin = auth_as(session, Role.admin)

    attribute = put(client, admin, word_with("{{ client.shoe_size }}"))
    syntax = put(client, admin, word_with("{% for e in exhibits %}{{ e.number }}"))
    not_word = put(client, admin, b"PK\x03\x04 not really a docx")

    assert "shoe_size" in assert_problem(attribute, 422, "template-rejected")["errors"][0]["msg"]
    assert "syntax" in assert_problem(syntax, 422, "template-rejected")["errors"][0]["msg"]
    assert (
        assert_problem(not_word, 422)["errors"][0]["msg"]
        == "the file is not a Word document (.docx)"
    )


def test_an_accepted_template_is_used_versioned_and_can_be_rolled_back(
    client: TestClient, session: Session, build: Any
) -> None:
    admin = auth_as(session, Role.admin)
    built = build("93", weeks=2)
    own = word_with(
        "Inventaire maison - {{ case.reference }}",
        "{% for e in exhibits %}{{ e.number }} : {{ e.label }}{% endfor %}",
    )

    first = put(client, admin, own)
    second = put(client, admin, own)
    document = client.post(
        f"/api/v1/cases/{built.case['id']}/documents",
        json={"kind": "exhibit_inventory"},
        headers=built.headers,
    ).json()
    text = (
        docx.Document(
            io.BytesIO(
                client.get(
                    f"/api/v1/documents/{document['id']}/content", headers=built.headers
                ).content
            )
        )
        .paragraphs[0]
        .text
    )
    restored = client.post("/api/v1/templates/exhibit_inventory/restorations", headers=admin)
    builtin = client.get("/api/v1/templates/exhibit_inventory/content", headers=built.headers)

    assert first.status_code == 200
    assert [v["version"] for v in second.json()["versions"]] == [1, 2]
    assert second.json()["active"]["version"] == 2
    assert document["template_id"] == second.json()["active"]["id"]
    assert text == f"Inventaire maison - {built.case['reference']}"
    assert restored.json()["uses_builtin"] is True
    assert len(restored.json()["versions"]) == 2
    assert builtin.content == (TEMPLATES / "exhibit_inventory.docx").read_bytes()


def test_only_admins_manage_templates(client: TestClient, session: Session) -> None:
    response = put(client, auth_as(session, Role.lawyer), word_with("x"))

    assert_problem(response, 403)


def test_every_builtin_template_renders_the_sample(client: TestClient, session: Session) -> None:
    admin = auth_as(session, Role.admin)
    for path in sorted(Path(TEMPLATES).glob("*.docx")):
        assert put(client, admin, path.read_bytes(), kind=path.stem).status_code == 200, path.name
