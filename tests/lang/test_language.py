"""The semantics of each construct of the spec language, pinned by exact reachable state sets."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from checker import api
from checker.errors import SpecErrors

Reach = Callable[..., list[dict[str, Any]]]


def values(states: list[dict[str, Any]], name: str) -> list[Any]:
    return sorted({repr(s[name]) for s in states})


def test_either_gives_one_successor_per_branch(reachable: Reach) -> None:
    states = reachable("""
        var x: 0..9 = 0;
        action Go when x == 0 { either { x := 1; } or { x := 2; } or { x := 3; } }
    """)
    assert [s["x"] for s in states] == [0, 1, 2, 3]


def test_choose_binds_for_the_rest_of_the_block_and_empty_set_disables(reachable: Reach) -> None:
    states = reachable("""
        var x: 0..9 = 0;
        var y: 0..9 = 0;
        action Go when x == 0 { choose v in {2, 4}; x := v; y := v + 1; }
        action Never when x == 2 { choose v in {w for w in 0..3 if w > 5}; y := v; }
    """)
    assert [(s["x"], s["y"]) for s in states] == [(0, 0), (2, 3), (4, 5)]


def test_await_blocks_only_its_path(reachable: Reach) -> None:
    states = reachable("""
        var x: 0..9 = 0;
        action Go when x == 0 { either { await false; x := 1; } or { x := 2; } }
    """)
    assert [s["x"] for s in states] == [0, 2]


def test_statements_after_a_forking_if_run_on_every_path_with_outer_names(reachable: Reach) -> None:
    states = reachable("""
        var x: 0..9 = 0;
        var y: 0..9 = 0;
        action Go when x == 0 {
          let k = 5;
          if true { either { let k = 1; x := k; } or { x := 2; } }
          y := k;
        }
    """)
    assert [(s["x"], s["y"]) for s in states] == [(0, 0), (1, 5), (2, 5)]


def test_assignments_are_sequential(reachable: Reach) -> None:
    states = reachable("""
        var x: 0..9 = 1;
        var y: 0..9 = 0;
        action Go when y == 0 { x := x + 1; y := x * 2; }
    """)
    assert [(s["x"], s["y"]) for s in states] == [(1, 0), (2, 4)]


def test_fifo_send_blocks_when_full_and_receive_takes_the_head(reachable: Reach) -> None:
    states = reachable("""
        var q: fifo[0..3, 2] = <<>>;
        var got: 0..3 = 0;
        var sent: 0..3 = 0;
        action Send when sent < 3 { sent := sent + 1; send sent to q; }
        action Recv { receive m from q; got := m; }
    """)
    assert max(len(s["q"]) for s in states) == 2
    assert {s["got"] for s in states} == {0, 1, 2, 3}
    assert not any(s["q"] == [2, 1] for s in states)


def test_bag_receive_branches_per_distinct_element(reachable: Reach) -> None:
    states = reachable("""
        var b: bag[0..3, 3] = <<1, 2, 2>>;
        var got: 0..3 = 0;
        action Recv when got == 0 { receive m from b; got := m; }
    """)
    assert sorted((s["got"], tuple(s["b"])) for s in states) == [
        (0, (1, 2, 2)), (1, (2, 2)), (2, (1, 2))]


def test_indexed_processes_have_local_state_and_self(reachable: Reach) -> None:
    states = reachable("""
        const Ids = {a, b};
        var done: set[Ids] = {};
        process w[i in Ids] {
          var n: 0..2 = 0;
          action Step when n < 1 { n := n + 1; done := done union {self}; }
        }
        invariant Agree: forall i in Ids: (w[i].n == 1) <=> (i in done);
    """)
    assert len(states) == 4
    assert all(s["w.n"]["a"] == (1 if "a" in s["done"]["set"] else 0) for s in states)


def test_one_process_writes_another_process_variable(reachable: Reach) -> None:
    states = reachable("""
        const Ids = {a, b};
        process w[i in Ids] { var n: 0..1 = 0; }
        process boss { action Poke(i in Ids) when w[i].n == 0 { w[i].n := 1; } }
    """)
    assert len(states) == 4


def test_nested_map_of_records_assignment(reachable: Reach) -> None:
    states = reachable("""
        enum K { p, q };
        var m: map[K, record { n: 0..3, on: bool }] = [k in K |-> [n: 0, on: false]];
        action Go(k in K) when not m[k].on { m[k].on := true; m[k].n := 2; }
    """)
    assert len(states) == 4
    assert {"n": 2, "on": True} in [s["m"]["q"] for s in states]


def test_initial_states_from_a_set(reachable: Reach) -> None:
    states = reachable("var x: 0..5 in {1, 3};")
    assert [s["x"] for s in states] == [1, 3]


def test_constants_override_and_symbolic_sets(reachable: Reach) -> None:
    text = """
        const Runs = {r1, r2};
        const N: 1..5 = 2;
        var c: map[Runs, 0..5] = [r in Runs |-> 0];
        action Inc(r in Runs) when c[r] < N { c[r] := c[r] + 1; }
    """
    assert len(reachable(text)) == 9
    assert len(reachable(text, N="3")) == 16
    assert len(reachable(text, Runs="{r1, r2, r3}")) == 27


def test_sets_quantifiers_and_comprehensions(reachable: Reach) -> None:
    states = reachable("""
        var s: set[0..4] = {0};
        action Add(k in 0..4) when k not in s and exists j in s: j + 1 == k { s := s union {k}; }
        invariant Prefix: forall k in s: k == 0 or (k - 1) in s;
        invariant Card: card(s) == card({k for k in 0..4 if k in s});
    """)
    assert len(states) == 5


def test_transition_property_sees_old_and_new_state(spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file("""
        var x: 0..3 = 0;
        action Up when x < 3 { x := x + 1; }
        action Reset when x == 3 { x := 0; }
        transition NeverDown: x' >= x;
    """))
    v = res.verdict("NeverDown")
    assert (v.status, v.trace_length) == ("violated", 5)
    assert res.traces[0].steps[-1].action == "Reset"


def test_deadlock_is_reported_unless_switched_off(spec_file: Callable[[str], str]) -> None:
    path = spec_file("var x: 0..2 = 0; action Up when x < 2 { x := x + 1; }")
    res = api.check(path)
    assert res.search.violations[0].kind == "deadlock"
    assert len(res.search.violations[0].path) == 3
    assert api.check(path, check_deadlock=False).search.violations == []


def test_type_errors_are_collected_together(spec_file: Callable[[str], str]) -> None:
    with pytest.raises(SpecErrors) as caught:
        api.load_spec(spec_file("""
            var x: 0..3 = 0;
            action A { x := true; }
            action B { y := 1; }
        """))
    assert [e.code for e in caught.value.errors] == ["E202", "E200"]


def test_initial_values_may_read_earlier_variables(reachable: Reach) -> None:
    states = reachable("""
        var a: 0..1 in {0, 1};
        var b: 0..1 = a;
        const Ids = {p, q};
        process w[i in Ids] { var c: 0..2 = a + 1; var d: 0..2 in {c, 0}; }
    """)
    assert sorted((s["a"], s["b"], s["w.c"]["p"]) for s in states) == [
        (0, 0, 1)] * 4 + [(1, 1, 2)] * 4
    assert all(s["w.d"]["p"] in (0, s["w.c"]["p"]) for s in states)


def test_sequences_are_indexed_from_one(reachable: Reach) -> None:
    states = reachable("""
        var q: seq[0..3, 3] = <<1, 2, 3>>;
        var x: 0..3 = 0;
        action Pick(i in 1..3) when x == 0 { x := q[i]; }
    """)
    assert sorted(s["x"] for s in states) == [0, 1, 2, 3]


def test_type_aliases_may_use_constants(reachable: Reach) -> None:
    states = reachable("""
        type Slot = 0..Top;
        const Top: 1..5 = 2;
        var x: Slot = 0;
        action Up when x < Top { x := x + 1; }
    """, Top="4")
    assert [s["x"] for s in states] == [0, 1, 2, 3, 4]


def test_many_constants_and_nested_paths_do_not_collide(reachable: Reach) -> None:
    # generated code names constants and temporaries; a spec with many of both once collided
    consts = "\n".join(f"const C{i}: 0..40 = {i};" for i in range(30))
    states = reachable(consts + """
        const Ids = {a, b};
        var m: map[Ids, map[Ids, 0..40]] = [i in Ids |-> [j in Ids |-> 0]];
        action Set(i in Ids, j in Ids) when m[i][j] == 0 { m[i][j] := C29 + C1; }
    """)
    assert len(states) == 16


def test_assume_marks_the_environment_and_bounds_every_check_prints(
        spec_file: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    """`assume switch` / `assume const` declare what a verdict depends on: the check prints their
    values (overrides included) above the verdicts, switches as the environment, constants as
    bounds; an unmarked constant is not listed there."""
    from checker import cli
    path = spec_file("assume switch lag: {prompt, slow} = slow;\n"
                     "assume const Horizon: 1..5 = 2;\nconst Step: 1..2 = 1;\n"
                     "var t: 0..5 = 0;\naction tick when t < Horizon { t := t + Step; }\n"
                     "invariant Small: t <= Horizon;\n")
    spec = api.load_spec(path, consts={"Horizon": "3"})
    assumed = {c.name: c.assumed for c in spec.constants}
    assert assumed == {"lag": True, "Horizon": True, "Step": False}
    assert cli.main(["check", path, "--const", "Horizon=3", "--no-deadlock"]) == 0
    out = capsys.readouterr().out
    head, _, verdicts = out.partition("Properties:")
    assert "Environment: lag=slow\nBounds: Horizon=3\n" in head.split("\n\n")[-2] + "\n"
    assert out.count("Environment: lag=slow") == 2  # in the header and above the verdicts
    assert "Step=" not in head.split("Properties:")[0].split("Bounds:")[-1].splitlines()[0]
    assert "Small" in verdicts
