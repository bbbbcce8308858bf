"""Progress lines for every engine, and summaries that say what was done."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.cli import main
from checker.commands.exits import ExitCode

ROOT = Path(__file__).parents[2]


def example(name: str) -> str:
    return os.path.join(ROOT, "specs", "examples", name)


def test_bmc_prints_a_line_per_depth_with_what_is_open(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bmc", example("peterson.spec"), "--depth", "4"]) == ExitCode.OK
    err = capsys.readouterr().err.splitlines()
    depths = [line for line in err if line.startswith("BMC: depth")]
    assert [line.split()[2] for line in depths] == ["0", "1", "2", "3", "4"]
    # TypeOK, Inv and the deadlock check, none violated
    assert all(line.endswith("3 of 3 properties open") for line in depths)


def test_bmc_names_a_violated_property_once_on_the_depth_it_was_found(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["bmc", example("diehard.spec"), "--depth", "8", "--continue"])
    depths = [line for line in capsys.readouterr().err.splitlines() if line.startswith("BMC: ")]
    named = [line for line in depths if "NotSolved" in line]
    assert len(named) == 1 and named[0].startswith("BMC: depth 6 ")
    assert "violated at this depth: NotSolved" in named[0]
    assert depths[-1].startswith("BMC: depth 8 ") and "2 of 3 properties open" in depths[-1]


def test_bmc_without_continue_says_it_stopped_and_how_far_the_others_were_checked(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bmc", example("diehard.spec"), "--depth", "8", "--quiet"]) == ExitCode.INVARIANT
    captured = capsys.readouterr()
    out = captured.out
    assert captured.err == ""  # --quiet
    assert "BMC stopped at the first violation, after 6 steps" in out
    # depth 6 was not searched for TypeOK once NotSolved was found there
    assert "TypeOK     no violation within 5 steps" in out
    assert "EvaluationError" not in out


def test_bmc_with_continue_says_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bmc", example("diehard.spec"), "--depth", "8", "--continue", "--quiet",
                 "--width", "0"])
    out = capsys.readouterr().out
    assert code == ExitCode.INVARIANT
    assert "BMC looked for the shortest violation of every property: 1 violated, 2 without a " \
           "violation within 8 steps" in out
    assert "TypeOK     no violation within 8 steps" in out
    assert "stopped" not in out and "EvaluationError" not in out


def test_prove_prints_a_line_per_property(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prove", example("peterson.spec")]) == ExitCode.OK
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1].strip() for line in err] == ["TypeOK", "Inv"]
    assert all("PROVED" in line and "initiation proved" in line for line in err)


def test_liveness_prints_a_line_per_temporal_property(capsys: pytest.CaptureFixture[str]) -> None:
    main([example("liveness_weak.spec")])
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Liveness")]
    assert err and all(line.split()[2] in ("holds", "violated", "unknown") for line in err)


def test_table_prints_a_line_per_spec(capsys: pytest.CaptureFixture[str]) -> None:
    specs = [example("diehard.spec"), example("peterson.spec")]
    assert main(["table", *specs]) == ExitCode.OK
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Table: diehard: 1 of 3 properties violated") and "[1/2]" in err[0]
    assert err[1].startswith("Table: peterson: 0 of 3 properties violated") and "[2/2]" in err[1]
