"""Minimal fix sets on a toy model whose answers are known by construction."""

from __future__ import annotations

from typing import Callable

from checker.report import fixsets
from checker.report.fixsets import Dimension

TOY = """
switch a: bool = false;
switch b: bool = false;
switch c: {off, weak, strong} = off;
var x: 0..3 = 0;
action Step when x == 0 { x := 1; }
action Bad1 when x == 1 and not a and c != strong { x := 2; }
action Bad2 when x == 1 and not b and c == off { x := 3; }
invariant NoTwo: x != 2;
invariant NoBad: x <= 1;
deadlock off;
"""

DIMS = [Dimension("a", "false", ("true",)), Dimension("b", "false", ("true",)),
        Dimension("c", "off", ("weak", "strong"))]


def test_lattice_is_exhaustive_and_minimal_sets_are_exact(spec_file: Callable[[str], str]) -> None:
    results = fixsets.explore_lattice(spec_file(TOY), DIMS, workers=1)
    assert len(results) == 2 * 2 * 3 and results[0].fixes == frozenset()
    # NoTwo needs a, or c=strong
    assert fixsets.minimal_sets(results, "NoTwo") == [
        frozenset({("a", "true")}), frozenset({("c", "strong")})]
    # NoBad needs Bad1 and Bad2 both disabled
    assert fixsets.minimal_sets(results, "NoBad") == [
        frozenset({("c", "strong")}),
        frozenset({("a", "true"), ("b", "true")}),
        frozenset({("a", "true"), ("c", "weak")}),
    ]
    full = frozenset({("a", "true"), ("b", "true")})
    assert fixsets.load_bearing(results, "NoBad", full) == [("a", "true"), ("b", "true")]
