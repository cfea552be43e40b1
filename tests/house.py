"""The house as its imports draw it: ranks, back imports, circles, sizes.

One written table of ranks (``RANKS``, the order of ``docs/architecture.md``, kernel lowest)
and an AST walk over ``app/``. ``tests/test_architecture.py`` holds the code to it; run it
as a script to print the figures (of this checkout, or of another one):

    python -m tests.house [ROOT]
"""

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Rank of each part of the house; an import may only go to the same rank or lower. A part
# is a package under app/ (``app.cases``), a sub-package given its own rank
# (``app.worker``) or a root module (``app.db``); the longest matching name wins.
RANKS: dict[str, int] = {
    # 0 — the kernel: infrastructure every domain may use.
    **dict.fromkeys(
        (
            "app", "app.api", "app.bodies", "app.clock", "app.config", "app.db",
            "app.errors", "app.etags", "app.external_refs", "app.french", "app.health",
            "app.hygiene", "app.logs", "app.openapi", "app.pagination", "app.policy",
            "app.request_context", "app.schema",
        ),
        0,
    ),
    # 1 — shared services: bytes, who acts, what was done, what changed, work to do.
    **dict.fromkeys(
        ("app.blobstore", "app.auth", "app.audit", "app.events", "app.jobs", "app.idempotency"),
        1,
    ),
    # 2 — reference data and the firm.
    "app.prefectures": 2,
    "app.firm": 2,
    # 3 — 5: the people, their files, what happens in a file.
    "app.clients": 3,
    "app.cases": 4,
    "app.attempts": 5,
    "app.contacts": 5,
    "app.proceedings": 5,
    # 6 — the evidence of it (with the reading of captures).
    "app.evidence": 6,
    # 7 — what the evidence says: deadlines, readiness.
    "app.agenda": 7,
    "app.readiness": 7,
    # 8 — what is made of it: drafts, figures, the client's page, integrations.
    "app.documents": 8,
    "app.statistics": 8,
    "app.client_links": 8,
    "app.webhooks": 8,
    # 9 — what is filed, campaigns.
    "app.filings": 9,
    "app.campaigns": 9,
    # 10 — personal data across every domain (export, erasure, retention).
    "app.personal_data": 10,
    # 11 — the composition roots.
    "app.worker": 11,
    "app.wiring": 11,
    "app.main": 11,
    "app.cli": 11,
    "app.models": 11,
}  # fmt: skip

# Modules allowed past MAX_LINES: templates as code (prose, not logic).
LONG_MODULES_ALLOWED: frozenset[str] = frozenset()
MAX_LINES = 400
LONG_FUNCTION = 60
# Modules that speak HTTP only: no query of their own.
HTTP_MODULES = ("router.py", "page.py")
QUERY_CALLS = frozenset({"exec", "execute", "get", "scalars", "scalar", "add", "flush", "delete"})


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module, dotted
    names: tuple[str, ...]
    line: int
    local: bool  # inside a function
    type_checking: bool


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    lines: int
    imports: list[Import] = field(default_factory=list)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# Where modules of earlier checkouts belong in today's house, so that the figures of an
# older tree are measured against the same table.
FORMER_PLACES: dict[str, str] = {
    "app" + ".readings": "app.evidence",
    "app" + ".blob_references": "app.personal_data",
    "app" + ".signed_links": "app.auth",
    "app" + ".jobs.worker": "app.worker",
    "app" + ".jobs.registry": "app.worker",
}


def part_of(name: str) -> str | None:
    """The part of the house (a key of RANKS) a module belongs to."""
    for former, today in FORMER_PLACES.items():
        if name == former or name.startswith(former + "."):
            return today
    candidates = [
        part for part in RANKS if name == part or (part != "app" and name.startswith(part + "."))
    ]
    return max(candidates, key=len) if candidates else None


def rank_of(name: str) -> int | None:
    part = part_of(name)
    return None if part is None else RANKS[part]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, tree: ast.Module, known: set[str]) -> Iterator[Import]:
    package = name if name in known and _is_package(name, known) else name.rpartition(".")[0]

    def visit(node: ast.AST, *, local: bool, guarded: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.body:
                    yield from visit_one(sub, local=local, guarded=True)
                for sub in child.orelse:
                    yield from visit_one(sub, local=local, guarded=guarded)
                continue
            yield from visit_one(child, local=local, guarded=guarded)

    def visit_one(child: ast.AST, *, local: bool, guarded: bool) -> Iterator[Import]:
        if isinstance(child, ast.Import):
            for alias in child.names:
                if alias.name.startswith("app"):
                    yield Import(name, alias.name, (), child.lineno, local, guarded)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (child.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if not (base == "app" or base.startswith("app.")):
                return
            for alias in child.names:
                sub = f"{base}.{alias.name}"
                if sub in known:  # ``from app.cases import service``: the module itself
                    yield Import(name, sub, (), child.lineno, local, guarded)
                else:
                    yield Import(name, base, (alias.name,), child.lineno, local, guarded)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from visit(child, local=True, guarded=guarded)
        else:
            yield from visit(child, local=local, guarded=guarded)

    yield from visit(tree, local=False, guarded=False)


def _is_package(name: str, known: set[str]) -> bool:
    return any(other.startswith(name + ".") for other in known)


def load(root: Path) -> dict[str, Module]:
    """Every module under ``root/app``, parsed, with its imports of ``app``."""
    paths = sorted((root / "app").rglob("*.py"))
    modules: dict[str, Module] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = module_name(root, path)
        modules[name] = Module(name, path, ast.parse(text), text.count("\n"))
    known = set(modules)
    for module in modules.values():
        module.imports = list(_imports(module.name, module.tree, known))
    return modules


def back_imports(modules: dict[str, Module]) -> list[Import]:
    """Imports from a lower rank to a higher one (``TYPE_CHECKING`` excepted)."""
    found = []
    for module in modules.values():
        for imp in module.imports:
            low, high = rank_of(imp.source), rank_of(imp.target)
            if imp.type_checking or low is None or high is None:
                continue
            if high > low:
                found.append(imp)
    return found


def back_names(imports: list[Import]) -> int:
    """How many names run back up (a module imported whole counts as one)."""
    return sum(max(1, len(imp.names)) for imp in imports)


def circles(modules: dict[str, Module]) -> list[list[str]]:
    """Groups of modules that import each other, directly or not, function-local imports
    included (``TYPE_CHECKING`` excepted): Tarjan's strongly connected components."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module in modules.values():
        for imp in module.imports:
            if not imp.type_checking and imp.target in modules and imp.target != imp.source:
                graph[module.name].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def strongconnect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                strongconnect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for node in sorted(modules):
        if node not in index:
            strongconnect(node)
    return found


def function_local_imports(modules: dict[str, Module]) -> list[Import]:
    return [imp for module in modules.values() for imp in module.imports if imp.local]


def long_modules(modules: dict[str, Module], limit: int = MAX_LINES) -> list[tuple[str, int]]:
    return sorted(
        ((m.name, m.lines) for m in modules.values() if m.lines > limit),
        key=lambda item: -item[1],
    )


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def long_functions(
    modules: dict[str, Module], limit: int = LONG_FUNCTION
) -> list[tuple[str, str, int]]:
    found = []
    for module in modules.values():
        for node in _functions(module.tree):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                found.append((module.name, node.name, length))
    return sorted(found, key=lambda item: -item[2])


def positional_after_session(modules: dict[str, Module]) -> tuple[int, list[str]]:
    """Public functions whose first parameter is ``session``: how many, and those taking
    another positional parameter after it."""
    total, positional = 0, []
    for module in modules.values():
        for node in _functions(module.tree):
            args = node.args.posonlyargs + node.args.args
            if node.name.startswith("_") or not args or args[0].arg != "session":
                continue
            total += 1
            if len(args) > 1:
                positional.append(f"{module.name}.{node.name}")
    return total, sorted(positional)


def global_session_listeners(modules: dict[str, Module]) -> list[str]:
    """``event.listens_for(Session, …)`` or ``event.listen(Session, …)``: a listener on
    SQLAlchemy's class, for every session of the process."""
    found = []
    for module in modules.values():
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"listens_for", "listen"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "Session"
            ):
                found.append(f"{module.name}:{node.lineno}")
    return found


def queries_in_http_modules(modules: dict[str, Module]) -> list[str]:
    """``session.exec(…)``, ``select(…)`` and the like in a router or page module."""
    found = []
    for module in modules.values():
        if not module.path.name.endswith(HTTP_MODULES):
            continue
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "select":
                found.append(f"{module.name}:{node.lineno} select(…)")
            elif (
                isinstance(func, ast.Attribute)
                and func.attr in QUERY_CALLS
                and isinstance(func.value, ast.Name)
                and func.value.id == "session"
            ):
                found.append(f"{module.name}:{node.lineno} session.{func.attr}(…)")
    return found


def session_factories(modules: dict[str, Module]) -> list[str]:
    """Where sessions are made other than through the wiring: ``sessionmaker(…)`` or
    ``make_session_factory(…)`` called, or ``Session(…)`` built, outside app.wiring and
    app.db (a session made elsewhere would record no event)."""
    found = []
    for module in modules.values():
        if module.name in {"app.wiring", "app.db"}:
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called in {"sessionmaker", "make_session_factory", "Session"}:
                    found.append(f"{module.name}:{node.lineno} {called}(…)")
    return found


def router_imports(modules: dict[str, Module]) -> list[str]:
    """A router (or page) module importing another one: routers never import routers."""
    found = []
    for module in modules.values():
        if not module.path.name.endswith(HTTP_MODULES):
            continue
        for imp in module.imports:
            target = modules.get(imp.target)
            is_http = target is not None and target.path.name.endswith(HTTP_MODULES)
            if is_http and imp.target != module.name:
                found.append(f"{imp.source}:{imp.line} -> {imp.target}")
    return found


def rank_table() -> str:
    """The ranks as docs/architecture.md prints them, lowest first."""
    by_rank: dict[int, list[str]] = defaultdict(list)
    for part, rank in RANKS.items():
        by_rank[rank].append(part.removeprefix("app.") if part != "app" else "app/__init__")
    lines = ["| rank | parts of the house |", "| --- | --- |"]
    for rank in sorted(by_rank):
        lines.append(f"| {rank} | {', '.join(sorted(by_rank[rank]))} |")
    return "\n".join(lines)


def report(root: Path) -> str:
    modules = load(root)
    back = back_imports(modules)
    pairs = {(part_of(imp.source), part_of(imp.target)) for imp in back}
    lines = [
        f"modules: {len(modules)}, lines: {sum(m.lines for m in modules.values())}",
        f"unranked modules: {sorted(n for n in modules if rank_of(n) is None) or 'none'}",
    ]
    found_circles = circles(modules)
    lines.append(f"circles: {len(found_circles)}")
    lines += [f"  {len(group)} modules: {', '.join(group)}" for group in found_circles]
    lines.append(
        f"back imports: {len(back)} statements, {back_names(back)} names, "
        f"{len(pairs)} package pairs"
    )
    for imp in sorted(back, key=lambda i: (i.source, i.line)):
        what = ", ".join(imp.names) or "(module)"
        where = " (function-local)" if imp.local else ""
        lines.append(f"  {imp.source}:{imp.line} -> {imp.target}: {what}{where}")
    local = function_local_imports(modules)
    lines.append(f"function-local app imports: {len(local)}")
    lines += [f"  {i.source}:{i.line} -> {i.target}" for i in local]
    listeners = global_session_listeners(modules)
    lines.append(f"listeners on the global Session: {len(listeners)}")
    lines += [f"  {where}" for where in listeners]
    queries = queries_in_http_modules(modules)
    lines.append(f"queries in router/page modules: {len(queries)}")
    lines += [f"  {where}" for where in queries]
    routers = router_imports(modules)
    lines.append(f"routers importing routers: {len(routers)}")
    lines += [f"  {where}" for where in routers]
    factories = session_factories(modules)
    lines.append(f"sessions made outside the wiring: {len(factories)}")
    lines += [f"  {where}" for where in factories]
    over300 = long_modules(modules, 300)
    over400 = long_modules(modules, MAX_LINES)
    lines.append(f"modules over 300 lines: {len(over300)}; over {MAX_LINES}: {len(over400)}")
    lines += [f"  {name}: {count}" for name, count in over300]
    functions = long_functions(modules)
    lines.append(f"functions over {LONG_FUNCTION} lines: {len(functions)}")
    lines += [f"  {name}.{func}: {length}" for name, func, length in functions]
    total, positional = positional_after_session(modules)
    lines.append(
        f"public session-first functions: {total}, with positional arguments after the "
        f"session: {len(positional)}"
    )
    lines += [f"  {name}" for name in positional]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
