"""Regressions where checkmodel disagreed with TLC's semantics (issue 11, bugs 2-6): each test
failed before its fix. TLC's behaviour is quoted from its documentation where it is not the
plain TLA+ meaning."""

from __future__ import annotations

from typing import Callable

import pytest

from checker import api, cli
from checker.explicit.search import SearchOptions
from checker.smt import runner as smt

ENGINES = ["tuple", "array"]


def verdicts(res: api.CheckResult) -> dict[str, tuple[str, object]]:
    return {v.property: (str(v.status), v.trace_length) for v in res.verdicts}


# ---------------------------------------------------------------- 2: [][P]_vars

STUTTER = """
var x: 0..3 = 0;
action Up when x < 3 { x := x + 1; }
action Idle { skip; }
action Same when x == 3 { x := 3; }
transition Grows: x' > x;
deadlock off;
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_transition_property_holds_on_stuttering_steps(spec_file: Callable[[str], str],
                                                         engine: str) -> None:
    """`transition P` is TLA+'s [][P]_vars = [](P \\/ UNCHANGED vars): `skip` and `x := x`
    steps satisfy it."""
    res = api.check(spec_file(STUTTER), options=SearchOptions(engine=engine))
    assert verdicts(res)["Grows"] == ("holds", None)


def test_bmc_and_induction_agree_that_stuttering_steps_satisfy_a_transition_property(
        spec_file: Callable[[str], str]) -> None:
    path = spec_file(STUTTER)
    bmc = smt.bmc(api.load_spec(path), 5)
    assert not bmc.violations
    proof = smt.prove(api.load_spec(path))
    assert {r.target.name: str(r.status) for r in proof.results}["Grows"] == "PROVED"
