"""The import order between the stages of the pipeline (ARCHITECTURE.md), checked over `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "checker"

# Lower ranks are imported by higher ones, never the other way; stages of equal rank do not
# import each other. A module may always import from its own stage.
RANKS = {"errors": 0, "ir": 1, "lang": 2, "trace": 2, "explicit": 3, "smt": 4, "views": 5,
         "api": 6, "report": 7, "commands": 8, "cli": 9, "__main__": 10}
MAX_LINES = 400

# Debts being paid off (issue 13): each entry must still be a problem, so the lists only shrink.
KNOWN_LONG: set[str] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()


def stage_of(module: str) -> str:
    """`checker.explicit.search` -> `explicit`; `checker.api` -> `api`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every `checker...` module an import statement names (anywhere in the file)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("checker")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "checker":
                found += [(node.lineno, f"checker.{a.name}") for a in node.names]
            elif node.module.startswith("checker."):
                found.append((node.lineno, node.module))
    return found


def upward_imports(path: Path, source: str) -> list[str]:
    """The imports of one module that go against the stage order."""
    here = stage_of(module_name(path))
    bad = []
    for line, target in imported_modules(ast.parse(source)):
        there = stage_of(target)
        if there == here:
            continue
        if RANKS[there] >= RANKS[here]:
            bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {here} imports {target}")
    return bad


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_stage_has_a_rank() -> None:
    stages = {stage_of(module_name(p)) for p in package_modules()} - {""}
    assert stages <= set(RANKS), f"stages without a rank: {stages - set(RANKS)}"


def test_imports_follow_the_stage_order() -> None:
    bad = [b for p in package_modules() for b in upward_imports(p, p.read_text())]
    assert not bad, "imports against the order of ARCHITECTURE.md:\n" + "\n".join(bad)


@pytest.mark.parametrize("source, stage", [
    ("from checker.report import table\n", "ir"),
    ("from checker import api\n", "explicit"),
    ("def f():\n    from checker.views.msc import Chart\n", "trace"),
    ("from checker.smt import bmc\n", "explicit"),
])
def test_an_upward_import_is_caught(source: str, stage: str) -> None:
    fake = PACKAGE / stage / "probe.py"
    assert upward_imports(fake, source), f"{source!r} in {stage} should be refused"


def test_no_import_cycles_between_modules() -> None:
    import networkx as nx
    graph = nx.DiGraph()
    for path in package_modules():
        name = module_name(path)
        graph.add_node(name)
        for _, target in imported_modules(ast.parse(path.read_text())):
            if target in ("checker", name):
                continue
            graph.add_edge(name, target)
    cycles = {frozenset(c) for c in nx.simple_cycles(graph)}
    assert cycles <= KNOWN_CYCLES, f"import cycles: {sorted(map(sorted, cycles - KNOWN_CYCLES))}"
    assert KNOWN_CYCLES <= cycles, f"fixed, remove from KNOWN_CYCLES: {KNOWN_CYCLES - cycles}"


def test_no_module_is_too_long() -> None:
    long = {str(p.relative_to(PACKAGE.parent)): n for p in package_modules()
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    new = [f"{name} ({n} lines)" for name, n in sorted(long.items()) if name not in KNOWN_LONG]
    assert not new, "modules over the limit (split them by concern): " + ", ".join(new)
    assert KNOWN_LONG <= set(long), f"now short, remove from KNOWN_LONG: {KNOWN_LONG - set(long)}"
