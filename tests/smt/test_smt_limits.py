"""The limits on Z3 (`checker.smt.limits`): a query that needs more work than `--rlimit` allows
is UNKNOWN with "work limit reached" (never a timeout, never Ctrl-C), and the same limit gives the
same answers on every run; `--timeout` is a deadline for the whole command, and what it leaves
unfinished is listed, never proved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import z3

from checker import api
from checker.ir.kinds import Outcome, ProofStatus
from checker.smt.limits import Limit, Limits, check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PETERSON = os.path.join(ROOT, "specs", "examples", "peterson.spec")
DIEHARD = os.path.join(ROOT, "specs", "examples", "diehard.spec")


def _pigeons(n: int) -> z3.Solver:
    """n + 1 pigeons in n holes: unsatisfiable, and hard for Z3 from about n = 10."""
    solver = z3.Solver()
    xs = [z3.Int(f"pigeon{i}") for i in range(n + 1)]
    solver.add([z3.And(0 <= x, x < n) for x in xs] + [z3.Distinct(xs)])
    return solver


@pytest.mark.parametrize("rlimit", [1, 50_000])
def test_an_exhausted_work_limit_is_reported_as_such(rlimit: int) -> None:
    answer = check(_pigeons(11), Limits(rlimit=rlimit))
    assert answer.result == z3.unknown and answer.limit == Limit.WORK
    assert answer.work >= rlimit


def test_a_time_limit_is_not_a_work_limit() -> None:
    answer = check(_pigeons(11), Limits(query_seconds=0.05, rlimit=10**9))
    assert answer.result == z3.unknown and answer.limit == Limit.QUERY_TIME
    answer = check(_pigeons(11), Limits(seconds=0.05, query_seconds=60, rlimit=10**9))
    assert answer.result == z3.unknown and answer.limit == Limit.DEADLINE


def test_no_query_is_asked_once_the_deadline_has_passed() -> None:
    limits = Limits(seconds=0.0)
    answer = check(_pigeons(2), limits)
    assert answer.result == z3.unknown and answer.limit == Limit.DEADLINE and answer.work == 0


def test_enough_work_answers() -> None:
    answer = check(_pigeons(4), Limits(rlimit=10**8))
    assert answer.result == z3.unsat and answer.limit is None and answer.work > 0


def test_prove_under_a_tiny_work_limit_is_unknown() -> None:
    report = api.prove(api.load_spec(PETERSON), rlimit=1)
    assert report.limits.rlimit == 1
    assert {r.target.name: r.status for r in report.results} == {
        "TypeOK": ProofStatus.UNKNOWN, "Inv": ProofStatus.UNKNOWN}
    unknown = [o for r in report.results for o in r.obligations]
    assert unknown and all(o.status == Outcome.UNKNOWN and o.limit == Limit.WORK
                           for o in unknown)
    assert report.errors is not None and report.errors.status != ProofStatus.PROVED


def test_prove_under_a_large_work_limit_is_proved() -> None:
    report = api.prove(api.load_spec(PETERSON), rlimit=10**8)
    assert all(r.status == ProofStatus.PROVED for r in report.results)
    assert report.errors is not None and report.errors.status == ProofStatus.PROVED
    assert all(0 <= o.work < 10**8 for r in report.results for o in r.obligations)


def test_bmc_under_a_tiny_work_limit_is_incomplete() -> None:
    result = api.bmc(api.load_spec(DIEHARD), 8, rlimit=1)
    assert not result.complete and result.limit == Limit.WORK and not result.violations
    found = api.bmc(api.load_spec(DIEHARD), 8, rlimit=10**8)
    assert found.complete and [v.name for v in found.violations] == ["NotSolved"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=120)


def test_the_same_work_limit_gives_the_same_answers_twice() -> None:
    """A limit between the work of Peterson's two consecution queries (about 4,000 and 16,000
    units with Z3 4.x): one is proved, the other is not, on every run (each a fresh process, as
    the report runs its proofs: Z3's shared context makes the work of a query depend on what the
    process asked before)."""
    runs = [_run("prove", PETERSON, "--rlimit", "8000", "--json") for _ in range(2)]
    documents = [json.loads(r.stdout) for r in runs]
    assert [r.returncode for r in runs] == [152, 152]
    assert documents[0]["verdicts"] == documents[1]["verdicts"]
    statuses = {v["property"]: v["verdict"] for v in documents[0]["verdicts"]}
    assert statuses["TypeOK"] == "proved" and statuses["Inv"] == "unknown"


def test_the_commands_say_work_limit_reached() -> None:
    proved = _run("prove", PETERSON, "--rlimit", "1")
    assert proved.returncode == 152
    assert "unknown (work limit reached: 1 unit of Z3 work per query)" in proved.stdout
    bounded = _run("bmc", DIEHARD, "--rlimit", "1", "--quiet")
    assert bounded.returncode == 152
    assert "BMC INCOMPLETE: depth 0 is unfinished (work limit reached" in bounded.stdout
    assert _run("bmc", DIEHARD, "--rlimit", "0").returncode == 151


def test_a_deadline_leaves_every_obligation_unfinished_and_says_which() -> None:
    report = api.prove(api.load_spec(PETERSON), timeout=0.0)
    assert all(r.status == ProofStatus.UNKNOWN for r in report.results)
    assert report.errors is not None and report.errors.status == ProofStatus.UNKNOWN
    unfinished = dict(report.unfinished())
    assert set(unfinished) == {"TypeOK", "Inv", "no evaluation errors"}
    assert [o.name for o in unfinished["Inv"]] == ["initiation", "consecution"]
    result = api.bmc(api.load_spec(DIEHARD), 8, timeout=0.0)
    assert not result.complete and result.limit == Limit.DEADLINE and result.reached == -1


def test_the_commands_list_what_the_deadline_left_unfinished() -> None:
    proved = _run("prove", PETERSON, "--timeout", "0.001", "--quiet", "--width", "0")
    assert proved.returncode == 152 and "PROVED" not in proved.stdout.replace("each PROVED", "")
    assert ("INCOMPLETE: the time limit (0.001s for the whole proof) was reached; unfinished: "
            "TypeOK (initiation, consecution); Inv (initiation, consecution)") in proved.stdout
    bounded = _run("bmc", DIEHARD, "--timeout", "0.001", "--quiet", "--width", "0")
    assert bounded.returncode == 152 and "No violation" not in bounded.stdout
    assert "BMC INCOMPLETE: depth 0 is unfinished (time limit reached" in bounded.stdout


HARD = ("var x: 0..100000 = 0;\nvar y: 0..100000 = 0;\n"
        "action a when x < 100000 { x := x + 1; }\naction b when y < 100000 { y := y + 1; }\n"
        "invariant I: x * y != 99999 * 99997;\n")


def test_the_deadline_is_for_the_whole_search(tmp_path: Path) -> None:
    """Every depth is quick, so a limit per query would never end this search: the deadline
    does, within a few seconds of it (the encoding of the next depth is not interruptible)."""
    (tmp_path / "hard.spec").write_text(HARD)
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "checker", "bmc", str(tmp_path / "hard.spec"),
                          "--depth", "100000", "--timeout", "3", "--quiet"], cwd=ROOT,
                         text=True, capture_output=True, timeout=300)
    assert run.returncode == 152, run.stderr
    assert "is unfinished (time limit reached: 3s in all)" in run.stdout
    assert time.monotonic() - started < 60


def test_quiet_prints_only_the_verdicts() -> None:
    proved = _run("prove", DIEHARD, "--quiet")
    assert proved.returncode == 12 and proved.stderr == ""
    assert proved.stdout.splitlines()[:5] == [
        "", "TypeOK (invariant): PROVED", "NotSolved (invariant): VIOLATED",
        "No evaluation errors: PROVED", ""]
    assert "checkmodel:" not in proved.stdout and "initiation" not in proved.stdout
    bounded = _run("bmc", DIEHARD, "--quiet")
    assert bounded.returncode == 12 and bounded.stderr == ""
    assert "NotSolved  VIOLATED (trace of 7 states)" in bounded.stdout
    assert "State 1" not in bounded.stdout and "checkmodel:" not in bounded.stdout
