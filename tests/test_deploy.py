"""The deployment files say what the docs say: checked here where no Docker daemon runs.

`docker compose config` validates the compose file where Docker exists; here the file is
parsed and held to the rules that make scale-out work (shared database and bucket, one
release step, a separate worker, TLS at the proxy), and its environment is fed to the real
settings, whose production checks must accept it.
"""

import re
from pathlib import Path
from typing import Any

import yaml

from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def _env(service: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """The service's environment with ``${VAR:?…}`` references filled from ``values``."""
    out = {}
    for key, value in service["environment"].items():
        out[key] = re.sub(r"\$\{(\w+)(:\?[^}]*)?\}", lambda m: values[m.group(1)], str(value))
    return out


def test_the_compose_file_runs_replicas_on_shared_state_with_a_separate_worker() -> None:
    services = _compose()["services"]

    assert set(services) == {"db", "s3", "bucket", "migrate", "api", "worker", "proxy"}
    assert services["migrate"]["command"] == ["creneau", "db", "upgrade"]
    for name in ("api", "worker"):
        service = services[name]
        env = service["environment"]
        assert env["CRENEAU_STORAGE_BACKEND"] == "s3", name
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert env["CRENEAU_EMBEDDED_WORKER"] == "false", name
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
    assert services["worker"]["command"] == ["creneau", "worker"]
    api = services["api"]
    assert "ports" not in api  # reachable only through the proxy, which alone may set X-Forwarded-*
    assert "--proxy-headers" in api["command"]
    assert "443:443" in services["proxy"]["ports"]


def test_every_secret_the_compose_file_needs_is_in_the_example_env_file() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    needed = set(re.findall(r"\$\{(\w+):\?", text))
    example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "creneau.env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }

    assert needed <= example
    assert {"CRENEAU_SECRET_KEY", "CRENEAU_PUBLIC_BASE_URL"} <= example
    assert "deploy/creneau.env" in (ROOT / ".gitignore").read_text()


def test_the_compose_environment_passes_the_production_checks() -> None:
    values = {"POSTGRES_PASSWORD": "pw", "MINIO_ROOT_USER": "u", "MINIO_ROOT_PASSWORD": "p"}
    env = _env(_compose()["services"]["api"], values)

    settings = Settings(
        env=env["CRENEAU_ENV"],
        database_url=env["DATABASE_URL"],
        secret_key="s" * 48,
        storage_backend=env["CRENEAU_STORAGE_BACKEND"],
        s3_bucket=env["CRENEAU_S3_BUCKET"],
        s3_endpoint_url=env["CRENEAU_S3_ENDPOINT_URL"],
        replicas=int(env["CRENEAU_REPLICAS"]),
        embedded_worker=env["CRENEAU_EMBEDDED_WORKER"] == "true",
        public_base_url="https://creneau.cabinet.fr",
    )

    assert settings.replicas == 2
    assert str(settings.public_base_url).startswith("https://")


def test_the_proxy_terminates_tls_and_balances_on_readiness() -> None:
    caddy = (DEPLOY / "Caddyfile").read_text()

    assert "{$CRENEAU_DOMAIN}" in caddy  # a domain: Caddy obtains and renews the certificate
    assert "reverse_proxy api:8000" in caddy
    assert "health_uri /health/ready" in caddy


def test_the_image_installs_the_lock_before_the_code_and_probes_readiness() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "# syntax" not in dockerfile
    assert dockerfile.index("COPY requirements.txt") < dockerfile.index("COPY app ")
    assert "pip install --no-deps -r requirements.txt" in dockerfile
    assert "pip uninstall -y pip setuptools wheel" in dockerfile
    assert re.search(r"HEALTHCHECK .*--start-period=\d+s", dockerfile)
    assert "/health/ready" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "tests", "var", ".venv"} <= set(ignored)
