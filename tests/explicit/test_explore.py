"""The explorer's limits, interruption, counting and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from checker import api, cli
from checker.commands.exits import ExitCode
from checker.trace import itf
from checker.trace import trace
from checker.trace import io as trace_io
from checker.trace import replay as trace_replay
from checker.ir import types as T
from checker.explicit.search import Progress, SearchOptions

COUNTER = """
var a: 0..9 = 0;
var b: 0..9 = 0;
action IncA when a < 9 { a := a + 1; }
action IncB when b < 9 { b := b + 1; }
invariant Small: a + b < 30;
deadlock off;
"""


def test_exhaustive_counts(spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file(COUNTER))
    assert (res.search.distinct, res.search.depth, res.search.complete) == (100, 19, True)
    assert res.search.generated == 1 + 2 * 90
    assert res.verdict("Small").status == "holds"


@pytest.mark.parametrize("options, reason", [
    (SearchOptions(max_states=10), "max-states"),
    (SearchOptions(max_depth=3), "max-depth"),
])
def test_limits_cut_the_search_short_and_never_claim_success(
        spec_file: Callable[[str], str], options: SearchOptions, reason: str) -> None:
    res = api.check(spec_file(COUNTER), options=options)
    assert not res.search.complete
    assert res.search.stopped == reason
    assert res.verdict("Small").status == "unknown"


def test_max_depth_counts_levels_from_one(spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file(COUNTER), options=SearchOptions(max_depth=3))
    assert res.search.distinct == 1 + 2 + 3


def test_interrupt_stops_cleanly_with_what_was_found(spec_file: Callable[[str], str]) -> None:
    big = COUNTER.replace("0..9", "0..99").replace("< 9", "< 99").replace("< 30", "< 300")

    def interrupt(p: Progress) -> None:
        raise KeyboardInterrupt

    res = api.check(spec_file(big), options=SearchOptions(progress_interval=0.0),
                    on_progress=interrupt)
    assert res.search.stopped == "interrupted"
    assert not res.search.complete
    assert 0 < res.search.distinct < 10_000


def test_progress_is_reported(spec_file: Callable[[str], str]) -> None:
    seen: list[Progress] = []
    big = COUNTER.replace("0..9", "0..99").replace("< 9", "< 99").replace("< 30", "< 300")
    api.check(spec_file(big), options=SearchOptions(progress_interval=0.0), on_progress=seen.append)
    assert seen and seen[-1].distinct <= 10_000 and seen[-1].rate > 0


@pytest.mark.parametrize("args, code", [
    ([], ExitCode.OK),
    (["--max-states", "10"], ExitCode.INCOMPLETE),
    (["--timeout", "0"], ExitCode.OK),  # finishes before the first clock check
])
def test_exit_codes(spec_file: Callable[[str], str], args: list[str], code: int,
                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([spec_file(COUNTER), "--quiet", *args]) == code
    out = capsys.readouterr().out
    assert ("INCOMPLETE" in out) == (code == ExitCode.INCOMPLETE)


def test_trace_round_trips_through_itf(spec_file: Callable[[str], str], tmp_path: Path) -> None:
    res = api.check(spec_file(COUNTER.replace("a + b < 30", "a + b < 3")))
    [t] = res.traces
    path = str(tmp_path / "t.itf.json")
    trace_io.write_itf(t, path)
    data = json.loads(Path(path).read_text())
    assert data["vars"] == ["a", "b"] and data["states"][0]["a"] == {"#bigint": "0"}
    again = trace_io.read_itf(path)
    assert again.steps == t.steps and again.property == "Small"
    assert trace_replay.replay(res.system, again) == [res.search.graph.states[i]
                                               for i in res.search.violations[0].path]


@pytest.mark.parametrize("t", [
    T.BOOL, T.IntType(-2, 3), T.EnumType("E", ("x", "y", "z")), T.SetType(T.IntType(0, 2)),
    T.MapType(T.EnumType("E", ("x", "y")), T.IntType(0, 2)),
    T.SeqType(T.BOOL, 2), T.SeqType(T.IntType(0, 1), 3, bag=True),
    T.record({"n": T.IntType(0, 1), "on": T.BOOL}),
])
def test_every_value_round_trips_through_itf(t: T.Type) -> None:
    for v in T.values(t):
        assert itf.from_itf(t, json.loads(json.dumps(itf.to_itf(t, v)))) == v
        assert T.contains(t, v)


def test_value_counts_match_type_sizes() -> None:
    for t in [T.SetType(T.IntType(0, 3)), T.SeqType(T.BOOL, 3), T.SeqType(T.BOOL, 3, bag=True),
              T.MapType(T.BOOL, T.IntType(0, 2))]:
        assert len(list(T.values(t))) == T.size(t)


def test_continue_reports_every_property_one_state_or_step_violates(
        spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file("""
        var x: 0..2 = 0;
        action Up when x < 2 { x := x + 1; }
        invariant A: x < 2;
        invariant B: x != 2;
        transition C: x' != 2;
        transition D: x' <= 1;
        deadlock off;
    """), options=SearchOptions(keep_going=True))
    assert {v.property: (v.status, v.trace_length) for v in res.verdicts} == {
        "A": ("violated", 3), "B": ("violated", 3), "C": ("violated", 3), "D": ("violated", 3)}


def test_a_stuttering_lasso_replays(spec_file: Callable[[str], str], tmp_path: Path) -> None:
    path = spec_file("var x: 0..1 = 0; action Up when x == 0 { x := 1; } "
                     "temporal Never: eventually x == 1; deadlock off;")
    res = api.check(path)
    [t] = res.traces
    assert t.loop == len(t.steps) - 1  # no fairness: the behaviour may stop in the first state
    out = str(tmp_path / "lasso.itf.json")
    trace_io.write_itf(t, out)
    assert len(trace_replay.replay(res.system, trace_io.read_itf(out))) == len(t.steps)
