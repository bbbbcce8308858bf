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


# ---------------------------------------------------------------- 3: states outside a constraint

OUTSIDE = """
var x: 0..5 = 0;
action Up when x < 5 { x := x + 1; }
constraint Small: x <= 2;
invariant Below3: x < 3;
transition NoJumpTo3: x' != 3;
deadlock off;
"""


@pytest.mark.parametrize("engine", ["tuple", "auto"])
def test_states_outside_a_constraint_are_checked_not_counted(spec_file: Callable[[str], str],
                                                             engine: str) -> None:
    """TLC checks invariants and action properties on every generated state and step, also
    those outside the CONSTRAINT, which it neither counts nor expands (tlaplus/tlaplus#1078
    treats skipping that check as a bug)."""
    res = api.check(spec_file(OUTSIDE), options=SearchOptions(engine=engine, keep_going=True))
    assert verdicts(res) == {"Below3": ("violated", 4), "NoJumpTo3": ("violated", 4)}
    assert (res.search.distinct, res.search.generated, res.search.depth) == (3, 4, 3)
    assert [t.steps[-1].values["x"] for t in res.traces] == [{"#bigint": "3"}] * 2


def test_an_initial_state_outside_the_constraint_is_checked(
        spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file("""
        var x: 0..5 in {0, 4};
        action Up when x < 5 { x := x + 1; }
        constraint Small: x <= 2;
        invariant Below3: x < 3;
        deadlock off;
    """))
    assert verdicts(res)["Below3"] == ("violated", 1)
    assert res.traces[0].steps[0].values["x"] == {"#bigint": "4"}


def test_bmc_and_induction_check_states_outside_the_constraint(
        spec_file: Callable[[str], str]) -> None:
    path = spec_file(OUTSIDE)
    bmc = smt.bmc(api.load_spec(path), 5, keep_going=True)
    assert {v.name: len(v.states) for v in bmc.violations} == {"Below3": 4, "NoJumpTo3": 4}
    proof = smt.prove(api.load_spec(path))
    assert {r.target.name: str(r.status) for r in proof.results} == {
        "Below3": "VIOLATED", "NoJumpTo3": "VIOLATED"}
