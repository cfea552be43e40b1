"""A Python client generated from our OpenAPI document, as an integrator would: it must come
out without a warning, hold every operation, and run docs/client/example.py over real HTTP."""

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app import clock
from app.auth.permissions import Role
from tests.builders import make_api_key, make_user
from tests.evidence import files

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def generated(app: FastAPI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("client")
    spec = work / "openapi.json"
    spec.write_text(json.dumps(app.openapi()))
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(ROOT / "docs" / "client" / "openapi-python-client.yaml"),
            "--output-path",
            str(work / "creneau-client"),
        ],
        capture_output=True,
        text=True,
        cwd=work,
        env={"PATH": str(Path(sys.executable).parent)},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(work / "creneau-client"))
    try:
        yield work / "creneau-client" / "creneau_client"
    finally:
        sys.path.remove(str(work / "creneau-client"))
        for name in [n for n in sys.modules if n.startswith("creneau_client")]:
            del sys.modules[name]


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def test_the_generated_client_has_every_operation(app: FastAPI, generated: Path) -> None:
    modules = {path.stem for path in (generated / "api").rglob("*.py")}
    spec = app.openapi()
    wanted = {_snake(op["operationId"]) for ops in spec["paths"].values() for op in ops.values()}

    assert wanted <= modules, wanted - modules
    assert (generated / "models" / "problem.py").exists()


def _example() -> ModuleType:
    path = ROOT / "docs" / "client" / "example.py"
    spec = importlib.util.spec_from_file_location("example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_example_runs_through_the_generated_client(
    generated: Path, live_server: str, session: Session
) -> None:
    key = make_api_key(session, make_user(session, role=Role.paralegal))
    session.commit()
    example = _example()
    from creneau_client import AuthenticatedClient  # type: ignore[import-not-found]  # generated

    with AuthenticatedClient(base_url=live_server, token=key) as api:
        done = example.walkthrough(api, files.png(), clock.now() - timedelta(hours=2))

    assert done.evidence.kind.value == "screenshot"
    assert done.readiness.case_id == done.case_id
    assert done.refusal.status == 409
    assert done.refusal.type_ == "https://creneau.dev/problems/readiness-not-met"
    assert done.refusal.detail
    assert done.refusal.additional_properties["failed_criteria"]
