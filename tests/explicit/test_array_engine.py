"""The array engine against the tuple engine (the reference): packing, counts, traces, errors.

Packing is checked as an exact round trip on every value of small instances of every type, one
state at a time and a whole batch at a time. The engines are compared on every spec in specs/ (the
safety properties: temporal ones run on the tuple engine), on the random specs of the differential
tests, and on the ways a search can end (violation, deadlock, error, limits, --continue).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from checker import api, errors
from checker.ir import codegen
from checker.ir.kinds import StopReason
from checker.ir import types as T
from checker.explicit.compile import compile_spec
from checker.explicit.array import values as V
from checker.explicit.array.batch import Batch, pack_into
from checker.explicit.array.engine import choose
from checker.explicit.array.packing import StateLayout
from checker.explicit.search import SearchOptions
from tests.smt.test_smt_random import _load, specs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLOR = T.EnumType("Color", ("red", "green", "blue"))
MSG = T.record({"kind": COLOR, "n": T.IntType(0, 2)})

TYPES = [
    T.BOOL,
    T.IntType(-2, 3),
    T.IntType(5, 5),
    COLOR,
    T.SetType(COLOR),
    T.SetType(MSG),
    T.MapType(COLOR, T.IntType(0, 2)),
    T.MapType(T.IntType(1, 3), T.BOOL),
    MSG,
    T.SeqType(T.IntType(0, 2), 3),
    T.SeqType(MSG, 2),
    T.SeqType(COLOR, 3, bag=True),
    T.MapType(T.BOOL, T.record({"q": T.SeqType(COLOR, 2), "s": T.SetType(T.BOOL)})),
]


def _all_values(t: T.Type, limit: int = 3000) -> list[Any]:
    out = []
    for v in T.values(t):
        out.append(v)
        if len(out) >= limit:
            break
    return out


@pytest.mark.parametrize("t", TYPES, ids=str)
def test_packing_round_trips_every_value(t: T.Type) -> None:
    layout = StateLayout.of([T.BOOL, t, T.IntType(0, 7)])
    values = _all_values(t)
    assert values
    rows = []
    for v in values:
        state = (True, v, 5)
        row = layout.encode(state)
        assert layout.decode(row) == state
        rows.append(row)
    assert len({tuple(r) for r in rows}) == len(values)  # distinct values pack differently
    # a whole batch: decoded to batch values, and packed back into cleared words
    words = np.asarray(rows, dtype=np.uint64).reshape(len(rows), layout.words)
    batch = Batch(layout, words)
    again = words.copy()
    pack_into(again, layout, 1, V.const(t, values[0]))
    pack_into(again, layout, 1, batch.var(1))
    assert (again == words).all()
    for i in (0, len(values) // 2, len(values) - 1):
        one = V.map_leaves(batch.var(1), lambda x, i=i: x[i] if V.is_array(x) else x)
        assert V.to_stored(one) == values[i]


def test_layout_packs_atoms_into_words_without_straddling() -> None:
    layout = StateLayout.of([T.IntType(0, 2 ** 40), T.IntType(0, 2 ** 40), T.BOOL])
    assert layout.words == 2
    assert all(a.shift + a.bits <= 64 for a in layout.atoms)


# ---------------------------------------------------------------- the engines agree


def outcome(res: api.CheckResult) -> dict[str, Any]:
    s = res.search
    states = s.graph.states
    return {
        "counts": (s.distinct, s.generated, s.depth, len(states) - s.graph.expanded),
        "end": (s.complete, s.stopped, s.checked),
        "violations": [(v.kind, v.name, [states[i] for i in v.path], v.beyond)
                       for v in s.violations],
        "error": (s.error.code, s.error.message, [states[i] for i in s.error_path])
        if s.error else None,
        "verdicts": [(v.property, v.status, v.trace_length) for v in res.verdicts],
        "traces": [[(step.action, step.values) for step in t.steps] for t in res.traces],
    }


def both(spec: Any, **options: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    array = api.check_spec(spec, SearchOptions(engine="array", **options))
    tuple_ = api.check_spec(spec, SearchOptions(engine="tuple", **options))
    assert array.search.engine == "array" and tuple_.search.engine == "tuple"
    return outcome(array), outcome(tuple_), array.search.engine


def safety(spec: Any) -> frozenset[str]:
    return frozenset(p.name for p in spec.properties
                     if p.kind in ("invariant", "transition")) | {"Deadlock"}


LIFECYCLE = sorted(glob.glob(os.path.join(ROOT, "specs", "*.spec")))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "specs", "examples", "*.spec")))
FAST_LIFECYCLE = {"current.spec", "option2.spec"}


@pytest.mark.parametrize("path", [
    pytest.param(p, id=os.path.relpath(p, ROOT),
                 marks=() if "examples" in p or os.path.basename(p) in FAST_LIFECYCLE
                 else (pytest.mark.slow,))
    for p in EXAMPLES + LIFECYCLE])
def test_engines_agree_on_every_spec(path: str) -> None:
    consts = {"Top": "29"} if path.endswith("counters.spec") else None  # 27,000 states
    spec = api.load_spec(path, consts)
    for keep_going in (True, False):
        array, tuple_, _ = both(spec, keep_going=keep_going, properties=safety(spec))
        assert array == tuple_


@settings(max_examples=int(os.environ.get("ARRAY_RANDOM_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_engines_agree_on_random_specs(text: str) -> None:
    spec = _load(text)
    try:
        compile_spec(spec)
    except codegen.Fault:
        assume(False)  # a constant expression that fails stops the tuple compiler itself
    assume(choose(spec, "auto").arrays is not None)  # else only the tuple engine checks it
    for options in ({"keep_going": True}, {"keep_going": False}, {"max_states": 7},
                    {"max_depth": 3, "keep_going": True}):
        try:
            tuple_ = outcome(api.check_spec(spec, SearchOptions(engine="tuple", **options)))
        except codegen.Fault:
            assume(False)  # a property that fails to evaluate: an internal error on both
        array = outcome(api.check_spec(spec, SearchOptions(engine="array", **options)))
        assert array == tuple_, text


# ---------------------------------------------------------------- how a search ends

LIMITS = """
module limits;
var x: 0..9 = 0;
var y: 0..3 = 0;
action up when x < 9 { x := x + 1; }
action side when y < 3 { either { y := y + 1; } or { y := 0; x := 0; } }
invariant Low: x < 6;
invariant Small: x + y < 8;
transition Slow: x' <= x + 1;
"""

FAULT = """
module fault;
var x: 0..4 = 0;
var q: fifo[0..4, 2] = <<>>;
action up { x := x + 1; }
action push when x > 1 { send x to q; }
action pop { receive v from q; x := 10 / (v - 2); }
"""


@pytest.mark.parametrize("options", [
    {"keep_going": False}, {"keep_going": True}, {"max_states": 5}, {"max_states": 23},
    {"max_depth": 4}, {"keep_going": True, "max_states": 30}])
def test_engines_agree_on_limits_and_violations(spec_file: Any,
                                                options: dict[str, Any]) -> None:
    spec = api.load_spec(spec_file(LIMITS))
    array, tuple_, _ = both(spec, **options)
    assert array == tuple_


@pytest.mark.parametrize("keep_going", [False, True])
def test_engines_agree_on_evaluation_errors(spec_file: Any, keep_going: bool) -> None:
    spec = api.load_spec(spec_file(FAULT))
    array, tuple_, _ = both(spec, keep_going=keep_going)
    assert array["error"] is not None
    assert array == tuple_


CHOICE = """
module choice;
const P = {p1, p2, p3};
var x: 0..4 = 0;
var s: set[P] = {};
var y: P = p1;
action add(p in P) when x < 4 {
  x := x + 1; s := s union {p}; y := choose q in s: q != p or card(s) == Alone;
}
invariant Last: y == (choose q in P: q in s or x == 0);
deadlock off;
"""


@pytest.mark.parametrize("alone", ["1", "0"])
def test_engines_agree_on_choose(spec_file: Any, alone: str) -> None:
    """`choose` over a state-dependent set in an action and an invariant: the first member in
    the type's order, and an evaluation error where none satisfies the condition (Alone = 0:
    the first step chooses from {p} a member other than p)."""
    text = CHOICE.replace("const P", f"const Alone: 0..1 = {alone};\nconst P")
    spec = api.load_spec(spec_file(text))
    assert choose(spec, "auto").arrays is not None
    for keep_going in (False, True):
        array, tuple_, _ = both(spec, keep_going=keep_going)
        assert (array["error"] is not None) == (alone == "0")
        assert array == tuple_


# ---------------------------------------------------------------- choosing the engine


def test_auto_takes_the_array_engine_where_it_applies() -> None:
    twophase = api.load_spec(os.path.join(ROOT, "specs", "examples", "twophase.spec"),
                             {"RM": "{r1,r2,r3,r4,r5}"})
    assert choose(twophase, "auto").engine == "array"
    assert api.check_spec(twophase).search.engine == "array"
    graph = api.check_spec(twophase, SearchOptions(record_graph=True))  # --dump-graph
    assert graph.search.engine == "array" and graph.search.graph.edges is not None


NARROW_DEEP = """module narrow;
var x: 0..3000 = 0;
var y: 0..49 = 0;
action Up when x < 3000 { x := x + 1; }
action Side(k in 0..49) when y = 0 { y := k; }
deadlock off;
"""


@pytest.mark.parametrize("text,consts,engine", [
    # 51 action instances and levels of at most 50 states: the tuple engine
    (NARROW_DEEP, {}, "tuple"),
    # 3 instances, levels growing past 128 states within the probe: the array engine
    ("counters.spec", {"Top": "29"}, "array"),
    # 27 instances, a level of 736 states within the probe: the array engine
    ("twophase.spec", {"RM": "{r1,r2,r3,r4,r5}"}, "array"),
    # 288 states: the probe is the whole search
    ("twophase.spec", {}, "tuple"),
])
def test_auto_weighs_the_width_of_the_levels(spec_file: Any, text: str, consts: dict[str, str],
                                              engine: str) -> None:
    path = spec_file(text) if "\n" in text else os.path.join(ROOT, "specs", "examples", text)
    spec = api.load_spec(path, consts)
    auto = api.check_spec(spec)
    assert auto.search.engine == engine and (auto.search.engine_note or "").startswith("auto: ")
    assert "probe" in (auto.search.engine_note or "") or "action instances" in (
        auto.search.engine_note or "")
    reference = api.check_spec(spec, SearchOptions(engine="tuple"))
    assert outcome(auto) == outcome(reference)


@pytest.mark.parametrize("limit", [500, 2_000])
def test_a_probe_within_the_users_state_limit_is_the_search(spec_file: Any, limit: int) -> None:
    spec = api.load_spec(os.path.join(ROOT, "specs", "examples", "counters.spec"), {"Top": "29"})
    cut = api.check_spec(spec, SearchOptions(max_states=limit))
    assert cut.search.engine == "tuple" and cut.search.stopped == StopReason.MAX_STATES
    assert cut.search.distinct == limit and "probe" in (cut.search.engine_note or "")
    assert outcome(cut) == outcome(api.check_spec(spec, SearchOptions(max_states=limit,
                                                                      engine="array")))


def test_a_spec_without_an_array_form_runs_on_the_tuple_engine(spec_file: Any) -> None:
    text = "module big; var s: set[0..9999] = {}; action a { s := s union {1}; }\n" \
           "deadlock off;"
    spec = api.load_spec(spec_file(text))
    choice = choose(spec, "auto")
    assert choice.engine == "tuple" and "10,000 elements" in (choice.reason or "")
    assert api.check_spec(spec).search.distinct == 2


def _summary(res: api.CheckResult) -> Optional[str]:
    from checker.views import text as report_text
    return report_text.summary(res).splitlines()[-1]


def test_the_summary_names_the_engine_and_why() -> None:
    twophase = api.load_spec(os.path.join(ROOT, "specs", "examples", "twophase.spec"),
                             {"RM": "{r1,r2,r3,r4,r5}"})
    assert "on the array engine (auto: a level of " in (_summary(api.check_spec(twophase)) or "")
    assert (_summary(api.check_spec(twophase, SearchOptions(engine="array"))) or "").endswith(
        "on the array engine.")
    tuple_ = api.check_spec(twophase, SearchOptions(engine="tuple"))
    assert (_summary(tuple_) or "").endswith("on the tuple engine.")


@dataclass(frozen=True)
class _Layout:
    words: int
    bits: int


@pytest.mark.parametrize("ids", [False, True])
@pytest.mark.parametrize("weak", [False, True])
def test_the_visited_sets_are_exact_even_when_hashes_collide(weak: bool, ids: bool,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of visited set finds exactly the new rows (and, with ids, each row's id),
    also when every row hashes to one of two values."""
    from checker.explicit.array import hashed
    from checker.explicit.array.search import visited_set
    from checker.explicit.array.store import PackedStore
    if weak:  # every row hashes to one of two values: the exact fallbacks must do the work
        monkeypatch.setattr(hashed, "row_hash", lambda w: (w[:, 0] & np.uint64(1)))
    rng = np.random.default_rng(7)
    for words, bits in ((1, 20), (1, 40), (3, 150)):
        store = PackedStore(_Layout(words, bits), block_bits=7)  # type: ignore[arg-type]
        visited = visited_set(store, ids)
        seen: dict[tuple[int, ...], int] = {}
        for _ in range(6):
            rows = rng.integers(0, 50, size=(400, words)).astype(np.uint64)
            keep = rng.random(400) < 0.8
            got = visited.fresh(rows, keep).tolist()
            expected, level = [], set()
            for j in range(400):
                key = tuple(int(x) for x in rows[j])
                if keep[j] and key not in seen and key not in level:
                    expected.append(j)
                    level.add(key)
            assert got == expected
            first = store.count
            store.append(rows[got], np.zeros(len(got), dtype=np.int64))
            visited.add(rows[got], first)
            for k, j in enumerate(got):
                seen[tuple(int(x) for x in rows[j])] = first + k
            if visited.has_ids:
                want = [seen.get(tuple(int(x) for x in r), -1) for r in rows]
                assert visited.lookup(rows).tolist() == want
        assert visited.size == len(seen)
        assert [tuple(int(x) for x in store.row(i)) for i in range(store.count)] == list(seen)


# ---------------------------------------------------------------- the graph and liveness

TEMPORAL = [p for p in EXAMPLES + LIFECYCLE
            if "temporal " in open(p, encoding="utf-8").read() or "examples" not in p]


@pytest.mark.parametrize("path", [
    pytest.param(p, id=os.path.relpath(p, ROOT),
                 marks=() if "examples" in p or os.path.basename(p) in FAST_LIFECYCLE
                 else (pytest.mark.slow,))
    for p in TEMPORAL])
def test_engines_agree_on_the_graph_and_on_liveness(path: str) -> None:
    """The array engine's recorded edges are the tuple engine's, list for list, and every
    temporal verdict, lasso and trace is the same."""
    consts = {"Top": "29"} if path.endswith("counters.spec") else None
    spec = api.load_spec(path, consts)
    if choose(spec, "auto").arrays is None:
        pytest.skip(choose(spec, "auto").reason or "")
    options = dict(keep_going=True, record_graph=True)
    array = api.check_spec(spec, SearchOptions(engine="array", **options))  # type: ignore[arg-type]
    tuple_ = api.check_spec(spec, SearchOptions(engine="tuple", **options))  # type: ignore[arg-type]
    assert array.search.engine == "array" and tuple_.search.engine == "tuple"
    assert array.search.graph.edges == tuple_.search.graph.edges
    assert outcome(array) == outcome(tuple_)
    assert [(t.name, t.status, t.prefix, t.cycle, t.stutter, t.instance) for t in array.temporal] \
        == [(t.name, t.status, t.prefix, t.cycle, t.stutter, t.instance) for t in tuple_.temporal]


def test_the_dumped_graph_is_the_same_on_both_engines(tmp_path: Any) -> None:
    from checker.cli import main
    spec = os.path.join(ROOT, "specs", "examples", "liveness_peterson_unfair.spec")
    dumped = []
    for engine in ("tuple", "array"):
        out = str(tmp_path / f"{engine}.dot")
        main(["check", spec, "--quiet", "--continue", "--engine", engine, "--dump-graph", out])
        dumped.append(open(out, encoding="utf-8").read())
    assert dumped[0] == dumped[1] and "->" in dumped[0]
