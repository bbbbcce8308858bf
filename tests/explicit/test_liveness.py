"""Temporal properties under fairness: known results, pinned lassos, and a brute-force cross-check.

Known results: a property that holds only with fairness, weak vs strong fairness, stuttering
(no fairness: `eventually P` fails at the initial state), per-instance vs per-process fairness,
and Peterson's starvation freedom. `test_matches_brute_force` compares the fair-cycle search
with an enumeration of closed walks on small random graphs; every lasso the search returns is
checked against the definitions of fairness and of the property, independently of the search.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import api
from checker.commands.exits import ExitCode
from checker.explicit import liveness
from checker.trace import trace
from checker.trace import io as trace_io
from checker.trace import replay as trace_replay
from checker.explicit.search import SearchOptions
from checker.explicit.lasso import FairGraph, Goal, Lasso, find_lasso
from tests.conftest import engine_params, engines

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "specs", "examples")


def example(name: str) -> str:
    return os.path.join(EXAMPLES, name)


@pytest.fixture(params=engines())
def engine(request: pytest.FixtureRequest) -> str:
    """The tests of this module run on each explicit engine (CHECKMODEL_ENGINE: on one)."""
    return str(request.param)


def check(path: str, engine: str, **options: object) -> api.CheckResult:
    res = api.check(path, options=SearchOptions(engine=engine, **options))  # type: ignore[arg-type]
    assert res.search.engine == engine
    return res


def check_text(tmp_path: object, text: str, engine: str, **options: object) -> api.CheckResult:
    path = os.path.join(str(tmp_path), "spec.spec")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return check(path, engine, **options)


def temporal(res: api.CheckResult, name: str) -> liveness.TemporalVerdict:
    for v in res.temporal:
        if v.name == name:
            return v
    raise KeyError(name)


def shape(v: liveness.TemporalVerdict) -> tuple[str, int, int, bool]:
    """(status, states before the cycle, cycle length, stuttering end)."""
    return v.status, v.prefix, v.cycle, v.stutter


def assert_real_lasso(res: api.CheckResult, v: liveness.TemporalVerdict) -> None:
    """The lasso is a behaviour of the spec: every step, and the step back, is a transition
    (a stuttering end needs none), and no fair action is enabled where it stutters."""
    assert v.trace is not None and v.trace.loop is not None
    system = res.system
    states = trace_replay.replay(system, _without_loop(v.trace))
    assert len(states) == v.prefix + v.cycle
    assert v.trace.loop == v.prefix
    last = states[-1]
    if v.stutter:
        assert v.cycle == 1
        fair = {a for f in res.spec.fairness for a in f.actions}
        for label, target in system.labeled_successors(last):
            if target != last:
                assert system.spec.actions[label[0]].name not in fair
    else:
        assert states[v.trace.loop] in system.successors(last)


def _without_loop(t: trace.Trace) -> trace.Trace:
    from dataclasses import replace
    return replace(t, loop=None)


# ---------------------------------------------------------------- known results

COUNTER = """
module counter;
var x: 0..3 = 0;
{fair}action inc when x < 3 {{ x := x + 1; }}
deadlock off;
temporal Reach: eventually x == 3;
temporal Often: always eventually x == 3;
temporal Stays: eventually always x == 3;
temporal OneLeadsToThree: x == 1 ~> x == 3;
temporal Small: always x < 2;
"""


def test_eventually_fails_by_stuttering_without_fairness(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair=""))
    reach = temporal(res, "Reach")
    assert shape(reach) == ("violated", 0, 1, True)  # one state, looping on itself
    assert reach.trace is not None and len(reach.trace) == 1 and reach.trace.loop == 0
    assert shape(temporal(res, "OneLeadsToThree")) == ("violated", 1, 1, True)
    for name in ("Reach", "Often", "Stays", "OneLeadsToThree"):
        assert_real_lasso(res, temporal(res, name))


def test_fairness_makes_it_hold(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair="fair "))
    for name in ("Reach", "Often", "Stays", "OneLeadsToThree"):
        assert temporal(res, name).status == "holds", name
    assert res.verdict("Reach").kind == "temporal"


def test_always_is_a_finite_shortest_trace(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair="fair "))
    small = temporal(res, "Small")
    assert small.status == "violated" and small.trace is not None
    assert small.trace.loop is None and len(small.trace) == 3  # x = 0, 1, 2


def test_weak_fairness_is_not_enough(engine: str) -> None:
    res = check(example("liveness_weak.spec"), engine)
    crossed = temporal(res, "Crossed")
    assert shape(crossed) == ("violated", 0, 2, False)  # light off, on, off, on, ...
    assert crossed.trace is not None
    assert [s.values["light"] for s in crossed.trace.steps] == [False, True]
    assert shape(temporal(res, "LightLeadsToCross")) == ("violated", 1, 2, False)
    assert_real_lasso(res, crossed)


def test_strong_fairness_is(engine: str) -> None:
    res = check(example("liveness_strong.spec"), engine)
    assert [(v.name, v.status) for v in res.temporal] == [
        ("Crossed", "holds"), ("LightLeadsToCross", "holds")]


def test_without_any_fairness_the_crossing_stutters(engine: str) -> None:
    res = check(example("liveness_strong_base.spec"), engine)
    assert shape(temporal(res, "Crossed")) == ("violated", 0, 1, True)


def test_pinned_lasso_shape(engine: str) -> None:
    res = check(example("liveness_lasso.spec"), engine)
    reach = temporal(res, "ReachFour")
    assert shape(reach) == ("violated", 2, 2, False)
    assert reach.trace is not None
    assert [s.values["x"] for s in reach.trace.steps] == [{"#bigint": str(k)} for k in range(4)]
    assert reach.trace.loop == 2
    assert_real_lasso(res, reach)
    assert shape(temporal(res, "Settles")) == ("violated", 2, 2, False)
    assert temporal(res, "Swings").status == "holds"
    assert temporal(res, "TwoLeadsToThree").status == "holds"


def test_peterson_starvation_freedom_needs_fairness(engine: str) -> None:
    fair = check(example("liveness_peterson.spec"), engine)
    assert fair.search.distinct == 42
    assert [(v.name, v.status) for v in fair.temporal] == [
        ("Enter1", "holds"), ("Enter2", "holds"), ("Progress1", "holds")]
    unfair = check(example("liveness_peterson_unfair.spec"), engine)
    enter = temporal(unfair, "Enter1")
    assert shape(enter) == ("violated", 2, 1, True)  # proc 1 asks, then everybody stops
    assert_real_lasso(unfair, enter)


PICK = """
module pick;
{process} w[i in 1..2] {{
  var done: bool = false;
  var flip: bool = false;
  action pick(v in 1..2) when not done {{
    if v == 1 {{ flip := not flip; }} else {{ done := true; }}
  }}
}}
deadlock off;
temporal Done1: eventually w[1].done;
{extra}
"""


@pytest.mark.parametrize("process, extra, expected", [
    ("process", "", ("violated", 0, 1, True)),
    # per process instance, over the disjunction of its actions: flipping forever is fair
    ("fair process", "", ("violated", 0, 4, False)),
    ("process", "fair w;", ("violated", 0, 4, False)),
    ("process", "strong fair w;", ("violated", 0, 4, False)),
    # per binding of the action's parameters: pick(self, 2) must happen
    ("process", "fair w.pick;", ("holds", 0, 0, False)),
    ("fair process", "fair w.pick;", ("holds", 0, 0, False)),
])
def test_fairness_per_instance(tmp_path: object, process: str, extra: str,
                               expected: tuple[str, int, int, bool], engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=PICK.format(process=process, extra=extra))
    done = temporal(res, "Done1")
    assert shape(done) == expected
    if done.status == "violated":
        assert_real_lasso(res, done)


def test_stuttering_steps_do_not_count_as_the_action(tmp_path: object, engine: str) -> None:
    # `idle` is enabled everywhere but never changes the state: WF(idle) forces nothing.
    res = check_text(tmp_path, engine=engine, text="""
        var x: 0..1 = 0;
        fair action idle { skip; }
        action go { x := 1; }
        deadlock off;
        temporal Goes: eventually x == 1;
    """)
    assert shape(temporal(res, "Goes")) == ("violated", 0, 1, True)


def test_cut_short_search_is_never_holds(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair="fair "), max_states=2)
    assert not res.search.complete
    assert temporal(res, "Reach").status == "unknown"
    assert res.verdict("Reach").status == "unknown"


def test_lasso_found_in_a_cut_short_search_is_reported(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair=""), max_states=3)
    assert not res.search.complete
    reach = temporal(res, "Reach")
    assert shape(reach) == ("violated", 0, 1, True)


def test_constraint_bounds_the_behaviours(tmp_path: object, engine: str) -> None:
    # States outside the constraint are not on any behaviour: the counter stops at x == 2,
    # where its only step leaves the bounds. As in TLC, `inc` is still enabled there (ENABLED
    # does not look at the constraint), so stuttering at x == 2 is unfair and no fair
    # behaviour violates Reach; without fairness the stuttering counterexample stands.
    res = check_text(tmp_path, engine=engine,
                     text=COUNTER.format(fair="fair ") + "constraint Low: x <= 2;")
    assert temporal(res, "Reach").status == "holds"
    assert temporal(res, "OneLeadsToThree").status == "holds"
    res = check_text(tmp_path, engine=engine,
                     text=COUNTER.format(fair="") + "constraint Low: x <= 2;")
    assert shape(temporal(res, "Reach")) == ("violated", 0, 1, True)


def test_selected_properties_only(tmp_path: object, engine: str) -> None:
    res = check_text(tmp_path, engine=engine, text=COUNTER.format(fair=""),
                     properties=frozenset({"Often"}))
    assert [v.name for v in res.temporal] == ["Often"]
    assert [v.property for v in res.verdicts] == ["Often"]


def test_lasso_in_itf_and_text(tmp_path: object, engine: str) -> None:
    res = check(example("liveness_lasso.spec"), engine)
    reach = temporal(res, "ReachFour")
    assert reach.trace is not None
    data = trace_io.to_itf_json(reach.trace)
    assert data["loop"] == 2 and len(data["states"]) == 4
    assert data["#meta"]["kind"] == "temporal"
    text = trace.format_text(reach.trace)
    assert "State 5: Back to state 3" in text
    back = trace_io.from_itf_json(data)
    assert back.loop == 2


def test_cli_exit_code_and_lasso_text() -> None:
    out = subprocess.run([sys.executable, "-m", "checker", example("liveness_weak.spec")], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == ExitCode.PROPERTY == 13
    assert "Error: Temporal property Crossed is violated." in out.stdout
    assert "State 3: Back to state 1" in out.stdout
    assert "VIOLATED (lasso: a cycle of 2 states)" in out.stdout
    ok = subprocess.run([sys.executable, "-m", "checker", example("liveness_strong.spec")], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr


# ---------------------------------------------------------------- brute force on small graphs


@dataclass(frozen=True)
class Small:
    """A small graph with fairness units on its edges, and a goal."""

    succ: tuple[tuple[int, ...], ...]
    masks: Mapping[tuple[int, int], int]  # edge -> units it takes
    weak: int
    strong: int
    goal: Goal

    def enabled(self, n: int) -> int:
        out = 0
        for t in self.succ[n]:
            out |= self.masks.get((n, t), 0)
        return out

    def taken(self, n: int) -> Mapping[int, int]:
        return {t: self.masks.get((n, t), 0) for t in self.succ[n]}

    def graph(self) -> FairGraph:
        return FairGraph(self.succ, self.enabled, self.taken, self.weak, self.strong)


@st.composite
def small_graphs(draw: st.DrawFn) -> Small:
    n = draw(st.integers(1, 5))
    units = draw(st.integers(0, 3))
    succ = []
    masks = {}
    for a in range(n):
        targets = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
        targets = [t for t in targets if t != a]
        succ.append(tuple(targets))
        for t in targets:
            masks[(a, t)] = draw(st.integers(0, (1 << units) - 1))
    strong = draw(st.integers(0, (1 << units) - 1))
    weak = ((1 << units) - 1) & ~strong
    bools = st.lists(st.booleans(), min_size=n, max_size=n)
    inside = draw(bools)
    start = draw(st.one_of(st.none(), bools))
    accept = draw(st.one_of(st.none(), bools))
    initial = tuple(sorted(set(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2)))))
    return Small(tuple(succ), masks, weak, strong, Goal(initial, inside, start, accept))


def _reachable(g: Small) -> set[int]:
    """Nodes at which the inside part of a goal's behaviour can be entered (naive fixpoint)."""
    goal = g.goal
    free: set[int] = set(goal.initial) if goal.start is not None else set()
    changed = True
    while changed:
        changed = False
        for a in list(free):
            for t in g.succ[a]:
                if t not in free:
                    free.add(t)
                    changed = True
    if goal.start is None:
        seeds = {n for n in goal.initial if goal.inside[n]}
    else:
        seeds = {n for n in free if goal.start[n] and goal.inside[n]}
    inner = set(seeds)
    changed = True
    while changed:
        changed = False
        for a in list(inner):
            for t in g.succ[a]:
                if goal.inside[t] and t not in inner:
                    inner.add(t)
                    changed = True
    return inner


def _fair_cycle(g: Small, walk: Sequence[int]) -> bool:
    """The definitions, on the behaviour that repeats `walk` forever."""
    edges = list(zip(walk, list(walk[1:]) + [walk[0]]))
    taken = 0
    for e in edges:
        taken |= g.masks.get(e, 0)
    states = [g.enabled(n) for n in walk]
    everywhere = -1
    anywhere = 0
    for e in states:
        everywhere &= e
        anywhere |= e
    if g.weak & everywhere & ~taken or g.strong & anywhere & ~taken:
        return False
    return g.goal.accept is None or any(g.goal.accept[n] for n in walk)


def _stops(g: Small, n: int) -> bool:
    return not g.enabled(n) & (g.weak | g.strong) and (
        g.goal.accept is None or g.goal.accept[n])


def brute_force(g: Small, max_cycle: int = 7) -> bool:
    """Is there a counterexample? Enumerates stops and closed walks (up to `max_cycle` edges)."""
    entry = _reachable(g)
    for n in entry:
        if _stops(g, n):
            return True
    inner = {n for n in range(len(g.succ)) if g.goal.inside[n]}
    for length in range(2, max_cycle + 1):
        for first in sorted(entry):
            for rest in itertools.product(sorted(inner), repeat=length - 1):
                walk = (first,) + rest
                closed = list(walk) + [first]
                if all(b in g.succ[a] for a, b in zip(closed, closed[1:])) \
                        and _fair_cycle(g, walk):
                    return True
    return False


def assert_valid(g: Small, lasso: Lasso) -> None:
    """The lasso is a path of the goal's shape ending in a fair cycle or a fair stop."""
    goal = g.goal
    nodes = lasso.nodes
    assert nodes[0] in goal.initial
    for a, b in zip(nodes, nodes[1:]):
        assert b in g.succ[a]
    if goal.start is None:
        assert all(goal.inside[n] for n in nodes)
    else:
        assert any(goal.start[nodes[i]] and all(goal.inside[m] for m in nodes[i:])
                   for i in range(len(nodes)))
    assert all(goal.inside[n] for n in lasso.cycle)
    if lasso.stutter:
        assert len(lasso.cycle) == 1 and _stops(g, lasso.cycle[0])
    else:
        assert len(lasso.cycle) >= 2 and lasso.cycle[0] in g.succ[lasso.cycle[-1]]
        assert _fair_cycle(g, lasso.cycle)


@settings(max_examples=400, deadline=None)
@given(small_graphs())
def test_matches_brute_force(g: Small) -> None:
    lasso = find_lasso(g.graph(), g.goal)
    if lasso is not None:
        assert_valid(g, lasso)
    assert (lasso is not None) == brute_force(g)


def test_brute_force_sees_strong_fairness() -> None:
    # 0 <-> 1 and 1 <-> 2. Unit 2 (weak) is taken on 0 <-> 1, so no node may stop; unit 1 is
    # enabled at 1 only (taken on 1 -> 2). Strong: the cycle 0, 1 never takes unit 1, so only
    # a cycle through 2 is fair, and 2 is outside. Weak: unit 1 is disabled at 0, so 0, 1 is
    # a fair cycle.
    g = Small(((1,), (0, 2), (1,)), {(0, 1): 2, (1, 0): 2, (1, 2): 1}, weak=2, strong=1,
              goal=Goal((0,), [True, True, False]))
    assert find_lasso(g.graph(), g.goal) is None and not brute_force(g)
    weak = Small(g.succ, g.masks, weak=3, strong=0, goal=g.goal)
    lasso = find_lasso(weak.graph(), weak.goal)
    assert lasso is not None and lasso.cycle == (0, 1) and brute_force(weak)


# ---------------------------------------------------------------- performance


def test_liveness_on_a_larger_graph_is_fast(tmp_path: object, engine: str) -> None:
    # 3 independent fair counters with 40 values each: 64,000 states, every property holds.
    text = """
        process c[i in 1..3] {
          var v: 0..39 = 0;
          fair action up { v := (v + 1) % 40; }
        }
        temporal Wraps: always eventually c[1].v == 0;
        temporal Moves: c[2].v == 5 ~> c[2].v == 6;
    """
    start = time.monotonic()
    res = check_text(tmp_path, engine=engine, text=text)
    assert res.search.distinct == 64000
    assert [v.status for v in res.temporal] == ["holds", "holds"]
    assert time.monotonic() - start < 60


# ---------------------------------------------------------------- the lifecycle model

SPECS = os.path.join(ROOT, "specs")


@dataclass(frozen=True)
class Liveness:
    """Pinned verdicts of the two lifecycle progress properties on one spec's default bounds.

    A violated property is given as (states before the cycle, cycle length, stuttering end).
    """

    finishes: object  # "holds" or a lasso shape
    quiet: object


HOLDS = "holds"

LIFECYCLE = {
    # a run stranded in started: a run:start handled after the janitor's pass moves it
    # lost -> started (finished_at stays set, so the janitor never selects it again) and its
    # completion is never applied; the stutter is at Horizon, where time stops
    "current.spec": Liveness((21, 1, True), HOLDS),
    "fix1_only.spec": Liveness((19, 1, True), HOLDS),
    "fixed.spec": Liveness((19, 1, True), HOLDS),
    "fixed_fail_run.spec": Liveness((19, 1, True), HOLDS),
    "fixed_long_grace.spec": Liveness((21, 1, True), HOLDS),
    "janitor_bug5.spec": Liveness((22, 1, True), HOLDS),
    "option1.spec": Liveness((21, 1, True), HOLDS),
    "option2.spec": Liveness(HOLDS, HOLDS),
    "option2_stops.spec": Liveness(HOLDS, HOLDS),
    "option3.spec": Liveness((21, 1, True), HOLDS),
    "pr4563.spec": Liveness((21, 1, True), HOLDS),
    "retry_on_timeout.spec": Liveness((21, 1, True), HOLDS),
    "seed_hypothesis.spec": Liveness((27, 1, True), HOLDS),
    "worker_fixes_only.spec": Liveness((19, 1, True), HOLDS),
}


ARRAY_SAMPLE = {"current.spec", "option2.spec"}  # = tests/model/test_lifecycle.py's sample


def _lifecycle_specs() -> list[str]:
    return sorted(f for f in os.listdir(SPECS) if f.endswith(".spec"))


def test_every_lifecycle_spec_has_pinned_liveness_verdicts() -> None:
    missing = [f for f in _lifecycle_specs() if f not in LIFECYCLE]
    gone = [f for f in LIFECYCLE if f not in _lifecycle_specs()]
    assert not missing, f"pin the liveness verdicts of {missing} in LIFECYCLE"
    assert not gone, f"{gone} no longer exist; drop them from LIFECYCLE"


@pytest.mark.parametrize("name,engine", engine_params(
    sorted(LIFECYCLE), lambda name, engine: engine == "tuple" or name in ARRAY_SAMPLE))
def test_lifecycle_liveness(lifecycle, name: str, engine: str) -> None:
    """The default environment (what the code allows), on every spec on the tuple engine and
    on a sample on the array engine (all under -m slow); the session's check of the spec is
    shared with tests/model/test_lifecycle.py."""
    path = os.path.join(SPECS, name)
    if not os.path.exists(path):
        pytest.skip(f"{name} is not in specs/ (see the completeness test)")
    res = lifecycle(name.removesuffix(".spec"), "default", engine)
    assert res.exhaustive
    pinned = LIFECYCLE[name]
    for prop, expected in (("EveryClaimedRunFinishes", pinned.finishes),
                           ("WorkerEventuallyQuiet", pinned.quiet)):
        v = temporal(res, prop)
        if expected == HOLDS:
            assert v.status == "holds", (prop, shape(v))
        else:
            assert shape(v) == ("violated",) + expected, prop  # type: ignore[operator]
            assert_real_lasso(res, v)
            if v.stutter:
                _assert_stops_at_the_horizon(res, v)


def _assert_stops_at_the_horizon(res, v: liveness.TemporalVerdict) -> None:
    """The lifecycle's stuttering lassos end when time has run on to Horizon, with a run still
    started and finished_at set: stranded for good (the janitor never selects a run whose
    finished_at is set, and nothing is left to report it), not merely undecided at the bound
    (EveryClaimedRunFinishes excuses runs whose deadline or run timeout lies beyond Horizon)."""
    assert v.trace is not None
    last = v.trace.steps[-1].values
    horizon = next(c.value for c in res.spec.constants if c.name == "Horizon")
    assert last["now"] == {"#bigint": str(horizon)}
    states = {value for _, value in last["run_state"]["#map"]}
    assert states == {"started"}, states
    assert all(int(t["#bigint"]) >= 0 for _, t in last["finished_at"]["#map"])
