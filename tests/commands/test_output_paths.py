"""Output paths: checked before the search, written after it without losing the verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from checker.cli import main
from checker.commands.exits import ExitCode
from checker.commands.output import sibling_traces, trace_paths
from checker.trace.trace import Trace

# Two invariants, both violated: with --continue, two traces.
TWO = """var x: 0..3 = 0;
action Step { x := (x + 1) % 4; }
invariant Small: x < 2;
invariant Tiny: x < 1;
"""


@pytest.fixture
def two(spec_file: Callable[[str], str]) -> str:
    return spec_file(TWO)


def _trace(name: str) -> Trace:
    return Trace(spec="s.spec", vars=(), steps=(), property=name)


@pytest.mark.parametrize("base, expected", [
    ("t.itf.json", ["t.A.itf.json", "t.B.itf.json"]),
    ("./t.itf.json", ["./t.A.itf.json", "./t.B.itf.json"]),
    ("runs.v2/x", ["runs.v2/x.A", "runs.v2/x.B"]),
    ("runs.v2/t.json", ["runs.v2/t.A.json", "runs.v2/t.B.json"]),
    ("my runs/t.itf.json", ["my runs/t.A.itf.json", "my runs/t.B.itf.json"]),
])
def test_the_property_name_goes_before_the_extension_of_the_file_name(
        base: str, expected: list[str]) -> None:
    assert [p for p, _ in trace_paths(base, [_trace("A"), _trace("B")])] == expected
    assert [p for p, _ in trace_paths(base, [_trace("A")])] == [base]


@pytest.mark.parametrize("sub", ["./", "runs.v2/", "new dir/deeper/", "with space/"])
def test_several_traces_land_next_to_the_named_file(two: str, tmp_path: Path, sub: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    base = str(tmp_path / f"{sub}t.itf.json")
    code = main([two, "--continue", "--trace-out", base])
    out = capsys.readouterr().out
    assert code == ExitCode.INVARIANT
    written = sorted(str(p) for p in (tmp_path / sub).glob("*.itf.json"))
    assert written == sorted(sibling_traces(base)) and len(written) == 2
    for path in written:
        assert f"Trace written to {path}" in out
        assert json.loads(Path(path).read_text())["states"]


def test_show_of_the_named_file_lists_the_files_written(two: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    base = str(tmp_path / "t.itf.json")
    main([two, "--continue", "--trace-out", base])
    capsys.readouterr()
    assert main(["show", base]) == ExitCode.CONFIG_ERROR
    err = capsys.readouterr().err
    assert "error[E401]" in err and "t.Small.itf.json" in err and "t.Tiny.itf.json" in err


def test_one_trace_is_written_to_exactly_the_named_file(two: str, tmp_path: Path) -> None:
    base = tmp_path / "runs.v2" / "t.itf.json"
    assert main([two, "--trace-out", str(base)]) == ExitCode.INVARIANT
    assert [p.name for p in base.parent.iterdir()] == ["t.itf.json"]
    assert main(["show", str(base)]) == ExitCode.OK


def test_an_impossible_path_is_refused_before_the_search(two: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # the parent "directory" is the spec file itself
    for flag in ("--trace-out", "--dump-graph", "--dump-python"):
        code = main([two, flag, os.path.join(two, "t.itf.json")])
        captured = capsys.readouterr()
        assert code == ExitCode.CONFIG_ERROR
        assert "error[E403]" in captured.err and flag in captured.err
        assert "Traceback" not in captured.err
        assert "states generated" not in captured.out  # no search ran


def test_a_directory_is_refused_as_an_output_file(two: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main([two, "--trace-out", str(tmp_path)]) == ExitCode.CONFIG_ERROR
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("flag", ["--trace-out", "--dump-graph"])
def test_a_full_disk_after_the_search_keeps_the_verdict(two: str, flag: str) -> None:
    done = subprocess.run([sys.executable, "-m", "checker", two, flag, "/dev/full", "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == ExitCode.INVARIANT, done.stderr
    lines = [line for line in done.stderr.splitlines() if "/dev/full" in line]
    assert lines == [f"checkmodel: {flag} /dev/full: cannot write: No space left on device"]
    assert "Traceback" not in done.stderr and "VIOLATED" in done.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_show_into_a_full_disk_is_one_line(two: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    saved = str(tmp_path / "t.itf.json")
    main([two, "--trace-out", saved])
    capsys.readouterr()
    assert main(["show", saved, "--html", "/dev/full"]) == ExitCode.CONFIG_ERROR
    err = capsys.readouterr().err
    assert err == "checkmodel: --html /dev/full: cannot write: No space left on device\n"
