"""State constraints on the array engine, against the tuple engine (the reference).

As in TLC, every generated state (initial ones too) is checked against the invariants and every
step against the transition properties, also outside the constraints; a state outside is neither
counted as distinct nor expanded. The two engines must agree on counts, verdicts and traces.
"""

from __future__ import annotations

from typing import Any

import pytest

from checker import api
from checker.explicit.search import SearchOptions
from tests.explicit.test_array_engine import both

# an invariant and a transition property violated only by the state just outside the bound
OUTSIDE = """
var x: 0..5 = 0;
action Up when x < 5 { x := x + 1; }
constraint Small: x <= 2;
invariant Below3: x < 3;
transition NoJumpTo3: x' != 3;
deadlock off;
"""

# initial states outside the constraint, one of them violating an invariant
INITIAL_OUTSIDE = """
var x: 0..5 in {0, 4, 5};
action Up when x < 5 { x := x + 1; }
constraint Small: x <= 2;
invariant Below4: x < 4;
deadlock off;
"""

# every initial state outside the constraint: nothing kept, depth 1
NONE_KEPT = """
var x: 0..3 = 3;
action Down when x > 0 { x := x - 1; }
constraint Low: x < 2;
invariant Small: x < 3;
deadlock off;
"""

# a grid cut by a diagonal: states reached again from inside and outside, a violation of the
# invariant on a kept state after others outside, steps out of the bound checked, deadlock
# only where no step at all is possible (a state whose successors all lie outside is not dead)
GRID = """
var x: 0..4 = 0;
var y: 0..4 = 0;
action Right when x < 4 { x := x + 1; }
action Up when y < 4 { y := y + 1; }
action Back when x > 0 and y > 0 { x := x - 1; y := y - 1; }
constraint Diagonal: x + y <= 4;
invariant NotCorner: not (x == 3 and y == 1);
invariant Near: x + y < 5;
transition Inside: x' + y' <= 4 or x' < x;
"""

# a step property violated on a step into a state already kept
STEP_BACK = """
var x: 0..3 = 0;
action Up when x < 3 { x := x + 1; }
action Reset when x == 2 { x := 0; }
constraint Small: x <= 2;
transition Monotone: x' >= x;
deadlock off;
"""

CASES = {"outside": OUTSIDE, "initial-outside": INITIAL_OUTSIDE, "none-kept": NONE_KEPT,
         "grid": GRID, "step-back": STEP_BACK}
OPTIONS: list[dict[str, Any]] = [{"keep_going": True}, {"keep_going": False},
                                 {"keep_going": True, "max_states": 5},
                                 {"keep_going": True, "max_depth": 2},
                                 {"keep_going": True, "record_graph": True}]


@pytest.mark.parametrize("name", sorted(CASES))
def test_engines_agree_on_constrained_specs(spec_file: Any, name: str) -> None:
    spec = api.load_spec(spec_file(CASES[name]))
    for options in OPTIONS:
        array, tuple_, _ = both(spec, **options)
        assert array == tuple_, options


def test_a_violation_outside_the_constraint_has_that_state_last(spec_file: Any) -> None:
    spec = api.load_spec(spec_file(OUTSIDE))
    res = api.check_spec(spec, SearchOptions(engine="array", keep_going=True))
    assert [(v.name, v.path, v.beyond) for v in res.search.violations] == [
        ("Below3", (0, 1, 2), (3,)), ("NoJumpTo3", (0, 1, 2), (3,))]
    assert (res.search.distinct, res.search.generated, res.search.depth) == (3, 4, 3)


def test_an_initial_state_outside_the_constraint_is_checked(spec_file: Any) -> None:
    spec = api.load_spec(spec_file(INITIAL_OUTSIDE))
    res = api.check_spec(spec, SearchOptions(engine="array", keep_going=True))
    assert [(v.name, v.path, v.beyond) for v in res.search.violations] == [("Below4", (), (4,))]
    assert res.traces[0].steps[0].values["x"] == {"#bigint": "4"}
    assert (res.search.distinct, res.search.generated, res.search.depth) == (3, 6, 3)


def test_the_edges_and_graph_leave_out_the_states_outside(spec_file: Any) -> None:
    spec = api.load_spec(spec_file(GRID))
    options = SearchOptions(keep_going=True, record_graph=True)
    array = api.check_spec(spec, SearchOptions(**{**options.__dict__, "engine": "array"}))
    tuple_ = api.check_spec(spec, SearchOptions(**{**options.__dict__, "engine": "tuple"}))
    assert array.search.engine == "array"
    assert array.search.graph.edges == tuple_.search.graph.edges
    assert array.search.distinct == 15  # the triangle x + y <= 4


def test_an_error_evaluating_the_constraint_is_reported_as_by_the_tuple_engine(
        spec_file: Any) -> None:
    spec = api.load_spec(spec_file("""
        var x: 0..3 = 0;
        var m: map[0..1, 0..1] = [k in 0..1 |-> 0];
        action Up when x < 3 { x := x + 1; }
        constraint Key: m[x] == 0;
        deadlock off;
    """))
    array = api.check_spec(spec, SearchOptions(engine="array"))
    tuple_ = api.check_spec(spec, SearchOptions(engine="tuple"))
    assert array.search.error is not None and tuple_.search.error is not None
    assert array.search.error.message == tuple_.search.error.message
    assert array.search.error_states() == tuple_.search.error_states()
    assert array.search.engine_note is not None and "evaluation error" in array.search.engine_note
