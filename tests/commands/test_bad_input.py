"""The bad-input corpus: one case per class of bad input (issue 15), each with the exit code and
the first line of the message it must give. No case may end in a traceback (255) or in exit 0
where an error or a limit was met."""

from __future__ import annotations

import json
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checker import cli
from checker.commands.exits import ExitCode

from processes import GROWING, interrupt, spawn

COUNTER = "var x: 0..3 = 0;\naction a when x < 3 { x := x + 1; }\n"
TRACE = {"vars": ["x"], "states": [{"#meta": {"index": 0}, "x": {"#bigint": "0"}},
                                   {"#meta": {"index": 1, "action": "a"}, "x": {"#bigint": "1"}}]}


def _trace(**change: object) -> bytes:
    data = json.loads(json.dumps(TRACE))
    for key, value in change.items():
        if key == "x1":
            data["states"][1]["x"] = value
        elif key == "label":
            data["states"][1]["#meta"]["action"] = value
        else:
            data[key] = value
    return json.dumps(data).encode()


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, bytes]  # written into a fresh directory, the current one
    args: list[str]
    code: ExitCode
    first_line: str  # the first line of stderr (or of stdout with `stream="out"`) starts so
    stream: str = "err"
    extra: dict[str, str] = field(default_factory=dict)


def _spec(text: str) -> dict[str, bytes]:
    return {"bad.spec": text.encode()}


CASES = [
    # ---------------------------------------------------------------- decoding (E102, E401)
    Case("latin-1 comment", {"bad.spec": b"var x: 0..3 = 0;\n// caf\xe9\n"}, ["bad.spec"],
         ExitCode.SPEC_ERROR, "bad.spec:2:7: error[E102]: the file is not UTF-8 text: byte 0xe9 "
         "at offset 23 cannot be decoded"),
    Case("UTF-16", {"bad.spec": COUNTER.encode("utf-16")}, ["bad.spec"], ExitCode.SPEC_ERROR,
         "bad.spec:1:1: error[E102]: the file is UTF-16 text; checkmodel reads UTF-8"),
    Case("binary garbage", {"bad.spec": bytes(range(256)) * 4}, ["bad.spec"],
         ExitCode.SPEC_ERROR, "bad.spec:2:118: error[E102]: the file is not UTF-8 text: byte 0x80 at offset 128"),
    Case("import of a latin-1 file", {"bad.spec": b'import "lib.spec";\n' + COUNTER.encode(),
                                      "lib.spec": b"// \xff\n"}, ["bad.spec"],
         ExitCode.SPEC_ERROR, "lib.spec:1:4: error[E102]: the file is not UTF-8 text"),
    Case("BOM is accepted", {"bad.spec": b"\xef\xbb\xbf" + COUNTER.encode()},
         ["bad.spec", "--no-deadlock"], ExitCode.OK, "checkmodel: bad.spec", "out"),
    Case("ITF not UTF-8", {"t.itf.json": b'{"states": [], "x": "\xff"}'}, ["show", "t.itf.json"],
         ExitCode.CONFIG_ERROR, "error[E401]: t.itf.json:1:22: the file is not UTF-8 text"),
    # ---------------------------------------------------------------- syntax
    Case("empty file", _spec(""), ["bad.spec"], ExitCode.SPEC_ERROR,
         "bad.spec:1:1: error[E210]: the spec declares no variables and no actions"),
    Case("comment only", _spec("// nothing\n"), ["bad.spec"], ExitCode.SPEC_ERROR,
         "bad.spec:1:1: error[E210]: the spec declares no variables and no actions"),
    Case("unterminated comment", _spec(COUNTER + "/* no end"), ["bad.spec"],
         ExitCode.SPEC_ERROR, "bad.spec:3:1: error[E100]: unterminated comment"),
    # ---------------------------------------------------------------- nesting (E103)
    Case("not 10,000 deep", _spec(COUNTER + "invariant I: " + "not " * 10_000 + "true;"),
         ["bad.spec"], ExitCode.SPEC_ERROR,
         "bad.spec:3:270: error[E103]: expression nested more than 64 levels deep"),
    Case("if 2,000 deep", _spec(COUNTER + "invariant I: " + "if true then " * 2000 + "true"
                                + " else false" * 2000 + ";"), ["bad.spec"],
         ExitCode.SPEC_ERROR, "bad.spec:3:836: error[E103]: expression nested more than 64"),
    Case("statements 2,000 deep", _spec("var x: 0..3 = 0;\naction a { " + "if x < 3 { " * 2000
                                        + "x := 1;" + " }" * 2000 + " }\n"), ["bad.spec"],
         ExitCode.SPEC_ERROR, "bad.spec:2:276: error[E103]: statement blocks nested more than 24"),
    Case("a sum of 100,000 terms", _spec(COUNTER + "invariant I: " + " + ".join(["x"] * 100_000)
                                         + " >= 0;"), ["bad.spec", "--no-deadlock"],
         ExitCode.OK, "checkmodel: bad.spec", "out"),
    Case("200 conjuncts", _spec(COUNTER + "invariant I: " + " and ".join(["x <= 3"] * 200) + ";"),
         ["bad.spec", "--no-deadlock"], ExitCode.OK, "checkmodel: bad.spec", "out"),
    # ---------------------------------------------------------------- no silent pass
    Case("initial value outside its domain", _spec("var x: 0..3 in {5};\n" + COUNTER[17:]),
         ["bad.spec"], ExitCode.EVALUATION,
         "bad.spec:1:1: error[E300]: the initial value 5 of 'x' is outside its domain 0..3"),
    Case("initial value outside its domain, bmc", _spec("var x: 0..3 = 7;\n" + COUNTER[17:]),
         ["bmc", "bad.spec"], ExitCode.EVALUATION,
         "bad.spec:1:1: error[E300]: the initial value 7 of 'x' is outside its domain 0..3"),
    Case("map write outside the keys", _spec(
        "var m: map[0..3, bool] = [k in 0..3 |-> false];\nvar i: 0..9 = 0;\n"
        "action a when i < 9 { i := i + 1; m[i] := true; }\n"), ["bad.spec"],
        ExitCode.EVALUATION, "bad.spec:3:37: error[E300]: value 4 is outside the domain 0..3"),
    Case("map write with a negative key", _spec(
        "var m: map[0..3, bool] = [k in 0..3 |-> false];\nvar i: -3..3 = 0;\n"
        "action a when i > -3 { i := i - 1; m[i] := true; }\n"), ["bad.spec", "--engine", "tuple"],
        ExitCode.EVALUATION, "bad.spec:3:38: error[E300]: value -1 is outside the domain 0..3"),
    Case("no initial state", _spec("var x: 0..3 in {v for v in 0..3 if v > 5};\n" + COUNTER[17:]),
         ["bad.spec"], ExitCode.SPEC_ERROR, "bad.spec:1:1: error[E302]: the spec has no initial "
         "state: 'x' has no initial value"),
    Case("no initial state within the constraints", _spec(COUNTER + "constraint C: x > 0;\n"),
         ["bad.spec"], ExitCode.SPEC_ERROR,
         "bad.spec:3:1: error[E302]: the spec has no initial state within its constraints"),
    Case("initial states beyond --max-states", _spec("var x: 0..20 in 0..20;\n" + COUNTER[17:]),
         ["bad.spec", "--max-states", "5"], ExitCode.INCOMPLETE,
         "Model checking INCOMPLETE: the --max-states limit was reached", "out",
         {"grep": "INCOMPLETE"}),
    Case("division by zero in an initial value", _spec("var x: 0..3 = 1 / 0;\n" + COUNTER[17:]),
         ["bad.spec"], ExitCode.EVALUATION, "bad.spec:1:15: error[E301]: division by zero"),
    Case("division by zero in a constant", _spec("const N: 0..3 = 1 / 0;\n" + COUNTER),
         ["bad.spec"], ExitCode.SPEC_ERROR, "bad.spec:1:17: error[E301]: division by zero"),
    Case("division by zero in a guard, bmc", _spec(
        "var x: 0..3 = 0;\naction a when x < 1 / 0 { x := x + 1; }\n"), ["bmc", "bad.spec"],
        ExitCode.EVALUATION, "Error: Evaluation error.", "out", {"grep": "Error:"}),
    Case("replay: an edited action label", {"bad.spec": COUNTER.encode(),
                                            "t.itf.json": _trace(label="b")},
         ["replay", "bad.spec", "t.itf.json"], ExitCode.CONFIG_ERROR,
         "error[E400]: t.itf.json: state 2: the trace says it is reached by b, but from state 1 only a lead"),
    Case("replay: an empty trace", {"bad.spec": COUNTER.encode(),
                                    "t.itf.json": json.dumps({"vars": ["x"], "states": []}).encode()},
         ["replay", "bad.spec", "t.itf.json"], ExitCode.CONFIG_ERROR,
         "error[E400]: t.itf.json: the trace has no states"),
    # ---------------------------------------------------------------- malformed ITF (E401)
    Case("#map entry not a pair", {"t.itf.json": _trace(x1={"#map": [[1]]})}, ["show", "t.itf.json"],
         ExitCode.CONFIG_ERROR, 'error[E401]: t.itf.json: state 1: {"#map": [[1]]}: #map takes'),
    Case("#set not an array", {"t.itf.json": _trace(x1={"#set": 5})}, ["show", "t.itf.json"],
         ExitCode.CONFIG_ERROR, 'error[E401]: t.itf.json: state 1: {"#set": 5}: #set takes an'),
    Case("#bigint of 5,000 digits", {"t.itf.json": _trace(x1={"#bigint": "9" * 5000})},
         ["show", "t.itf.json"], ExitCode.CONFIG_ERROR, "error[E401]: t.itf.json: state 1: "),
    Case("#bigint not a number", {"t.itf.json": _trace(x1={"#bigint": "abc"})},
         ["show", "t.itf.json"], ExitCode.CONFIG_ERROR,
         'error[E401]: t.itf.json: state 1: {"#bigint": "abc"}: #bigint takes'),
    Case("#meta.processes not a list", {"t.itf.json": _trace(**{"#meta": {"processes": 5}})},
         ["show", "t.itf.json"], ExitCode.CONFIG_ERROR,
         "error[E401]: t.itf.json: #meta.processes is not a list of strings"),
    Case("JSON nested 100,000 deep", {"t.itf.json": b"[" * 100_000 + b"]" * 100_000},
         ["show", "t.itf.json"], ExitCode.CONFIG_ERROR, "error[E401]: t.itf.json: "),
    # ---------------------------------------------------------------- CLI values (E402)
    Case("--max-states inf", _spec(COUNTER), ["bad.spec", "--max-states", "inf"],
         ExitCode.CONFIG_ERROR, "checkmodel: error[E402]: expected a finite number, got inf"),
    Case("--timeout -1", _spec(COUNTER), ["bad.spec", "--timeout", "-1"], ExitCode.CONFIG_ERROR,
         "checkmodel: error[E402]: expected a number of seconds >= 0, got -1"),
    Case("--timeout nan", _spec(COUNTER), ["bad.spec", "--timeout", "nan"], ExitCode.CONFIG_ERROR,
         "checkmodel: error[E402]: expected a finite number, got nan"),
    Case("--depth abc", _spec(COUNTER), ["bmc", "bad.spec", "--depth", "abc"],
         ExitCode.CONFIG_ERROR, "checkmodel: error[E402]: not a number: 'abc'"),
    Case("--memory-limit 0", _spec(COUNTER), ["bad.spec", "--memory-limit", "0"],
         ExitCode.CONFIG_ERROR, "checkmodel: error[E402]: expected a memory size of at least 1M"),
    Case("--const of the wrong type", _spec("const N: 1..5 = 2;\n" + COUNTER),
         ["bad.spec", "--const", "N={1,2}"], ExitCode.CONFIG_ERROR,
         "error[E207]: 'N' takes a value of type 1..5, not one of type set[1..2]"),
    Case("--const with a symbolic value twice", _spec("const Runs = {r1, r2};\n" + COUNTER),
         ["bad.spec", "--const", "Runs={r1,r1}"], ExitCode.CONFIG_ERROR,
         "error[E207]: 'r1' is given twice in the value of 'Runs'"),
    Case("options before the spec", _spec(COUNTER), ["--max-states", "2", "bad.spec"],
         ExitCode.INCOMPLETE, "Model checking INCOMPLETE", "out", {"grep": "INCOMPLETE"}),
    # ---------------------------------------------------------------- table
    Case("table: an evaluation error", _spec("var x: 0..3 = 0;\naction a { x := x + 1; }\n"),
         ["table", "bad.spec", "--quiet"], ExitCode.EVALUATION,
         "error: bad: bad.spec:2:12: error[E300]: value 4 is outside the domain 0..3"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    for name, data in case.files.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code = cli.main(case.args)
    out, err = capsys.readouterr()
    text = out if case.stream == "out" else err
    lines = text.splitlines()
    if "grep" in case.extra:
        lines = [line for line in lines if case.extra["grep"] in line]
    assert "Traceback" not in err and code != ExitCode.INTERNAL, err
    assert code == case.code, (out, err)
    assert lines and lines[0].startswith(case.first_line), (out, err)


# ---------------------------------------------------------------- processes: time, memory, signals

def test_timeout_while_computing_initial_states(tmp_path: Path) -> None:
    (tmp_path / "big.spec").write_text("var x: 0..3000000 in 0..3000000;\nvar y: 0..9 in 0..9;\n"
                                       "action a when x < 3 { x := x + 1; }\n")
    started = time.monotonic()
    proc = spawn(["big.spec", "--timeout", "1", "--quiet"], tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == ExitCode.INCOMPLETE, err
    assert "the --timeout was reached" in out + err
    assert time.monotonic() - started < 30  # without the timer: the product of 30M states


def test_memory_limit_reports_how_far_the_search_got(tmp_path: Path) -> None:
    (tmp_path / "grow.spec").write_text(GROWING)
    proc = spawn(["grow.spec", "--memory-limit", "300M", "--quiet", "--engine", "tuple"],
                       tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == ExitCode.INCOMPLETE, err
    assert "Model checking INCOMPLETE: memory ran out" in out
    assert "distinct states found" in out


HARD = GROWING + "invariant I: x * y != 99999 * 99997;\n"


@pytest.mark.parametrize("args, signum, delay", [
    (["check", "grow.spec"], signal.SIGTERM, 0.0), (["check", "grow.spec"], signal.SIGTERM, 6.0),
    (["check", "grow.spec"], signal.SIGINT, 6.0), (["check", "grow.spec"], signal.SIGINT, 0.0),
    (["table", "grow.spec", "grow.spec"], signal.SIGINT, 6.0),
    (["bmc", "hard.spec", "--depth", "100000"], signal.SIGINT, 6.0),
    (["bmc", "hard.spec", "--depth", "100000"], signal.SIGTERM, 6.0)])
def test_signals_exit_130(tmp_path: Path, args: list[str], signum: int, delay: float) -> None:
    """Early (while loading) or late (in the search or a Z3 query): 130 every time, with what
    was finished."""
    (tmp_path / "grow.spec").write_text(GROWING)
    (tmp_path / "hard.spec").write_text(HARD)
    proc = spawn([*args, "--quiet"], tmp_path)
    out, err, _ = interrupt(proc, signum, delay=delay)
    assert proc.returncode == ExitCode.INTERRUPTED, (out, err)
    assert "Traceback" not in err
    assert "interrupted" in (out + err).lower()
