from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.config import Environment, LogFormat, Settings


@pytest.mark.parametrize("secret", [None, "changeme", "change-me", "short-but-random"])
def test_production_refuses_a_missing_or_placeholder_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="CRENEAU_SECRET_KEY"):
        Settings(env=Environment.production, secret_key=secret, allow_sqlite=True)


def test_production_accepts_a_real_secret_and_logs_json() -> None:
    settings = Settings(
        env=Environment.production, secret_key="r" * 48, database_url="postgresql+psycopg://db/x"
    )

    assert settings.effective_log_format is LogFormat.json


def test_production_refuses_to_guess_its_database_and_storage() -> None:
    real: dict[str, Any] = {"env": Environment.production, "secret_key": "r" * 48}
    pg: dict[str, Any] = {"database_url": "postgresql+psycopg://db/creneau"}

    with pytest.raises(ValidationError, match="needs DATABASE_URL"):
        Settings(**real)
    with pytest.raises(ValidationError, match="CRENEAU_REPLICAS=2 with local evidence storage"):
        Settings(**real, **pg, replicas=2)

    assert Settings(**real, allow_sqlite=True).effective_database_url.startswith("sqlite")
    assert Settings(**real, **pg, replicas=2, allow_shared_local_storage=True).replicas == 2
    assert Settings(**real, **pg, replicas=3, storage_backend="s3", s3_bucket="b").replicas == 3


def test_development_generates_a_secret_once_and_keeps_it(tmp_path: Path) -> None:
    first = Settings(env=Environment.development, data_dir=tmp_path).signing_key
    second = Settings(env=Environment.development, data_dir=tmp_path).signing_key

    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_variables_configure_everything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRENEAU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db.internal/creneau")
    monkeypatch.setenv("CRENEAU_CORS_ORIGINS", "https://app.cabinet.fr, https://admin.cabinet.fr")
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9000")

    settings = Settings()

    assert settings.data_dir == tmp_path
    assert settings.effective_database_url == "postgresql+psycopg://db.internal/creneau"
    assert settings.cors_origins == ["https://app.cabinet.fr", "https://admin.cabinet.fr"]
    assert (settings.host, settings.port) == ("0.0.0.0", 9000)


def test_default_database_is_sqlite_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CRENEAU_DATABASE_URL", raising=False)

    settings = Settings(data_dir=tmp_path)

    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'creneau.db'}"


def test_storage_keys_are_checked_at_start_up_and_empty_means_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRENEAU_STORAGE_KEYS", "")
    assert Settings().storage_keys is None
    monkeypatch.setenv("CRENEAU_STORAGE_KEYS", "k1:not-a-key")
    with pytest.raises(ValueError, match="storage key k1"):
        Settings()
