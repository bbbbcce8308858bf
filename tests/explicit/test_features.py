"""The TLA+ features: quantified temporal properties, `reachable` witnesses, `choose`,
`subset`/`subseteq`; each pinned against the classic that needs it (specs/examples/)."""

from __future__ import annotations

import os
from typing import Mapping, Optional

import pytest

from checker import api, errors
from checker.explicit.search import SearchOptions
from checker.ir.kinds import Status

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DINING = os.path.join(ROOT, "specs", "examples", "dining.spec")


def write(tmp_path: object, text: str, name: str = "spec.spec") -> str:
    path = os.path.join(str(tmp_path), name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def dining(np: int, asymmetric: bool, strong: bool = False,
           tmp_path: Optional[object] = None) -> api.CheckResult:
    path = DINING
    if strong:
        assert tmp_path is not None
        with open(DINING, encoding="utf-8") as handle:
            text = handle.read().replace("\nfair process phil", "\nstrong fair process phil")
        path = write(tmp_path, text, "dining_strong.spec")
    return api.check(path, {"NP": str(np)}, {"asymmetric": str(asymmetric).lower()},
                     SearchOptions(keep_going=True))


def status(res: api.CheckResult, name: str) -> Status:
    return res.verdict(name).status


# ---------------------------------------------------------------- quantified temporal properties


@pytest.mark.parametrize("np", [2, 3, 4])
def test_dining_left_first_deadlocks_with_every_philosopher_holding_one_fork(np: int) -> None:
    res = dining(np, asymmetric=False)
    assert status(res, "Deadlock") == Status.VIOLATED
    assert res.verdict("Deadlock").trace_length == np + 1
    assert status(res, "AllHoldOne") == Status.REACHED
    assert res.verdict("AllHoldOne").trace_length == np + 1


@pytest.mark.parametrize("np", [2, 3, 4])
def test_dining_weak_fairness_starves_philosopher_one(np: int) -> None:
    res = dining(np, asymmetric=True)
    assert status(res, "Deadlock") == Status.HOLDS
    (v,) = [t for t in res.temporal if t.name == "NobodyStarves"]
    assert v.status == Status.VIOLATED and v.instance == "p = 1"
    assert v.trace is not None and v.trace.loop is not None


@pytest.mark.parametrize("np", [2, 3, 4])
def test_dining_strong_fairness_feeds_everyone(np: int, tmp_path: object) -> None:
    res = dining(np, asymmetric=True, strong=True, tmp_path=tmp_path)
    assert status(res, "NobodyStarves") == Status.HOLDS
    assert status(res, "TypeOK") == Status.HOLDS and status(res, "ForksConserved") == Status.HOLDS


def _written_out(np: int, tmp_path: object) -> list[Status]:
    """NobodyStarves written as one property per philosopher (as before quantifiers)."""
    with open(DINING, encoding="utf-8") as handle:
        text = handle.read()
    head, _, _ = text.partition("temporal NobodyStarves")
    props = "".join(f"temporal S{p}: always eventually phil[{p}].held == {{Left({p}), Right({p})}};\n"
                    for p in range(1, np + 1))
    path = write(tmp_path, head + props, f"dining_{np}.spec")
    res = api.check(path, {"NP": str(np)}, {"asymmetric": "true"}, SearchOptions(keep_going=True))
    return [status(res, f"S{p}") for p in range(1, np + 1)]


@pytest.mark.parametrize("np", [2, 3])
def test_a_quantified_property_is_the_conjunction_of_its_instances(np: int,
                                                                   tmp_path: object) -> None:
    instances = _written_out(np, tmp_path)
    quantified = status(dining(np, asymmetric=True), "NobodyStarves")
    assert quantified == (Status.VIOLATED if Status.VIOLATED in instances else Status.HOLDS)


WORKERS = """
const N: 1..6 = 3;
fair process w[i in 1..N] {
  var done: bool = false;
  action finish when i != 4 and not done { done := true; }
}
deadlock off;
temporal AllFinish: forall i in 1..N: eventually w[i].done;
"""


def test_const_grows_the_set_and_the_property_follows(tmp_path: object) -> None:
    path = write(tmp_path, WORKERS)
    assert status(api.check(path, {"N": "3"}), "AllFinish") == Status.HOLDS
    res = api.check(path, {"N": "5"})
    (v,) = res.temporal
    assert v.status == Status.VIOLATED and v.instance == "i = 4"


def test_nested_binders_and_leads_to_under_a_binder(tmp_path: object) -> None:
    path = write(tmp_path, """
var x: 0..3 = 0;
fair action step { x := (x + 1) % 4; }
temporal Cycle: forall p in 0..3: forall q in 0..3: x == p ~> x == q;
temporal Paren: (forall p in 0..3: x >= p) ~> x == 0;
""")
    res = api.check(path)
    assert status(res, "Cycle") == Status.HOLDS and status(res, "Paren") == Status.HOLDS


def test_a_binder_over_state_is_refused(tmp_path: object) -> None:
    path = write(tmp_path, "var x: 0..3 = 0;\naction a { skip; }\n"
                           "temporal T: forall p in 0..x: eventually x == p;\n")
    with pytest.raises(errors.SpecErrors) as caught:
        api.load_spec(path)
    assert caught.value.errors[0].code == errors.NOT_CONSTANT


# ---------------------------------------------------------------- reachable


COUNTER = """
var x: 0..5 = 0;
action inc when x < 4 { x := x + 1; }
deadlock off;
reachable Three: x == 3;
reachable Five: x == 5;
"""


def test_reachable_gives_the_shortest_witness_or_unreachable(tmp_path: object) -> None:
    res = api.check(write(tmp_path, COUNTER))
    three, five = res.witnesses
    assert three.status == Status.REACHED and three.length == 4
    assert three.trace is not None and three.trace.steps[-1].values["x"] == {"#bigint": "3"}
    assert five.status == Status.UNREACHABLE
    assert not res.traces  # a witness is not a counterexample


def test_reachable_is_unknown_when_the_search_is_cut_short(tmp_path: object) -> None:
    res = api.check(write(tmp_path, COUNTER), options=SearchOptions(max_depth=2))
    three, five = res.witnesses
    assert three.status == Status.UNKNOWN and five.status == Status.UNKNOWN


# ---------------------------------------------------------------- choose, subset, subseteq


def test_choose_is_deterministic_and_an_error_when_nothing_satisfies(tmp_path: object) -> None:
    res = api.check(write(tmp_path, """
var x: 0..3 = 0;
var y: 0..3 = 0;
action step when x < 3 { x := x + 1; y := choose v in {3, 1, 2, 0}: v >= x - 1; }
deadlock off;
invariant Least: y == (if x == 0 then 0 else x - 1);
invariant Same: (choose v in 0..3: v > 1) == 2;
"""))
    assert res.search.complete and status(res, "Least") == Status.HOLDS
    assert status(res, "Same") == Status.HOLDS
    res = api.check(write(tmp_path, """
var x: 0..3 = 0;
action step when x < 3 { x := choose v in 0..3: v > x + 1; }
deadlock off;
""", "none.spec"))
    assert res.search.error is not None and res.search.error.code == errors.EVALUATION
    assert "choose" in res.search.error.message


SUBSETS = """
var s: set[1..3] = {};
action add(v in 1..3) when v not in s { s := s union {v}; }
deadlock off;
invariant Sub: s subseteq 1..3 and s in subset (1..3) and card(subset s) == 2 * card(subset s) / 2;
invariant Count: card(subset (1..3)) == 8 and {} in subset s and s in subset s;
invariant NotSub: not ({1, 2} subseteq s) or card(s) >= 2;
invariant Pow: card(subset s) == (if card(s) == 0 then 1 else if card(s) == 1 then 2 else if card(s) == 2 then 4 else 8);
reachable All: 1..3 subseteq s;
"""


@pytest.mark.parametrize("engine", ["tuple", "array"])
def test_subset_and_subseteq(tmp_path: object, engine: str) -> None:
    res = api.check(write(tmp_path, SUBSETS), options=SearchOptions(engine=engine))
    assert res.search.engine == engine
    assert [status(res, n) for n in ("Sub", "Count", "NotSub", "Pow", "All")] == [
        Status.HOLDS, Status.HOLDS, Status.HOLDS, Status.HOLDS, Status.REACHED]


def test_exit_codes_of_reachable(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from checker import cli
    path = write(tmp_path, COUNTER)
    assert cli.main([path, "--property", "Three"]) == 0
    assert "reached (trace of 4 states)" in capsys.readouterr().out
    assert cli.main([path, "--property", "Five"]) == 13
    assert "UNREACHABLE (exhaustive)" in capsys.readouterr().out
    assert cli.main([path, "--property", "Three", "--max-depth", "2"]) == 152


# ---------------------------------------------------------------- fairness on a group of actions

GROUP = os.path.join(ROOT, "specs", "examples", "fairness_group.spec")


def test_weak_fairness_of_a_group_is_stronger_than_of_each_action(tmp_path: object) -> None:
    assert status(api.check(GROUP), "Finishes") == Status.HOLDS
    with open(GROUP, encoding="utf-8") as handle:
        text = handle.read().replace("fair left or right;", "fair left; fair right;")
    res = api.check(write(tmp_path, text))
    (v,) = res.temporal
    assert v.status == Status.VIOLATED and v.cycle == 2  # flip, flip, ... forever


def test_a_group_is_one_condition_over_every_binding(tmp_path: object) -> None:
    """`fair pick or stop;` with a parameter: WF_vars((\\E v: pick(v)) \\/ stop) is enabled in
    every state, while each pick(v) alone is not."""
    text = """
var turn: 0..2 = 0;
var done: bool = false;
action rotate when not done { turn := (turn + 1) % 3; }
action pick(v in 0..1) when turn == v and not done { done := true; }
action stop when turn == 2 and not done { done := true; }
deadlock off;
temporal Ends: eventually done;
"""
    grouped = api.check(write(tmp_path, text + "fair pick or stop;\n", "g.spec"))
    assert status(grouped, "Ends") == Status.HOLDS
    split = api.check(write(tmp_path, text + "fair pick; fair stop;\n", "s.spec"))
    assert status(split, "Ends") == Status.VIOLATED


# ---------------------------------------------------------------- set-valued constants

SET_CONST = """
const Procs: set[1..5] = {1, 2, 3};
var done: set[1..5] = {};
fair action finish(p in Procs) when p not in done { done := done union {p}; }
deadlock off;
invariant Within: done subseteq Procs;
temporal AllDone: forall p in Procs: eventually p in done;
reachable Full: done == Procs;
"""


@pytest.mark.parametrize("procs, states", [(None, 8), ("{1,2,4,5}", 16), ("{}", 1)])
def test_a_set_valued_constant_and_its_override(tmp_path: object, procs: Optional[str],
                                                states: int) -> None:
    path = write(tmp_path, SET_CONST)
    res = api.check(path, {"Procs": procs} if procs else None)
    assert res.search.distinct == states  # every subset of Procs is reachable
    assert [status(res, n) for n in ("Within", "AllDone", "Full")] == [
        Status.HOLDS, Status.HOLDS, Status.REACHED]


def test_a_set_constant_outside_its_type_is_refused(tmp_path: object) -> None:
    path = write(tmp_path, SET_CONST)
    with pytest.raises(errors.SpecErrors) as caught:
        api.load_spec(path, {"Procs": "{7}"})
    assert caught.value.errors[0].code == errors.BAD_OVERRIDE


def test_a_process_index_is_a_whole_type_or_a_range(tmp_path: object) -> None:
    text = """
process w[i in INDEX] {
  var s: bool = false;
  action go when not s { s := true; }
}
deadlock off;
"""
    res = api.check(write(tmp_path, text.replace("INDEX", "{2, 3, 4}"), "r.spec"))
    assert res.search.distinct == 8  # three instances: 2, 3 and 4
    with pytest.raises(errors.SpecErrors) as caught:  # it used to make an instance 2 as well
        api.load_spec(write(tmp_path, text.replace("INDEX", "{1, 3}"), "g.spec"))
    assert caught.value.errors[0].code == errors.TYPE_MISMATCH


# ---------------------------------------------------------------- enabled


ENABLED = """
const N: 1..3 = 2;
var x: 0..3 = 0;
process w[i in 1..N] {
  var busy: bool = false;
  action start when not busy and x < 3 { busy := true; x := x + 1; }
  action stop when busy { busy := false; }
}
action reset when x == 3 { x := 0; }
action idle { skip; }
deadlock off;
invariant Some: enabled(w.start) or enabled(w.stop) or enabled(reset);
invariant Own: forall i in 1..N: w[i].busy == enabled(w[i].stop);
invariant Stutter "a step that changes nothing is a step (TLA+'s ENABLED)": enabled(idle);
invariant ResetWhenFull: enabled(reset) == (x == 3);
temporal Live: always eventually not enabled(reset);
reachable Stuck: not enabled(w[1].start);
"""


def test_enabled_is_whether_the_action_can_take_a_step(tmp_path: object) -> None:
    res = api.check(write(tmp_path, ENABLED), options=SearchOptions(keep_going=True))
    assert [status(res, n) for n in ("Some", "Own", "Stutter", "ResetWhenFull", "Stuck")] == [
        Status.HOLDS, Status.HOLDS, Status.HOLDS, Status.HOLDS, Status.REACHED]
    assert status(res, "Live") == Status.VIOLATED  # nothing is fair: reset may stay enabled
    with_fair = ENABLED.replace("action reset", "fair action reset")
    res = api.check(write(tmp_path, with_fair, "fair.spec"))
    assert status(res, "Live") == Status.HOLDS


@pytest.mark.parametrize("text, code", [
    ("action bad when enabled(idle) { skip; }", errors.TYPE_MISMATCH),  # not in actions
    ("invariant Bad: enabled(nothing);", errors.UNDEFINED),
    ("invariant Bad: enabled(reset(1));", errors.ARITY),
])
def test_enabled_is_refused_where_it_has_no_meaning(tmp_path: object, text: str,
                                                    code: str) -> None:
    with pytest.raises(errors.SpecErrors) as caught:
        api.load_spec(write(tmp_path, ENABLED + text + "\n"))
    assert caught.value.errors[0].code == code


def test_z3_refuses_enabled_with_a_located_error(tmp_path: object) -> None:
    from checker.smt.bmc import bmc
    spec = api.load_spec(write(tmp_path, ENABLED))
    with pytest.raises(errors.SpecError) as caught:
        bmc(spec, 3)
    assert caught.value.code == errors.UNSUPPORTED and caught.value.span is not None


def test_the_verdict_table_shows_a_witness_with_its_length(tmp_path: object) -> None:
    from checker.report import table
    row = table.run_one(write(tmp_path, COUNTER))
    text = table.format_text([row])
    assert "reached/4" in text and "unreachable" in text
    narrow = table.format_text([row], width=20)
    assert "R4" in narrow and "unr" in narrow
