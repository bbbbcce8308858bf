"""Golden tests for user-facing text: each tests/golden/**/*.spec names its command in its first
line (`// checkmodel ARGS`, with {file} and {dir} placeholders); the expected exit code, stdout
and stderr are in the `.expect` file beside it.

Regenerate after an intended change of wording: CHECKMODEL_REGEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import engine_params

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parents[1] / "golden"
CASES = sorted(GOLDEN.rglob("*.spec"))


def _command(spec: Path, engine: str = "auto") -> list[str]:
    """The golden case's command; a `check` runs on `engine`."""
    first = spec.read_text().splitlines()[0]
    match = re.match(r"\s*//\s*checkmodel\s+(.*)", first)
    assert match, f"{spec}: first line must be `// checkmodel ARGS`"
    rel_file = os.path.relpath(spec, ROOT)
    rel_dir = os.path.relpath(spec.parent, ROOT)
    args = [a.replace("{file}", rel_file).replace("{dir}", rel_dir)
            for a in shlex.split(match.group(1))]
    return args + ["--engine", engine] if args[0] == "check" else args


def _normalise(text: str) -> str:
    # the engine that ran is pinned by tests/explicit/test_array_engine.py, not by golden files
    text = re.sub(r"Finished in [0-9.]+s \([0-9,]+ distinct states/s\)[^\n]*",
                  "Finished in <time>.", text)
    # progress lines on stderr: their timing differs from run to run
    return re.sub(r"(?m)^(Progress|Liveness|BMC|Prove|Table): .*\n", "", text)


def _run(spec: Path, engine: str = "auto") -> str:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(_command(spec, engine))
    finally:
        os.chdir(cwd)
    return _normalise(f"exit: {code}\n--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}")


def test_every_golden_directory_has_cases() -> None:
    """An empty or missing golden directory must fail, not pass with nothing checked."""
    dirs = [d for d in GOLDEN.iterdir() if d.is_dir()] if GOLDEN.is_dir() else []
    assert dirs, f"no golden directories under {GOLDEN}"
    empty = [d.name for d in dirs if not any(d.glob("*.spec"))]
    assert not empty, f"golden directories without cases: {empty}"
    assert len(CASES) >= 10, f"only {len(CASES)} golden cases found under {GOLDEN}"


@pytest.mark.parametrize("spec,engine", engine_params(
    CASES, name=lambda c: str(c.relative_to(GOLDEN))))
def test_golden(spec: Path, engine: str) -> None:
    """Each case on each engine: the same text (the engine is named only on the Finished line,
    which is normalised away), so the array engine prints the tuple engine's traces."""
    got = _run(spec, engine)
    expect = spec.with_suffix(".expect")
    if os.environ.get("CHECKMODEL_REGEN") and engine == "tuple":
        expect.write_text(got)
    assert expect.exists(), f"missing {expect}; run with CHECKMODEL_REGEN=1"
    assert got == expect.read_text()


@pytest.mark.parametrize("spec", [c for c in CASES if "errors" in c.parts],
                         ids=lambda c: c.name)
def test_user_errors_are_located_and_never_tracebacks(spec: Path) -> None:
    got = _run(spec)
    assert "Traceback" not in got
    code = int(got.split("\n", 1)[0].split()[1])
    assert code in (75, 150, 151), got
    assert re.search(r"error\[E\d{3}\]", got), got
