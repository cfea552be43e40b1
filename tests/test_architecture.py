"""The house keeps its shape: one-way imports along one written table of ranks, and the
conventions that keep behaviour independent of what a process imported.

The table and the AST walk are in ``tests/house.py`` (``python -m tests.house`` prints the
figures). Each test below also runs against a planted violation, so a check that could
never fail would show.
"""

import ast
import textwrap
from pathlib import Path

import pytest

from tests import house

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def modules() -> dict[str, house.Module]:
    return house.load(ROOT)


def _planted(tmp_path: Path, files: dict[str, str]) -> dict[str, house.Module]:
    """A small tree with the given modules (``app/...`` paths), loaded like the real one."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(tmp_path).parents:
            if str(parent) != ".":
                (tmp_path / parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(text))
    return house.load(tmp_path)


def test_every_module_has_a_rank(modules: dict[str, house.Module]) -> None:
    assert [name for name in modules if house.rank_of(name) is None] == []


def test_imports_only_go_down_the_ranks(modules: dict[str, house.Module]) -> None:
    back = [
        f"{imp.source}:{imp.line} -> {imp.target} {imp.names}"
        for imp in house.back_imports(modules)
    ]

    assert back == []


def test_no_module_imports_itself_in_a_circle(modules: dict[str, house.Module]) -> None:
    assert house.circles(modules) == []


def test_no_function_local_import_of_the_app(modules: dict[str, house.Module]) -> None:
    local = [
        f"{imp.source}:{imp.line} -> {imp.target}" for imp in house.function_local_imports(modules)
    ]

    assert local == []


def test_no_listener_on_the_global_session(modules: dict[str, house.Module]) -> None:
    assert house.global_session_listeners(modules) == []


def test_sessions_come_from_the_wiring(modules: dict[str, house.Module]) -> None:
    assert house.session_factories(modules) == []


def test_routers_and_pages_do_http_only(modules: dict[str, house.Module]) -> None:
    assert house.queries_in_http_modules(modules) == []


def test_routers_never_import_routers(modules: dict[str, house.Module]) -> None:
    assert house.router_imports(modules) == []


def test_no_module_is_over_the_size_limit(modules: dict[str, house.Module]) -> None:
    over = [
        (name, lines)
        for name, lines in house.long_modules(modules)
        if name not in house.LONG_MODULES_ALLOWED
    ]

    assert over == []


def test_the_rank_table_is_the_one_the_architecture_doc_prints() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

    assert house.rank_table() in doc


# The checks, shown to fail on planted violations.


def test_a_planted_back_import_is_caught(tmp_path: Path) -> None:
    planted = _planted(
        tmp_path,
        {
            "app/cases/service.py": "from app.evidence.models import Evidence\n",
            "app/evidence/models.py": "Evidence = object\n",
        },
    )

    [back] = house.back_imports(planted)

    assert (back.source, back.target, back.names) == (
        "app.cases.service",
        "app.evidence.models",
        ("Evidence",),
    )


def test_a_type_checking_import_is_allowed(tmp_path: Path) -> None:
    planted = _planted(
        tmp_path,
        {
            "app/cases/service.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from app.evidence.models import Evidence
            """,
            "app/evidence/models.py": "Evidence = object\n",
        },
    )

    assert house.back_imports(planted) == []


def test_a_planted_circle_and_local_import_are_caught(tmp_path: Path) -> None:
    planted = _planted(
        tmp_path,
        {
            "app/events/service.py": """
                def expire():
                    from app.webhooks.delivery import forget
            """,
            "app/webhooks/delivery.py": "from app.events import service\n",
        },
    )

    assert house.circles(planted) == [["app.events.service", "app.webhooks.delivery"]]
    assert [i.source for i in house.function_local_imports(planted)] == ["app.events.service"]


def test_a_planted_global_listener_a_query_in_a_router_and_a_bare_session_are_caught(
    tmp_path: Path,
) -> None:
    planted = _planted(
        tmp_path,
        {
            "app/cases/activity.py": """
                from sqlalchemy import event
                from sqlalchemy.orm import Session, sessionmaker
                @event.listens_for(Session, "before_flush")
                def bump(session, context, instances): ...
                factory = sessionmaker()
            """,
            "app/cases/router.py": """
                from app.evidence.router import router
                def read(session, case_id):
                    return session.get(Case, case_id)
            """,
            "app/evidence/router.py": "router = None\n",
        },
    )

    assert house.global_session_listeners(planted) == ["app.cases.activity:4"]
    assert house.session_factories(planted) == ["app.cases.activity:6 sessionmaker(…)"]
    assert house.queries_in_http_modules(planted) == ["app.cases.router:4 session.get(…)"]
    assert house.router_imports(planted) == ["app.cases.router:2 -> app.evidence.router"]


def test_a_planted_long_module_is_caught(tmp_path: Path) -> None:
    planted = _planted(tmp_path, {"app/cases/service.py": "x = 1\n" * (house.MAX_LINES + 1)})

    assert house.long_modules(planted) == [("app.cases.service", house.MAX_LINES + 1)]


def test_an_unranked_module_is_caught(tmp_path: Path) -> None:
    planted = _planted(tmp_path, {"app/novelty.py": "x = 1\n", "app/db.py": "y = 2\n"})

    assert [name for name in planted if house.rank_of(name) is None] == ["app.novelty"]


def test_the_walk_reads_every_import_form() -> None:
    tree = ast.parse(
        textwrap.dedent(
            """
            import app.cases.models
            from app.cases import service as cases
            from app.cases.models import Case, Stage
            from . import reads
            """
        )
    )
    known = {
        "app.cases",
        "app.cases.models",
        "app.cases.service",
        "app.cases.reads",
        "app.cases.lists",
    }

    found = list(house._imports("app.cases.lists", tree, known))

    assert [(i.target, i.names) for i in found] == [
        ("app.cases.models", ()),
        ("app.cases.service", ()),
        ("app.cases.models", ("Case",)),
        ("app.cases.models", ("Stage",)),
        ("app.cases.reads", ()),
    ]
