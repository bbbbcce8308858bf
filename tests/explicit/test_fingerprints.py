"""`check --fingerprints`: the array engine with a 64-bit fingerprint per state, the rows of two
levels, and counterexamples rebuilt from parents and ordinals (docs/engines.md).

The mode must give the exact array engine's counts, verdicts and counterexamples (state for
state, and as printed), say that it is exact only up to fingerprint collisions with TLC's
estimate, write traces that replay, and refuse what needs the graph it does not keep.
"""

from __future__ import annotations

import glob
import os
from typing import Any

import numpy as np
import pytest

from checker import api, cli
from checker.commands.exits import ExitCode
from checker.explicit.array.frontier import FrontierStore
from checker.explicit.array.rebuild import VIRTUAL, FingerprintGraph, RebuildError
from checker.explicit.results import Fingerprints
from checker.explicit.search import SearchOptions
from checker.ir.kinds import PropertyKind, Status
from checker.views import documents, text
from tests.explicit.test_array_engine import outcome as engine_outcome

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# two words a state (the set over 0..99); `back` steps to a state seen before, so NoBack's
# counterexample ends in a state found again, not a new one
WIDE = """
module wide;
var x: 0..9 = 0;
var y: 0..3 = 0;
var pad: set[0..99] = {};
action up when x < 9 { pad := pad union {x}; x := x + 1; }
action side when y < 3 { either { y := y + 1; } or { y := 0; x := 0; } }
action back when x == 3 and y == 1 { y := 0; }
invariant Low: x < 6;
invariant Small: x + y < 8;
transition Slow: x' <= x + 1;
transition NoBack: not (x == 3 and y == 1 and y' == 0 and x' == 3);
"""


def safety(spec: Any) -> frozenset[str]:
    return frozenset(p.name for p in spec.properties
                     if p.kind in (PropertyKind.INVARIANT, PropertyKind.TRANSITION)) | {"Deadlock"}


def outcome(res: api.CheckResult) -> dict[str, Any]:
    """What the engine tests compare (test_array_engine.outcome), and the counterexamples as
    printed (the verdicts and summary differ: compared below)."""
    return {**engine_outcome(res), "text": text.result(res).split("\nProperties:")[0]}


def modes(spec: Any, **options: Any) -> tuple[api.CheckResult, api.CheckResult]:
    exact = api.check_spec(spec, SearchOptions(engine="array", **options))
    fingerprints = api.check_spec(spec, SearchOptions(engine="array", fingerprints=True,
                                                      **options))
    assert exact.search.fingerprints is None and fingerprints.search.fingerprints is not None
    return exact, fingerprints


SPECS = [("specs/examples/twophase.spec", {"RM": "{r1,r2,r3}"}),
         ("specs/examples/diehard.spec", None),
         ("specs/examples/alternatingbit.spec", None),
         ("specs/current.spec", None)]  # the lifecycle model, one run, with violations


OPTIONS: list[dict[str, Any]] = [{"keep_going": True}, {"keep_going": False},
                                 {"keep_going": True, "max_states": 2_000},
                                 {"keep_going": True, "max_depth": 9}]
CASES = [(path, consts, options) for path, consts in SPECS for options in OPTIONS
         if path != "specs/current.spec" or options == OPTIONS[0]]  # a lifecycle run: ~1 s


@pytest.mark.parametrize("path,consts,options", CASES,
                         ids=[f"{p}-{sorted(o.items())}" for p, _, o in CASES])
def test_fingerprints_give_the_exact_counts_and_counterexamples(
        path: str, consts: Any, options: dict[str, Any]) -> None:
    switches = {"install_phase": "bounded"} if path == "specs/current.spec" else None  # 58k states
    spec = api.load_spec(os.path.join(ROOT, path), consts, switches)
    exact, fingerprints = modes(spec, properties=safety(spec), **options)
    assert fingerprints.search.fingerprints == Fingerprints(hashed=path == "specs/current.spec")
    assert outcome(fingerprints) == outcome(exact)


@pytest.mark.parametrize("options", [{"keep_going": True}, {"keep_going": False},
                                     {"max_states": 30}, {"keep_going": True, "max_depth": 5}])
def test_fingerprints_of_rows_of_several_words(spec_file: Any, options: dict[str, Any]) -> None:
    spec = api.load_spec(spec_file(WIDE))
    exact, fingerprints = modes(spec, **options)
    assert outcome(fingerprints) == outcome(exact)
    assert fingerprints.search.fingerprints == Fingerprints(hashed=True)
    if options == {"keep_going": True}:
        assert {v.name for v in exact.search.violations} == {"Low", "Small", "NoBack", "Deadlock"}
        graph = fingerprints.search.graph
        assert isinstance(graph, FingerprintGraph) and graph.virtual  # NoBack's last state
        back = next(v for v in fingerprints.search.violations if v.name == "NoBack")
        assert back.path[-1] >= VIRTUAL


def test_the_summary_says_exact_up_to_collisions_with_tlcs_estimate(spec_file: Any) -> None:
    res = api.check_spec(api.load_spec(spec_file(WIDE)),
                         SearchOptions(engine="array", fingerprints=True,
                                       properties=frozenset({"Slow"})))
    s = res.search
    out = text.verdicts(res)
    assert "  Slow  holds (exhaustive up to fingerprint collisions)" in out
    assert "Model checking completed: the search was exhaustive up to fingerprint collisions." \
        in out
    estimate = s.distinct * (s.generated - s.distinct) / 2 ** 64
    assert f"  calculated (optimistic):  val = {estimate:.1E}\n" in out
    assert "on the array engine in fingerprint mode (64-bit fingerprints" in out
    assert documents.check_document(res, 0)["fingerprints"] == {
        "hashed": True, "collision_probability": estimate}
    assert Fingerprints.collision(10, 30) == 10 * 20 / 2 ** 64


def test_one_word_states_are_their_own_fingerprints() -> None:
    spec = api.load_spec(os.path.join(ROOT, "specs/examples/twophase.spec"),
                         {"RM": "{r1,r2,r3}"})
    res = api.check_spec(spec, SearchOptions(engine="array", fingerprints=True))
    out = text.verdicts(res)
    assert res.search.fingerprints == Fingerprints(hashed=False)
    assert "calculated (optimistic)" not in out and "holds (exhaustive)\n" in out
    assert "in fingerprint mode (each state one 64-bit word, its own fingerprint: exact)" in out


def test_traces_of_fingerprint_mode_replay(spec_file: Any, tmp_path: Any,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = spec_file(WIDE)
    out = str(tmp_path / "wide.itf.json")
    code = cli.main(["check", path, "--fingerprints", "--continue", "--trace-out", out])
    assert code == ExitCode.PROPERTY, capsys.readouterr()  # as the exact engine
    files = sorted(glob.glob(str(tmp_path / "wide.*.itf.json")))
    assert len(files) == 4
    capsys.readouterr()
    for trace_file in files:
        assert cli.main(["replay", path, trace_file]) == ExitCode.OK
        assert "is a behaviour of" in capsys.readouterr().out


@pytest.mark.parametrize("args,says", [
    (["--engine", "tuple"], "--fingerprints runs on the array engine, not on --engine tuple"),
    (["--dump-graph", "g.dot"], "no state graph to export"),
    (["--coverage"], "no states to count the actions of (--coverage)"),
    (["--property", "Live"], "cannot check the temporal and reachable properties (Live)"),
])
def test_what_needs_the_graph_is_refused(spec_file: Any, tmp_path: Any, args: list[str],
                                         says: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    live = "fair up;\ntemporal Live: eventually (x == 9);\n" if "Live" in args else ""
    path = spec_file(WIDE + live)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", path, "--fingerprints"] + args)
    err = capsys.readouterr().err
    assert code == ExitCode.CONFIG_ERROR and says in err and "Traceback" not in err


@pytest.mark.parametrize("words", [1, 3])
def test_the_frontier_store_keeps_two_levels_and_every_parent(words: int) -> None:
    class Layout:
        pass
    layout = Layout()
    layout.words = words  # type: ignore[attr-defined]
    store = FrontierStore(layout, block=8 * 8 * words)  # type: ignore[arg-type]
    rows = np.arange(40 * words, dtype=np.uint64).reshape(40, words)
    store.append(rows[:5], np.full(5, -1), np.arange(5))
    assert store.span(0, 5).tolist() == rows[:5].tolist()
    store.append(rows[5:20], np.arange(15) % 5, np.arange(15) // 5 + 70_000)  # widens
    store.append(rows[20:23], np.array([9, 9, 9]), np.array([0, 1, 2]))
    assert store.span(2, 4).tolist() == rows[2:4].tolist()  # still the first level
    assert store.span(5, 23).tolist() == rows[5:23].tolist()  # the next level
    with pytest.raises(IndexError):
        store.span(0, 5)  # dropped
    assert [store.parent(i) for i in (0, 4, 5, 19, 22)] == [-1, -1, 0, 4, 9]
    assert [store.ordinal(i) for i in (3, 5, 19, 22)] == [3, 70_000, 70_002, 2]


def test_a_rebuild_that_goes_astray_is_an_error(spec_file: Any) -> None:
    res = api.check_spec(api.load_spec(spec_file(WIDE)),
                         SearchOptions(engine="array", fingerprints=True, keep_going=True))
    graph = res.search.graph
    assert isinstance(graph, FingerprintGraph)
    last = res.search.violations[0].path[-1]
    layout = graph.arrays.layout
    assert graph.state(last) == layout.decode([int(w) for w in graph.seen[last]])
    graph.seen[last] = graph.seen[last] ^ np.uint64(1)
    graph._rows.clear()
    with pytest.raises(RebuildError):
        graph.rebuild([last])
    assert res.verdicts[0].status == Status.VIOLATED


def test_a_spec_the_array_engine_cannot_check_is_refused(spec_file: Any,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = spec_file("module big;\nvar s: set[0..9999] = {};\naction a { s := s union {1}; }\n")
    assert cli.main(["check", path, "--fingerprints"]) == ExitCode.CONFIG_ERROR
    err = capsys.readouterr().err
    assert "--fingerprints runs on the array engine, which cannot check this spec" in err
    assert cli.main(["check", path]) == ExitCode.OK  # the tuple engine checks it exactly
