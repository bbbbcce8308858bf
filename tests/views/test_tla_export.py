"""`checkmodel export --tla`: every spec in specs/ (the classics, the lifecycle designs and the
model/ modules they import) exports to a module that a real TLA+ parser (tree-sitter-tlaplus)
accepts, with the config that names its properties."""

from __future__ import annotations

import glob
import os
import warnings
from typing import Any

import pytest
import tree_sitter
import tree_sitter_tlaplus

from checker import api, cli
from checker.views import tla

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# model/properties.spec is a fragment that only the lifecycle specs import, and model/channel.spec
# reads the worker's engine state (past_run_timeout), so it too loads only with the worker; every
# model module is exported as part of the lifecycle specs in specs/.
STANDALONE_MODEL = ["janitor", "lifecycle", "lightning", "liveness"]
SPECS = sorted(glob.glob(os.path.join(ROOT, "specs", "**", "*.spec"), recursive=True)) + [
    os.path.join(ROOT, "model", f"{name}.spec") for name in STANDALONE_MODEL]


def parser() -> tree_sitter.Parser:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the grammar's int handle
        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_tlaplus.language()))


def syntax_errors(text: str) -> list[str]:
    """The ERROR and MISSING nodes of the parse, with their line:column and text."""
    found: list[str] = []
    work: list[Any] = [parser().parse(text.encode()).root_node]
    while work:
        node = work.pop()
        if node.type == "ERROR" or node.is_missing:
            row, col = node.start_point
            found.append(f"{row + 1}:{col + 1} {node.type} {node.text[:60]!r}")
        work.extend(node.children)
    return found


def test_the_parser_rejects_broken_tla() -> None:
    good = "---- MODULE M ----\nVARIABLES x\nInit == x = 0\nNext == x' = x + 1\n====\n"
    assert syntax_errors(good) == []
    assert syntax_errors(good.replace("x + 1", "x +")) != []
    assert syntax_errors(good.replace("Init ==", "Init")) != []


@pytest.mark.parametrize("path", SPECS, ids=[os.path.relpath(p, ROOT) for p in SPECS])
def test_every_spec_exports_to_tla_that_parses(path: str) -> None:
    spec = api.load_spec(path)
    module = tla.export(spec)
    assert module.module.startswith(f"---- MODULE {module.name} ----")
    assert syntax_errors(module.module) == []
    for prop in spec.properties:
        assert f"\n{tla.ident(prop.name)} ==" in module.module
    for action in spec.actions:
        assert f"\n{tla.ident(action.name)}" in module.module


def test_the_config_names_every_property(tmp_path: Any) -> None:
    path = os.path.join(ROOT, "specs", "examples", "dining.spec")
    assert cli.main(["export", "--tla", path, "--out", str(tmp_path)]) == 0
    config = (tmp_path / "dining.cfg").read_text()
    module = (tmp_path / "dining.tla").read_text()
    assert "SPECIFICATION Spec" in config and "CHECK_DEADLOCK TRUE" in config
    for line in ("INVARIANT TypeOK", "INVARIANT ForksConserved", "PROPERTY NobodyStarves"):
        assert line in config.splitlines()
    assert "INVARIANT AllHoldOne" not in config.splitlines()  # a witness, not an invariant
    assert "NobodyStarves == \\A p \\in (1 .. NP): []<>(" in module
    assert "WF_vars((phil_pickFirst(self) \\/ phil_pickSecond(self) \\/ phil_eat(self)))" in module


def test_statements_translate_in_order(tmp_path: Any) -> None:
    text = """
var x: 0..9 = 0;
var q: fifo[0..9, 2] = <<>>;
action a(k in 1..2) when x < 5 {
  x := x + k;
  if x > 3 { x := 0; } else { await x != 2; }
  send x to q;
}
action b { receive y from q; either { x := y; } or { skip; } }
transition Up: x' >= x or x' == 0 or x' == head(q);
"""
    path = tmp_path / "s.spec"
    path.write_text(text)
    module = tla.export(api.load_spec(str(path))).module
    assert syntax_errors(module) == []
    assert "(LET x_1 == (x + k) IN" in module  # later statements read the new value
    assert "IF (x_1 > 3) THEN" in module
    # the rest of the block after the `if`, once, as an operator of the variables' values
    assert "(LET K_2(x_k_3, q_k_4) == (Len(q_k_4) < 2) /\\ (LET q_5 == Append(q_k_4, x_k_3)" in module
    assert "THEN (LET x_6 == 0 IN K_2(x_6, q)) ELSE ((x_1 # 2)) /\\ K_2(x_1, q)" in module
    assert "Len(q) > 0 /\\ (LET y_" in module
    assert "Up == [][" in module and "]_vars" in module
    assert "\\E k \\in {1, 2}: a(k)" in module
