"""An upload reads, checks and publishes its file before its write begins: other writers of
the firm (another upload, an attempt logged, a login) are not kept waiting on its I/O."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app import wiring
from app.auth.permissions import Role
from app.blobstore.sealing import Sealer
from app.blobstore.storage import LocalBlobStore, Staging
from app.config import Settings
from app.db import make_engine
from app.evidence import wholefile
from app.main import create_app
from tests.builders import auth, make_case, make_user, token_for
from tests.evidence import files
from tests.locks import lock_free


def test_the_file_is_checked_and_published_with_no_write_lock_held(
    real_db: Settings, tmp_path: Path, sealer: Sealer | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(real_db.effective_database_url)
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's one write lock")
    database = str(url.database)
    app = create_app(real_db)
    engine = make_engine(real_db.effective_database_url)
    app.state.session_factory = wiring.session_factory(engine)
    store = LocalBlobStore(tmp_path / "blobs", sealer)
    app.state.blob_store = store
    with app.state.session_factory() as session:
        headers = auth(token_for(make_user(session, role=Role.paralegal), key=real_db.signing_key))
        case_id = make_case(session).id
        session.commit()
    free: dict[str, bool] = {}

    def spying(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(*args: Any) -> Any:
            free[name] = lock_free(database)
            return real(*args)

        return spy

    monkeypatch.setattr(wholefile, "check", spying("check", wholefile.check))
    real_publish: Callable[[Staging], str] = store.publish
    monkeypatch.setattr(store, "publish", spying("publish", real_publish))
    try:
        with TestClient(app, raise_server_exceptions=False) as api:
            response = api.post(
                f"/api/v1/cases/{case_id}/evidence",
                files={"file": ("capture.png", files.png(), "image/png")},
                data={"kind": "screenshot"},
                headers=headers,
            )
    finally:
        engine.dispose()

    assert response.status_code == 201, response.text
    assert free == {"check": True, "publish": True}
