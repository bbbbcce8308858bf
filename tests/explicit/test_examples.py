"""The classic models in specs/examples/ pin the checker to TLC's numbers.

Every count below is what TLC reports (one worker) for the TLA+ original; the
hand-written searches in bench/baseline.py reproduce each of them
independently (test_baseline_reproduces_tlc).  Counting follows TLC: distinct
states include the initial ones, depth counts the initial states as level 1,
generated counts initial states plus every successor produced.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest

from checker import api
from checker.explicit.search import SearchOptions
from tests.conftest import engines

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "specs", "examples")


def example(name: str) -> str:
    return os.path.join(EXAMPLES, name)


def rms(n: int) -> str:
    return "{" + ",".join(f"r{i}" for i in range(1, n + 1)) + "}"


@dataclass(frozen=True)
class Pinned:
    """A spec run and the numbers TLC gives for the same model."""

    id: str
    spec: str
    distinct: int
    depth: int
    generated: Optional[int]  # None where TLC's figure would not be comparable
    consts: dict[str, str] = field(default_factory=dict)
    properties: Optional[frozenset[str]] = None  # None: everything the spec declares
    marks: tuple[Any, ...] = ()


PINNED = [
    # DieHard.tla with only TypeOK: every action is always enabled, 6 successors per state.
    Pinned("diehard-TypeOK", "diehard.spec", 16, 8, 97, properties=frozenset({"TypeOK"})),
    # TCommit.cfg: RM = {r1, r2, r3}, CHECK_DEADLOCK FALSE.
    Pinned("tcommit-3", "tcommit.spec", 34, 7, 94),
    # TwoPhase.cfg: RM = {r1, r2, r3}, deadlock checking on.
    Pinned("twophase-3", "twophase.spec", 288, 11, 1146),
    Pinned("twophase-5", "twophase.spec", 8_832, 17, 58_146, consts={"RM": rms(5)}),
    Pinned("twophase-7", "twophase.spec", 296_448, 23, 2_744_706, consts={"RM": rms(7)},
           marks=(pytest.mark.slow,)),
    # locks_auxiliary_vars/Peterson.cfg: INVARIANTS TypeOK Inv.
    Pinned("peterson", "peterson.spec", 42, 11, 77),
    # SpecifyingSystems/TLC/MCAlternatingBit.cfg: Data = {d1, d2}, queues bounded at 2.
    Pinned("alternatingbit", "alternatingbit.spec", 240, 10, 1392),
    # SpecifyingSystems/HourClock/HourClock.cfg: every reachable state is initial.
    Pinned("hourclock", "hourclock.spec", 12, 1, 24),
    # Not a TLA+ example: 10^3 and 100^3 states, the counts follow from the model.
    Pinned("counters-10", "counters.spec", 1_000, 28, 2_701, consts={"Top": "9"}),
    Pinned("counters-100", "counters.spec", 1_000_000, 298, 2_970_001, marks=(pytest.mark.slow,)),
]


def run(spec: str, consts: Optional[dict[str, str]] = None,
        properties: Optional[frozenset[str]] = None, engine: str = "auto",
        **kwargs: Any) -> api.CheckResult:
    options = SearchOptions(properties=properties, keep_going=True, engine=engine)
    return api.check(example(spec), consts=consts, options=options, **kwargs)


@pytest.mark.parametrize("case,engine", [
    pytest.param(c, engine, id=f"{c.id}-{engine}", marks=c.marks) for c in PINNED
    for engine in engines()])
def test_counts_match_tlc(case: Pinned, engine: str) -> None:
    result = run(case.spec, case.consts, case.properties, engine)
    search = result.search
    assert search.engine == engine
    assert result.exhaustive
    assert [v.property for v in result.verdicts if v.status != "holds"] == []
    assert (search.distinct, search.depth) == (case.distinct, case.depth)
    if case.generated is not None:
        assert search.generated == case.generated


# ------------------------------------------------------------------ DieHard
DIEHARD_SOLUTION = [  # (action, big, small): the shortest way to 4 gallons
    (None, 0, 0),
    ("FillBig", 5, 0),
    ("BigToSmall", 2, 3),
    ("EmptySmall", 2, 0),
    ("BigToSmall", 0, 2),
    ("FillBig", 5, 2),
    ("BigToSmall", 4, 3),
]


@pytest.mark.parametrize("engine", engines())
def test_diehard_not_solved_is_violated_by_the_shortest_solution(engine: str) -> None:
    result = run("diehard.spec", engine=engine)
    assert result.search.engine == engine
    assert result.verdict("NotSolved").status == "violated"
    assert result.verdict("NotSolved").trace_length == 7
    (trace,) = result.traces
    assert trace.property == "NotSolved"
    steps = [(s.action, int(s.values["big"]["#bigint"]), int(s.values["small"]["#bigint"]))
             for s in trace.steps]
    assert steps == DIEHARD_SOLUTION


def checkmodel_command() -> list[str]:
    """The installed console script next to this interpreter, else the module."""
    script = shutil.which("checkmodel", path=os.path.dirname(sys.executable))
    if script:
        return [script]
    return [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())"]


def test_diehard_cli_prints_the_seven_state_trace_and_exits_12() -> None:
    proc = subprocess.run([*checkmodel_command(), "specs/examples/diehard.spec"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 12, proc.stdout + proc.stderr
    out = proc.stdout
    assert "NotSolved" in out
    for k in range(1, 8):
        assert f"State {k}:" in out
    assert "State 8:" not in out
    assert "Traceback" not in proc.stderr
    last_state = out[out.index("State 7:"):]
    assert "BigToSmall" in last_state.splitlines()[0]
    assert "big = 4" in last_state and "small = 3" in last_state


def test_twophase_cli_exits_0() -> None:
    proc = subprocess.run([*checkmodel_command(), "specs/examples/twophase.spec"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "288" in proc.stdout + proc.stderr


# ------------------------------------------------------------------ deadlock settings
@pytest.mark.parametrize("spec,checks_deadlock", [
    ("diehard.spec", True),
    ("tcommit.spec", False),  # TCommit.cfg: CHECK_DEADLOCK FALSE
    ("twophase.spec", True),  # TwoPhase.cfg keeps TLC's default
    ("peterson.spec", True),
    ("alternatingbit.spec", True),
    ("hourclock.spec", True),
    ("counters.spec", False),
])
def test_deadlock_setting_follows_tlcs_model(spec: str, checks_deadlock: bool) -> None:
    assert api.load_spec(example(spec)).check_deadlock is checks_deadlock


@pytest.mark.parametrize("engine", engines())
def test_tcommit_stops_once_every_rm_has_decided(engine: str) -> None:
    """Why TCommit's model turns deadlock checking off: the quickest end is 3 aborts."""
    result = run("tcommit.spec", engine=engine, check_deadlock=True)
    assert result.verdict("Deadlock").status == "violated"
    assert result.verdict("Deadlock").trace_length == 4
    final = result.traces[0].steps[-1].values["rmState"]
    assert "aborted" in str(final) and "working" not in str(final)


@pytest.mark.parametrize("engine", engines())
def test_twophase_never_deadlocks_because_decisions_can_be_received_again(engine: str) -> None:
    """Once the TM has decided an RM can always (re)receive the decision, even when that
    step leaves the state unchanged; such a step is a successor, so nothing is stuck."""
    result = run("twophase.spec", consts={"RM": rms(2)}, engine=engine)
    assert result.verdict("Deadlock").status == "holds"


# ------------------------------------------------------------------ the reference searches
def load_baseline() -> Any:
    spec = importlib.util.spec_from_file_location("baseline", os.path.join(ROOT, "bench", "baseline.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("baseline", module)
    spec.loader.exec_module(module)
    return module


def test_baseline_reproduces_tlc() -> None:
    b = load_baseline()
    got = {
        "diehard": b.diehard(),
        "tcommit": b.tcommit(3),
        "twophase-3": b.twophase(3),
        "twophase-5": b.twophase(5),
        "peterson": b.peterson(),
        "alternatingbit": b.alternating_bit(),
        "hourclock": b.hourclock(),
        "counters-10": b.counters(3, 9),
    }
    counts = {k: (r.distinct, r.generated, r.depth) for k, r in got.items()}
    assert counts == {
        "diehard": (16, 97, 8),
        "tcommit": (34, 94, 7),
        "twophase-3": (288, 1146, 11),
        "twophase-5": (8_832, 58_146, 17),
        "peterson": (42, 77, 11),
        "alternatingbit": (240, 1392, 10),
        "hourclock": (12, 24, 1),
        "counters-10": (1_000, 2_701, 28),
    }
    assert all(r.violations == () for r in got.values())
