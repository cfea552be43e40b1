"""The attempts annex carries a chart of the client's attempts (CE 435594 at a glance)."""

import io
from typing import Any

import docx
from fastapi.testclient import TestClient
from PIL import Image


def test_the_annex_embeds_the_attempts_chart_the_same_every_time(
    client: TestClient, build: Any
) -> None:
    built = build("93", weeks=3)
    url = f"/api/v1/cases/{built.case['id']}/documents"

    first = client.post(url, json={"kind": "attempts_annex"}, headers=built.headers).json()
    second = client.post(url, json={"kind": "attempts_annex"}, headers=built.headers).json()
    content = client.get(f"/api/v1/documents/{first['id']}/content", headers=built.headers)

    word = docx.Document(io.BytesIO(content.content))
    (shape,) = word.inline_shapes
    assert shape.width.mm > 150
    image_part = next(rel.target_part for rel in word.part.rels.values() if "image" in rel.reltype)
    chart = Image.open(io.BytesIO(image_part.blob))
    assert chart.width > 600
    assert sum(1 for n in chart.convert("L").histogram() if n) > 10
    caption = [p.text for p in word.paragraphs if p.text.startswith("Chaque marque")]
    assert caption
    assert first["sha256"] == second["sha256"]  # same data, same bytes: the filing reproduces
