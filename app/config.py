"""Settings read from the environment, with defaults that run on a bare machine.

Every field is documented in docs/configuration.md; keep the two in step.
"""

import base64
import os
import secrets
from enum import StrEnum
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, AnyHttpUrl, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.api import API_PREFIX
from app.policy import FirmPolicy

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that people paste from examples; refused in production.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "change_me", "secret", "please-change-me", "xxx", "todo"}
)
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    production = "production"
    test = "test"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class StorageBackend(StrEnum):
    local = "local"
    s3 = "s3"


def storage_keys(value: str) -> dict[str, bytes]:
    """The storage keys of ``CRENEAU_STORAGE_KEYS`` (``id:base64key[,id:base64key…]``, the first
    one current), checked: each id 1 to 40 ASCII characters, each key 32 bytes, no id twice."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in value.split(",")):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id or len(key_id) > 40 or not key_id.isascii():
            raise ValueError("each storage key is id:base64 (an id of 1 to 40 ASCII characters)")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise ValueError(f"storage key {key_id}: not base64") from exc
        if len(key) != 32:
            raise ValueError(f"storage key {key_id}: 32 bytes expected, not {len(key)}")
        if key_id in keys:
            raise ValueError(f"storage key {key_id} is given twice")
        keys[key_id] = key
    if not keys:
        raise ValueError("no storage key given")
    return keys


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CRENEAU_", env_nested_delimiter="__", extra="ignore"
    )

    env: Environment = Environment.development
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "CRENEAU_DATABASE_URL")
    )
    secret_key: SecretStr | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: AnyHttpUrl = Field(
        default=AnyHttpUrl("http://127.0.0.1:8000"),
        description="The address clients reach the API at (behind the reverse proxy): links "
        "Créneau gives out (the calendar feed) are built from it, never from a request's Host.",
    )
    allow_sqlite: bool = Field(
        default=False,
        description="Allow CRENEAU_ENV=production on the embedded SQLite database (one "
        "machine, one process). Without it, production without DATABASE_URL refuses to start.",
    )
    replicas: int = Field(
        default=1, ge=1, description="How many API containers run side by side (declared)."
    )
    allow_shared_local_storage: bool = Field(
        default=False,
        description="Several replicas on local storage: only when the data directory is one "
        "volume shared by every replica (e.g. NFS). Otherwise use S3.",
    )
    database_wait_seconds: float = Field(
        default=60, ge=0, le=600, description="How long start-up waits for the database."
    )
    embedded_worker: bool | None = Field(
        default=None,
        description="Run the background worker inside the API process (the embedded default: "
        "one process does everything). Unset: on, except in tests. Turn it off when "
        "`creneau worker` runs apart.",
    )
    readings: bool = Field(
        default=True,
        description="Read each screenshot with OCR in the background (CRENEAU_READINGS=false "
        "turns it off; without Tesseract installed, readings say `unavailable`).",
    )
    auth_cache_seconds: float = Field(
        default=1.0,
        ge=0,
        le=2,
        description="How long a process reuses a checked credential before reading the key or "
        "user again (0: every request). Changes made through this process apply at once; "
        "a revocation or deactivation made elsewhere applies within this delay.",
    )
    read_threads: int = Field(
        default=4,
        ge=1,
        le=64,
        description="How many of the hot reads (a case, a page of cases, readiness) one server "
        "process runs at once; the others wait their turn. A few at a time serve more than "
        "many, which contend for Python's GIL (docs/benchmarks.md).",
    )
    job_lease_seconds: int = Field(
        default=120,
        ge=5,
        le=3600,
        description="How long a worker holds a claimed job before another may take it over "
        "(a worker that died mid-job is replaced after this long).",
    )
    public_docs: bool = Field(
        default=True,
        description="Serve /docs, /redoc and /openapi.json without credentials "
        "(CRENEAU_PUBLIC_DOCS=false turns them off, e.g. in production).",
    )
    log_format: LogFormat | None = None
    log_level: str = "INFO"
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    alembic_ini: Path = PROJECT_ROOT / "alembic.ini"
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("HOST", "CRENEAU_HOST"))
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "CRENEAU_PORT"))
    policy: FirmPolicy = Field(default_factory=FirmPolicy)
    evidence_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    storage_backend: StorageBackend = StorageBackend.local
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_prefix: str = "evidence/"
    storage_keys: SecretStr | None = Field(
        default=None,
        description="Envelope encryption of stored files: comma-separated `id:base64` "
        "AES-256 keys, the first one current (docs/personal-data.md). Unset: stored as is.",
    )
    webhook_allowed_networks: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Private networks webhooks may reach (comma-separated CIDRs, e.g. an "
        "on-premise DMS at 10.0.0.0/8); every other private, loopback or link-local address is "
        "refused.",
    )

    @field_validator("webhook_allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [
                ip_network(cidr.strip(), strict=False) for cidr in value.split(",") if cidr.strip()
            ]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _production_needs_a_real_secret(self) -> "Settings":
        if self.env is Environment.production:
            key = self.secret_key.get_secret_value() if self.secret_key else ""
            if key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
                raise ValueError(
                    "CRENEAU_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters when CRENEAU_ENV=production"
                )
        return self

    @model_validator(mode="after")
    def _production_refuses_to_guess(self) -> "Settings":
        if self.env is not Environment.production:
            return self
        if not self.database_url and not self.allow_sqlite:
            raise ValueError(
                "CRENEAU_ENV=production needs DATABASE_URL (PostgreSQL); to run production on "
                "the embedded SQLite database on purpose, set CRENEAU_ALLOW_SQLITE=true"
            )
        local = self.storage_backend is StorageBackend.local
        if local and self.replicas > 1 and not self.allow_shared_local_storage:
            raise ValueError(
                f"CRENEAU_REPLICAS={self.replicas} with local evidence storage: each replica "
                "would keep its own files. Use CRENEAU_STORAGE_BACKEND=s3, or set "
                "CRENEAU_ALLOW_SHARED_LOCAL_STORAGE=true if the data directory is one shared volume"
            )
        return self

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> "Settings":
        if self.storage_backend is StorageBackend.s3 and not self.s3_bucket:
            raise ValueError("CRENEAU_S3_BUCKET is required when CRENEAU_STORAGE_BACKEND=s3")
        return self

    @field_validator("storage_keys", mode="before")
    @classmethod
    def _no_keys_when_empty(cls, value: object) -> object:
        # `CRENEAU_STORAGE_KEYS=` (an example line uncommented but not filled in) means none.
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _storage_keys_are_valid(self) -> "Settings":
        if self.storage_keys is not None:
            storage_keys(self.storage_keys.get_secret_value())
        return self

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.json if self.env is Environment.production else LogFormat.text

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'creneau.db').resolve()}"

    def public_url(self, path: str) -> str:
        """An API address to give out, from the configured base, never a request's Host."""
        return f"{str(self.public_base_url).rstrip('/')}{API_PREFIX}{path}"

    @cached_property
    def signing_key(self) -> str:
        """The secret that signs access tokens; in development kept in the data directory."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # Written aside then linked into place: two workers starting together
            # agree on one key and never read a half-written file.
            tmp = self.data_dir / f".secret_key.{secrets.token_hex(8)}"
            tmp.write_text(secrets.token_urlsafe(48), encoding="ascii")
            tmp.chmod(0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text(encoding="ascii").strip()


def get_settings() -> Settings:
    return Settings()


def runs_embedded_worker(settings: Settings) -> bool:
    if settings.embedded_worker is not None:
        return settings.embedded_worker
    return settings.env is not Environment.test
