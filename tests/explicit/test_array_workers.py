"""`--workers N` (checker/explicit/array/parallel.py): the same search in several processes.

With the slices forced down to one row (`MIN_ROWS`), every level of these small specs is split
across the processes, so the merge of the slices is exercised at every level: counts, verdicts,
counterexamples, errors and their traces must be those of one process. A worker that dies ends
the search cut short, never with a verdict; an interrupted or timed-out search leaves no process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from checker import api, cli, errors
from checker.commands.exits import ExitCode
from checker.ir.kinds import StopReason
from checker.explicit.array import parallel, search
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.search import SearchOptions
from checker.views import text as result_text
from tests.explicit.test_array_constraints import GRID, OUTSIDE
from tests.explicit.test_array_engine import FAULT, LIMITS, outcome, safety

ROOT = Path(__file__).parents[2]
TWOPHASE = str(ROOT / "specs" / "examples" / "twophase.spec")
CURRENT = str(ROOT / "specs" / "current.spec")


@pytest.fixture
def every_level_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices down to one row, levels cut into chunks of 20 parents: the first chunk of a level
    is split among the processes, each next one given to the workers ahead while this process
    finishes the current one."""
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    monkeypatch.setattr(search, "CHUNK", 20)


def _printed(res: api.CheckResult) -> str:
    """The result as `check` prints it, without the line that has the time and the engine."""
    return "\n".join(line for line in result_text.result(res).splitlines()
                     if not line.startswith("Finished in"))


def _same_with_workers(spec: Any, **options: Any) -> api.CheckResult:
    one = api.check_spec(spec, SearchOptions(engine="array", **options))
    two = api.check_spec(spec, SearchOptions(engine="array", workers=2, **options))
    three = api.check_spec(spec, SearchOptions(engine="array", workers=3, **options))
    assert one.search.engine == two.search.engine == "array"
    assert (one.search.workers, two.search.workers) == (1, 2)
    assert outcome(two) == outcome(one) == outcome(three)
    assert _printed(two) == _printed(one)
    assert _children() == []
    return two


def _children(pid: int | None = None) -> list[int]:
    """The live processes whose parent is `pid` (this one by default), from /proc."""
    pid = os.getpid() if pid is None else pid
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not parallel.can_fork(),
                                reason="needs fork and /proc")


@needs_proc
@pytest.mark.parametrize("keep_going", [True, False])
def test_twophase_is_the_same_in_several_processes(every_level_split: None,
                                                   keep_going: bool) -> None:
    spec = api.load_spec(TWOPHASE, {"RM": "{r1,r2,r3,r4}"})
    res = _same_with_workers(spec, keep_going=keep_going)
    assert (res.search.distinct, res.search.depth) == (1_568, 14)  # TLC's counts
    assert res.search.complete


@needs_proc
def test_a_lifecycle_violation_has_the_same_counterexample(every_level_split: None) -> None:
    spec = api.load_spec(CURRENT)
    res = _same_with_workers(spec, keep_going=False, properties=safety(spec))
    assert res.search.stopped == StopReason.VIOLATION and res.traces


@needs_proc
@pytest.mark.parametrize("keep_going", [False, True])
def test_an_evaluation_error_is_the_same(every_level_split: None, spec_file: Any,
                                         keep_going: bool) -> None:
    res = _same_with_workers(api.load_spec(spec_file(FAULT)), keep_going=keep_going)
    assert res.search.error is not None and res.search.stopped == StopReason.ERROR


@needs_proc
@pytest.mark.parametrize("text", [GRID, OUTSIDE], ids=["grid", "outside"])
def test_constraints_are_the_same(every_level_split: None, spec_file: Any, text: str) -> None:
    _same_with_workers(api.load_spec(spec_file(text)), keep_going=True)


@needs_proc
@pytest.mark.parametrize("options", [{"max_states": 23}, {"max_depth": 4},
                                     {"keep_going": True, "max_states": 30}])
def test_limits_are_the_same(every_level_split: None, spec_file: Any,
                             options: dict[str, Any]) -> None:
    _same_with_workers(api.load_spec(spec_file(LIMITS)), **options)


@needs_proc
@pytest.mark.parametrize("consts", [{"RM": "{r1,r2,r3,r4}"}, {"RM": "{r1,r2,r3}"}])
def test_fingerprint_mode_is_the_same(every_level_split: None, consts: dict[str, str]) -> None:
    spec = api.load_spec(TWOPHASE, consts)
    one = api.check_spec(spec, SearchOptions(engine="array", fingerprints=True, max_states=900))
    two = api.check_spec(spec, SearchOptions(engine="array", fingerprints=True, max_states=900,
                                             workers=2))
    assert two.search.fingerprints is not None and two.search.workers == 2
    assert _printed(one) == _printed(two)
    assert (one.search.distinct, one.search.generated, one.search.depth) == (
        two.search.distinct, two.search.generated, two.search.depth)


@needs_proc
def test_the_graph_for_liveness_is_the_same(every_level_split: None) -> None:
    spec = api.load_spec(str(ROOT / "specs" / "examples" / "liveness_peterson.spec"))
    one = api.check_spec(spec, SearchOptions(engine="array"))
    two = api.check_spec(spec, SearchOptions(engine="array", workers=2))
    assert one.search.graph.edges == two.search.graph.edges
    assert outcome(one) == outcome(two)


@needs_proc
def test_a_worker_that_dies_cuts_the_search_short(every_level_split: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    here, successors = os.getpid(), ArraySystem.successors

    def dying(self: ArraySystem, *args: Any) -> Any:
        if os.getpid() != here:  # in the forked worker
            os._exit(7)
        return successors(self, *args)

    monkeypatch.setattr(ArraySystem, "successors", dying)
    spec = api.load_spec(TWOPHASE, {"RM": "{r1,r2,r3}"})
    res = api.check_spec(spec, SearchOptions(engine="array", workers=2))
    assert res.search.stopped == StopReason.WORKER_LOST and not res.search.complete
    assert res.search.stop_note == "a worker process exited with status 7"
    assert all(v.status == "unknown" for v in res.verdicts)  # never "holds"
    assert "INCOMPLETE: a worker process of --workers died" in result_text.summary(res)
    assert _children() == []


@needs_proc
def test_an_exception_in_a_worker_is_raised_as_with_one_process(
        every_level_split: None, monkeypatch: pytest.MonkeyPatch) -> None:
    here, failing = os.getpid(), ArraySystem.failing

    def broken(self: ArraySystem, *args: Any) -> Any:
        if os.getpid() != here:
            raise MemoryError()
        return failing(self, *args)

    monkeypatch.setattr(ArraySystem, "failing", broken)
    spec = api.load_spec(TWOPHASE, {"RM": "{r1,r2,r3}"})
    res = api.check_spec(spec, SearchOptions(engine="array", workers=2))
    assert res.search.stopped == StopReason.MEMORY and not res.search.complete
    assert _children() == []


def test_workers_with_the_tuple_engine_is_refused() -> None:
    spec = api.load_spec(TWOPHASE, {"RM": "{r1,r2}"})
    with pytest.raises(errors.ConfigError, match="the tuple engine runs in one process"):
        api.check_spec(spec, SearchOptions(engine="tuple", workers=2))


def test_auto_on_the_tuple_engine_says_workers_went_unused() -> None:
    spec = api.load_spec(TWOPHASE, {"RM": "{r1,r2}"})  # ends within the probe
    res = api.check_spec(spec, SearchOptions(workers=2))
    assert res.search.engine == "tuple"
    assert "--workers 2 unused: the tuple engine runs in one process" in result_text.summary(res)


@pytest.mark.parametrize("value", ["0", "1.5", "x", str(parallel.max_workers() + 1)])
def test_a_bad_number_of_workers_is_a_command_line_error(
        value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([TWOPHASE, "--workers", value]) == ExitCode.CONFIG_ERROR
    err = capsys.readouterr().err
    assert err.startswith("checkmodel: error[E402]: --workers: expected a whole number from 1 to")


def test_workers_with_the_tuple_engine_is_a_command_line_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([TWOPHASE, "--workers", "2", "--engine", "tuple"]) == ExitCode.CONFIG_ERROR
    captured = capsys.readouterr()
    assert "--workers 2: the tuple engine runs in one process" in captured.err
    assert captured.out == ""  # refused before the spec is loaded


# ---------------------------------------------------------------- stopping, from outside

def _wait_for_workers(proc: subprocess.Popen[str]) -> list[int]:
    """The worker processes of a running `checkmodel --workers 2`, once forked."""
    for _ in range(1200):
        found = _children(proc.pid)
        if found or proc.poll() is not None:
            return found
        time.sleep(0.05)
    return []


@needs_proc
@pytest.mark.parametrize("how", ["sigint-group", "sigterm", "timeout"])
def test_a_search_stopped_from_outside_leaves_no_worker(tmp_path: Path, how: str) -> None:
    args = [sys.executable, "-m", "checker", str(ROOT / "specs" / "examples" / "counters.spec"),
            "--const", "Top=299", "--engine", "array", "--workers", "2"]
    if how == "timeout":
        args += ["--timeout", "1"]
    proc = subprocess.Popen(args, cwd=tmp_path, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        workers = _wait_for_workers(proc)
        assert workers, "no worker process was started"
        if how == "sigint-group":  # Ctrl-C in a terminal: the whole process group
            os.killpg(proc.pid, signal.SIGINT)
        elif how == "sigterm":
            proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    if how == "timeout":
        assert proc.returncode == ExitCode.INCOMPLETE, err
        assert "the --timeout was reached" in out
    else:
        assert proc.returncode == ExitCode.INTERRUPTED, err
        assert "Model checking INCOMPLETE: it was interrupted" in out
    assert "array engine in 2 processes" in out
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
