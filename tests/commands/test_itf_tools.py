"""ITF in both directions: traces in the shape Apalache and Quint write them (written by hand from
the ITF spec, https://apalache-mc.org/docs/adr/015adr-trace.html) are shown with their labels
and replayed; the traces checkmodel writes are read back by an independent reader (itf-py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.commands.exits import ExitCode
from checker.trace import io as trace_io

DATA = Path(__file__).parents[1] / "data" / "itf"
SPEC = str(DATA / "counters.spec")


def test_an_apalache_trace_is_shown_with_step_labels_and_replayed(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "apalache.itf.json")
    assert main(["show", path]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "State 2: <step 1>" in out and "State 3: <step 2>" in out
    assert out.count("<Initial predicate>") == 1
    assert main(["replay", SPEC, path]) == ExitCode.OK
    out = capsys.readouterr().out  # the replay names the spec's action behind each step
    assert "State 2: <Incr(1)>" in out and "State 3: <Incr(2)>" in out


def test_a_quint_trace_is_shown_with_its_actions_and_replayed(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "quint.itf.json")
    assert main(["show", path]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "State 2: <Incr(i=2)>" in out and "State 3: <Incr(i=1)>" in out
    assert "mbt::" not in out  # Quint's bookkeeping is not shown as a variable
    assert main(["replay", SPEC, path]) == ExitCode.OK  # plain integers as map keys
    assert "State 2: <" not in capsys.readouterr().out  # its own labels were shown already
    assert trace_io.read_itf(path).vars == ("hits", "x")


def test_the_sequence_chart_of_a_quint_trace_names_its_actions(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(DATA / "quint.itf.json"), "--msc"]) == ExitCode.OK
    assert "[Incr(i=2)]" in capsys.readouterr().out


def test_an_empty_trace_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.itf.json"
    empty.write_text(json.dumps({"vars": ["x"], "states": []}))
    assert main(["show", str(empty)]) == ExitCode.CONFIG_ERROR
    assert "the trace has no states" in capsys.readouterr().err


def test_itf_py_reads_what_checkmodel_writes(tmp_path: Path) -> None:
    itf_py = pytest.importorskip("itf_py")
    path = tmp_path / "t.itf.json"
    assert main([str(Path(__file__).parents[2] / "specs" / "examples" / "diehard.spec"),
                 "--trace-out", str(path), "--quiet"]) == ExitCode.INVARIANT
    data = json.loads(path.read_text())
    trace = itf_py.trace_from_json(data)
    assert trace.vars == ["big", "small"] and len(trace.states) == 7
    assert trace.states[-1].values["big"] == 4  # #bigint read back as an integer
    assert itf_py.trace_to_json(trace)["states"][-1]["big"] == {"#bigint": "4"}
