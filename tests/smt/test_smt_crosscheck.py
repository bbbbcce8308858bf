"""Two semantics of every spec in the repository, checked against each other.

For each `specs/**/*.spec`: BMC to depth K finds a violation of a property exactly when the
explicit BFS finds one within K steps, with the same shortest length; the naive reference
explorer agrees with both; and Z3 enumerates exactly the states BFS reaches within a few steps.
A deliberately wrong encoding (a dropped guard, a dropped action) is caught by the same checks.
"""

from __future__ import annotations

import dataclasses
import glob
import os
from typing import Any, Optional

import pytest

from checker import api
from checker.ir import nodes as ir
from checker.explicit.compile import compile_spec
from checker.explicit.search import SearchOptions, explore
from checker.smt.bmc import bmc, reachable_states
from checker.smt.confirm import EncodingMismatch
from checker.smt.actions import ActionWriter
from tests import reference_explorer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPECS = sorted(os.path.relpath(p, ROOT)
               for p in glob.glob(os.path.join(ROOT, "specs", "**", "*.spec"), recursive=True))
ERROR = "EvaluationError"


def depth_for(path: str) -> int:
    """Steps of BMC per spec: deep enough to matter, small enough to keep the file fast."""
    return 8 if "examples" in path else 5


def safety(spec: ir.Spec) -> frozenset[str]:
    return frozenset(p.name for p in spec.properties if p.kind in ("invariant", "transition"))


def bfs_shortest(spec: ir.Spec, steps: int) -> dict[str, int]:
    """Shortest violation per property among behaviours of at most `steps` steps (BFS)."""
    options = SearchOptions(max_depth=steps + 2, keep_going=True,
                            check_deadlock=spec.check_deadlock, properties=safety(spec))
    search = explore(compile_spec(spec), options)
    found = {v.name: v.length for v in search.violations if v.length <= steps + 1}
    if search.error is not None and len(search.error_states()) <= steps + 1:
        found[ERROR] = len(search.error_states())
    return found


def bmc_shortest(spec: ir.Spec, steps: int) -> dict[str, int]:
    result = bmc(spec, steps, keep_going=True)
    assert result.complete, result.unknown
    return {v.name: len(v.states) for v in result.violations}


def reference_shortest(spec: ir.Spec, steps: int) -> dict[str, int]:
    ref = reference_explorer.explore(compile_spec(spec), steps, spec.check_deadlock)
    found = dict(ref.shortest)
    if ref.error_at is not None:
        found[ERROR] = ref.error_at
    return found


def comparable(found: dict[str, int]) -> dict[str, int]:
    """Violations no longer than the first evaluation error (every search stops there)."""
    limit = found.get(ERROR)
    return {n: k for n, k in found.items() if limit is None or k < limit or n == ERROR}


def disagreements(spec: ir.Spec, steps: int, count_steps: Optional[int] = None) -> list[str]:
    """What BFS, BMC and the reference explorer disagree on (empty when they agree)."""
    problems = []
    try:
        by_bmc = comparable(bmc_shortest(spec, steps))
    except EncodingMismatch as mismatch:
        return [f"a BMC trace does not replay: {mismatch}"]
    by_bfs = comparable(bfs_shortest(spec, steps))
    by_ref = comparable(reference_shortest(spec, steps))
    if by_bmc != by_bfs:
        problems.append(f"BMC {by_bmc} != BFS {by_bfs}")
    if by_ref != by_bfs:
        problems.append(f"reference {by_ref} != BFS {by_bfs}")
    if count_steps is not None and ERROR not in by_bfs:
        ref = reference_explorer.explore(compile_spec(spec), count_steps, False)
        if ref.error_at is None:
            z3_states = reachable_states(spec, count_steps, limit=5_000)
            if z3_states != ref.states:
                problems.append(f"Z3 reaches {len(z3_states)} states within {count_steps} steps, "
                                f"the explicit semantics {len(ref.states)}")
    return problems


@pytest.mark.parametrize("path", SPECS)
def test_bmc_agrees_with_bfs(path: str) -> None:
    spec = api.load_spec(os.path.join(ROOT, path))
    assert disagreements(spec, depth_for(path), count_steps=3) == []


def test_the_specs_are_covered() -> None:
    assert any("examples" in p for p in SPECS) and len(SPECS) >= 8


# ---------------------------------------------------------------- broken encodings are caught


def _without_guards(original: Any) -> Any:
    def instance(self: ActionWriter, index: int, action: ir.Action, binding: Any,
                 cur: Any) -> Any:
        return original(self, index, dataclasses.replace(action, guard=None), binding, cur)
    return instance


def _without_action(original: Any, name: str) -> Any:
    def action(self: ActionWriter, index: int, act: ir.Action, cur: Any) -> Any:
        return [] if act.name == name else original(self, index, act, cur)
    return action


def test_a_dropped_guard_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = api.load_spec(os.path.join(ROOT, "specs", "examples", "peterson.spec"))
    assert disagreements(spec, 6, count_steps=3) == []
    monkeypatch.setattr(ActionWriter, "instance", _without_guards(ActionWriter.instance))
    assert disagreements(spec, 6, count_steps=3) != []


def test_a_dropped_action_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = api.load_spec(os.path.join(ROOT, "specs", "examples", "diehard.spec"))
    assert disagreements(spec, 7, count_steps=3) == []
    monkeypatch.setattr(ActionWriter, "action",
                        _without_action(ActionWriter.action, "BigToSmall"))
    problems = disagreements(spec, 7, count_steps=3)
    assert any("NotSolved" in p for p in problems) and any("states" in p for p in problems)


def test_integers_stay_when_bit_vectors_could_overflow(spec_file: Any) -> None:
    spec = api.load_spec(spec_file(
        "var x: 0..100000 = 2;\naction sq when x < 1000 { x := x * x; }\n"
        "invariant Small: x * x * x * x < 10000000000000000000;\ndeadlock off;\n"))
    result = bmc(spec, 5)
    assert result.width is None  # x^4 needs more than 62 bits
    assert [len(v.states) for v in result.violations] == [5]  # 2, 4, 16, 256, 65536
    assert disagreements(spec, 5, count_steps=4) == []
