"""A capture uploaded through the API, as a paralegal's script sends it."""

from fastapi.testclient import TestClient


def upload_capture(
    api: TestClient, headers: dict[str, str], case_id: str, image: bytes, attempt_id: str | None
) -> str:
    data = {"kind": "screenshot"} | ({"attempt_id": attempt_id} if attempt_id else {})
    upload = {"file": ("capture.png", image, "image/png")}
    url = f"/api/v1/cases/{case_id}/evidence"
    uploaded = api.post(url, data=data, files=upload, headers=headers)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["reading"] is None or uploaded.json()["reading"]["status"] == "pending"
    return str(uploaded.json()["id"])
