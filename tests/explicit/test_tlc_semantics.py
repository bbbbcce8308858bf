"""Regressions where checkmodel disagreed with TLC's semantics (issue 11, bugs 2-6): each test
failed before its fix. TLC's behaviour is quoted from its documentation where it is not the
plain TLA+ meaning."""

from __future__ import annotations

from typing import Callable

import pytest

from checker import api, cli
from checker.commands.exits import ExitCode
from checker.explicit.compile import compile_spec
from checker.explicit.search import SearchOptions, explore
from checker import smt
from tests.explicit.test_array_constraints import OUTSIDE

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

# OUTSIDE: an invariant and a transition property violated only by the state just outside the
# bound (shared with the array engine's constraint tests)


@pytest.mark.parametrize("engine", ENGINES)
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


# ---------------------------------------------------------------- 5: evaluation errors in properties

ERRORS = {
    "invariant": "invariant Key: m[x] == 0;",
    "transition": "transition Key: m[x'] == 0;",
    "constraint": "constraint Key: m[x] == 0;",
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_an_evaluation_error_in_a_property_is_a_located_error_with_its_trace(
        spec_file: Callable[[str], str], kind: str, engine: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """TLC reports an error evaluating an invariant, action property or constraint with the
    trace to the state; checkmodel crashed with a traceback (exit 255)."""
    path = spec_file(f"""
        var x: 0..3 = 0;
        var m: map[0..1, 0..1] = [k in 0..1 |-> 0];
        action Up when x < 3 {{ x := x + 1; }}
        {ERRORS[kind]}
        deadlock off;
    """)
    res = api.check(path, options=SearchOptions(engine=engine))
    assert res.search.error is not None and res.search.error.code == "E301"
    assert "key 2 outside the map domain" in res.search.error.message
    assert res.search.error.span is not None and res.search.error.span.line == 5
    assert [s[0] for s in res.search.error_states()] == [0, 1, 2]
    assert cli.main([path, "--quiet", "--engine", engine]) == ExitCode.EVALUATION
    err = capsys.readouterr().err
    assert "error[E301]" in err and "Traceback" not in err


def test_a_violation_before_an_erring_property_is_reported_first(
        spec_file: Callable[[str], str]) -> None:
    """Properties are checked in declaration order: one violated before another fails to
    evaluate on the same state is a violation, and the error stops the search after it."""
    res = api.check(spec_file("""
        var x: 0..3 = 0;
        var m: map[0..1, 0..1] = [k in 0..1 |-> 0];
        action Up when x < 3 { x := x + 1; }
        invariant Small: x < 2;
        invariant Key: m[x] == 0;
        deadlock off;
    """), options=SearchOptions(keep_going=True))
    assert verdicts(res)["Small"] == ("violated", 3)
    assert res.search.error is not None and len(res.search.error_states()) == 3


# ---------------------------------------------------------------- 6: depth

NONE_KEPT = """
var x: 0..3 = 3;
action Down when x > 0 { x := x - 1; }
constraint Low: x < 2;
deadlock off;
"""


def test_depth_is_one_when_no_initial_state_is_kept(spec_file: Callable[[str], str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """TLC prints depth 1 when every initial state lies outside the constraint (checkmodel
    printed 0). With nothing else to report, `check` refuses such a spec (E302: every
    property would hold vacuously); with a violation it prints the search as TLC does."""
    system = compile_spec(api.load_spec(spec_file(NONE_KEPT)))
    search = explore(system, SearchOptions(check_deadlock=False))
    assert (search.distinct, search.generated, search.depth) == (0, 1, 1)
    path = spec_file(NONE_KEPT + "invariant Small: x < 3;")
    assert cli.main([path, "--continue", "--engine", "tuple"]) == ExitCode.INVARIANT
    assert "state graph search is 1." in capsys.readouterr().out


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_bmc_finds_the_same_evaluation_error_in_a_property(spec_file: Callable[[str], str],
                                                           kind: str) -> None:
    path = spec_file(f"""
        var x: 0..3 = 0;
        var m: map[0..1, 0..1] = [k in 0..1 |-> 0];
        action Up when x < 3 {{ x := x + 1; }}
        {ERRORS[kind]}
        deadlock off;
    """)
    result = smt.bmc(api.load_spec(path), 4)
    [found] = result.violations
    assert str(found.kind) == "evaluation" and len(found.states) == 3
    assert "key 2 outside the map domain" in (found.detail or "")


@pytest.mark.parametrize("engine", ENGINES)
def test_modulo_by_zero_is_a_located_error(spec_file: Callable[[str], str], engine: str) -> None:
    """`x % 0` raised Python's ZeroDivisionError (a traceback, exit 255) on the tuple engine."""
    res = api.check(spec_file("var x: 0..3 = 0; var y: 0..3 = 0;\n"
                              "action a when x < 3 { x := (x + 1) % y; }"),
                    options=SearchOptions(engine=engine))
    assert res.search.error is not None and res.search.error.message == "modulo by zero"
    assert res.search.error.code == "E301" and len(res.search.error_states()) == 1


# ---------------------------------------------------------------- LET is a definition

# TLA+'s LET defines a name; its value is computed only where the name is used (the export
# writes `let t = e;` as `LET t_1 == e IN ...`). A `let` whose value is undefined is an error
# only on a path that reaches a use of it. The two engines used to disagree here (the array
# engine reported a deadlock where the tuple engine stopped at the division).
LAZY_LET = {
    "unused": ("action a when x < 2 { let t = 1 / (x - x); x := x + 1; }", ("deadlock", 3)),
    "used after a blocking await": (
        "action a when x < 2 { let t = 1 / (x - x); await x > 5; x := t; }", ("deadlock", 1)),
    "used in a branch not taken": (
        "action a when x < 2 { let t = 1 / (x - x); if x > 5 { x := t; } else { x := x + 1; } }",
        ("deadlock", 3)),
    "used in a later let, itself unused": (
        "action a when x < 2 { let t = 1 / (x - x); let u = t + 1; x := x + 1; }",
        ("deadlock", 3)),
    "used": ("action a when x < 2 { let t = 1 / (x - x); x := min(t, 2); }", ("error", 1)),
}


def _lazy_let_outcome(search: object) -> tuple[str, int]:
    from checker.explicit.search import SearchResult
    assert isinstance(search, SearchResult)
    if search.error is not None:
        assert search.error.message == "division by zero"
        return ("error", len(search.error_states()))
    [deadlock] = [v for v in search.violations if v.name == "Deadlock"]
    return ("deadlock", deadlock.length)


@pytest.mark.parametrize("case", sorted(LAZY_LET))
def test_a_let_is_evaluated_only_where_it_is_used(spec_file: Callable[[str], str],
                                                  case: str) -> None:
    """Both engines, BMC and the reference interpreter agree on the TLA+ meaning."""
    from tests import reference_interpreter as ref
    action, expected = LAZY_LET[case]
    spec = api.load_spec(spec_file(f"var x: 0..2 = 0;\n{action}\n"))
    for engine in ENGINES:
        res = api.check_spec(spec, SearchOptions(engine=engine))
        assert res.search.engine == engine
        assert _lazy_let_outcome(res.search) == expected, engine
    found = ref.explore(spec, 10, deadlock=True)
    assert (("error", found.error_at) if found.error_at is not None
            else ("deadlock", found.shortest["Deadlock"])) == expected
    [violation] = smt.bmc(spec, 3).violations
    assert (str(violation.kind), len(violation.states)) == (
        ("evaluation" if expected[0] == "error" else "deadlock"), expected[1])
