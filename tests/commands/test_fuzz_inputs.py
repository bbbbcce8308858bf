"""A fuzzer over whole inputs: valid specs and ITF traces mutated by byte flips, truncation,
inserted bytes and deep nesting, run through the command line. Whatever the input, checkmodel
answers with a located error or a result, never a traceback (exit 255); and an input the front
end (or the trace reader) rejects never exits 0."""

from __future__ import annotations

import io
import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import api, cli, errors
from checker.commands.exits import ExitCode
from checker.trace import io as trace_io

ROOT = Path(__file__).parents[2]
SPECS = ["specs/examples/hourclock.spec", "specs/examples/counters.spec",
         "specs/examples/diehard.spec", "specs/examples/liveness_weak.spec"]
TRACE = json.dumps({"vars": ["hr"], "states": [
    {"#meta": {"index": 0}, "hr": {"#bigint": "1"}},
    {"#meta": {"index": 1, "action": "Tick"}, "hr": {"#bigint": "2"}}]}).encode()

_NESTING = [b"(" * 300, b"not " * 300, b"-" * 300, b"if true then " * 100, b"{" * 300,
            b"[" * 300, b"<<" * 200, b"/*", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\xe9"]


@st.composite
def _mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "nest", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "nest":
            data[at:at] = draw(st.sampled_from(_NESTING))
        else:
            size = draw(st.integers(1, 40))
            data[at:at] = bytes(data[at:at + size]) * draw(st.integers(2, 50))
    return bytes(data)


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, err.getvalue()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(SPECS))
def test_mutated_specs(tmp_path: Path, data: st.DataObject, which: str) -> None:
    text = data.draw(_mutated((ROOT / which).read_bytes()))
    path = tmp_path / "fuzz.spec"
    path.write_bytes(text)
    code, err = _run([str(path), "--quiet", "--max-states", "2000", "--timeout", "5"])
    assert code != ExitCode.INTERNAL and "Traceback" not in err, err
    try:
        api.load_spec(str(path))
    except (errors.SpecError, errors.SpecErrors, RecursionError):
        assert code != ExitCode.OK, err


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), command=st.sampled_from(["show", "replay"]))
def test_mutated_traces(tmp_path: Path, data: st.DataObject, command: str) -> None:
    path = tmp_path / "t.itf.json"
    path.write_bytes(data.draw(_mutated(TRACE)))
    args = [command, str(path)] if command == "show" else \
        [command, str(ROOT / "specs/examples/hourclock.spec"), str(path)]
    code, err = _run(args)
    assert code != ExitCode.INTERNAL and "Traceback" not in err, err
    try:
        trace_io.read_itf(str(path))
    except errors.SpecError:
        assert code != ExitCode.OK, err


@pytest.mark.parametrize("which", SPECS)
def test_the_originals_are_valid(which: str) -> None:
    """The fuzzer starts from specs that check (so a mutation is what makes an input bad)."""
    code, err = _run([str(ROOT / which), "--quiet", "--max-states", "2000"])
    assert code not in (ExitCode.INTERNAL, ExitCode.SPEC_ERROR, ExitCode.CONFIG_ERROR), err
