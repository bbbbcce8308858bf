"""Ctrl-C (SIGINT) and SIGTERM in the commands tests/commands/test_bad_input.py does not cover:
the liveness phase of `check`, `prove` (inside a long Z3 query, where Python's own handler
cannot run), `table` and `report` (whose worker processes must stop with it). Each exits 130
and says what was finished."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from checker.commands.exits import ExitCode

from processes import GROWING, ROOT, interrupt, spawn

OUT = "stdout.txt"

# a liveness check that takes seconds after a search of about a second
LIVE = ("var x: 0..800 = 0;\nvar y: 0..800 = 0;\n"
        "action a { x := (x + 1) % 801; }\naction b { y := (y + 1) % 801; }\n"
        "fair a;\nfair b;\n"
        "temporal Back: always eventually (x == 0 and y == 0);\n"
        "temporal Back1: always eventually (x == 1 and y == 1);\n"
        "temporal Back2: always eventually (x == 2 and y == 2);\n"
        "temporal Back3: always eventually (x == 3 and y == 3);\n"
        "temporal Back4: always eventually (x == 4 and y == 4);\n")
# the same graph, with five temporal properties that hold, each a few seconds of liveness work:
# interrupted after the first verdict, nothing is violated, so the exit code is 130
LIVE_HOLDS = LIVE.split("temporal")[0] + "".join(
    f"temporal Visits{k}: always eventually x == {k};\n" for k in range(5))
# an induction Z3 cannot finish (it would need Fermat's theorem for cubes): one long query
FERMAT = ("var x: 1..1000 = 1;\nvar y: 1..1000 = 1;\nvar z: 1..1000 = 1;\n"
          "action a when x < 1000 { x := x + 1; }\naction b when y < 1000 { y := y + 1; }\n"
          "action c when z < 1000 { z := z + 1; }\n"
          "invariant Small: x >= 1;\n"  # proved first, quickly
          "invariant Fermat: x * x * x + y * y * y != z * z * z;\ndeadlock off;\n")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_liveness_phase(tmp_path: Path, signum: int) -> None:
    (tmp_path / "live.spec").write_text(LIVE_HOLDS)
    proc = spawn(["check", "live.spec", "--engine", "tuple"], tmp_path, tmp_path / OUT)
    # once the first of the five temporal verdicts is in (the search is over, and each of the
    # other four takes seconds): no guess at how long the search takes on this machine
    out, err, _ = interrupt(proc, signum, after="Liveness:", stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "Traceback" not in err
    assert "Deadlock  holds (exhaustive)" in out  # the search was finished
    assert "Visits0   holds (exhaustive)" in out  # the verdict reached before the signal
    assert "Visits4   unknown (the liveness check was interrupted)" in out
    assert "The liveness check was INTERRUPTED" in out  # the summary does not stop at "exhaustive"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_prove_inside_a_z3_query(tmp_path: Path, signum: int) -> None:
    (tmp_path / "fermat.spec").write_text(FERMAT)
    proc = spawn(["prove", "fermat.spec", "--width", "0"], tmp_path, tmp_path / OUT)
    out, err, took = interrupt(proc, signum, after="Prove: Small", delay=2.0,
                               stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "Traceback" not in err
    assert "Small (invariant): PROVED" in out  # finished before the signal
    assert ("INTERRUPTED (Ctrl-C or SIGTERM): the proofs above were finished; not finished: "
            "Fermat; no evaluation errors: not checked.") in out
    assert took < 30  # not at the end of the query (60 s)


def test_bmc_says_which_depths_were_finished(tmp_path: Path) -> None:
    (tmp_path / "hard.spec").write_text(GROWING + "invariant I: x * y != 99999 * 99997;\n")
    proc = spawn(["bmc", "hard.spec", "--depth", "100000"], tmp_path, tmp_path / OUT)
    out, err, _ = interrupt(proc, signal.SIGTERM, after="BMC: depth 3 done",
                            stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "BMC INTERRUPTED (Ctrl-C or SIGTERM) at depth" in out
    assert "no violation within" in out


def test_table_sigterm(tmp_path: Path) -> None:
    (tmp_path / "grow.spec").write_text(GROWING)
    proc = spawn(["table", "grow.spec", "grow.spec", "--quiet"], tmp_path, tmp_path / OUT)
    out, err, _ = interrupt(proc, signal.SIGTERM, delay=4.0, stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "interrupted: 0 of 2 specs checked" in err


def test_table_in_a_liveness_check(tmp_path: Path) -> None:
    (tmp_path / "live.spec").write_text(LIVE)
    (tmp_path / "small.spec").write_text("var b: bool = false;\naction flip { b := not b; }\n")
    proc = spawn(["table", "small.spec", "live.spec", "small.spec", "--quiet"], tmp_path,
                 tmp_path / OUT)
    out, err, _ = interrupt(proc, signal.SIGINT, delay=6.0, stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "interrupted: 1 of 3 specs checked" in err  # not the third spec after it


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_report_stops_its_workers(tmp_path: Path, signum: int) -> None:
    """The real report.toml with the paper and figures in a temporary folder: interrupted a few
    seconds in (the proofs and the designs run in worker processes then)."""
    config = (ROOT / "report.toml").read_text()
    config = config.replace('paper = "PAPER.md"', f'paper = "{tmp_path / "PAPER.md"}"')
    config = config.replace('figures = "figures"', f'figures = "{tmp_path / "figures"}"')
    (tmp_path / "report.toml").write_text(config)
    (tmp_path / "PAPER.md").write_text((ROOT / "PAPER.md").read_text())
    proc = spawn(["report", "--config", str(tmp_path / "report.toml")], ROOT, tmp_path / OUT)
    out, err, took = interrupt(proc, signum, after="checking", delay=2.0,
                               stdout=tmp_path / OUT)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "interrupted before the report was complete" in err
    assert (tmp_path / "PAPER.md").read_text() == (ROOT / "PAPER.md").read_text()
    assert took < 30  # the workers did not finish their jobs first
