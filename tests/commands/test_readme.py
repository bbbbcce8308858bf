"""The README's "Using it" block, run line by line in a temporary directory, as a new user would
(the shell expands `specs/*.spec`); each line's exit code is the one expected below.

The lines that take minutes (the whole table, BMC, the proofs, the report) are
marked slow: `pytest -m slow tests/commands/test_readme.py` runs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

# Every command of the block and its exit code (docs: README "Exit codes follow TLC").
EXPECTED = {
    "checkmodel specs/option1.spec": 13,
    "checkmodel specs/current.spec --property IncidentUnreachable --msc": 12,
    "checkmodel specs/current.spec --property NoDirectLostToSuccess --trace-out t.itf.json": 13,
    "checkmodel show t.itf.json --msc": 0,
    "checkmodel show t.itf.json --html t.html": 0,
    "checkmodel replay specs/current.spec t.itf.json": 0,
    "checkmodel table specs/*.spec": 0,
    "checkmodel bmc specs/current.spec --property LostIsFinal --depth 12": 12,
    "checkmodel prove specs/proofs/fixed_proof.spec": 12,
    "checkmodel report": 0,
    "checkmodel specs/examples/twophase.spec --const 'RM={r1,r2,r3,r4,r5,r6,r7}'": 0,
    "checkmodel specs/examples/twophase.spec --engine tuple": 0,
    "checkmodel specs/current.spec --property NoDirectLostToSuccess --fingerprints": 13,
    "checkmodel specs/fixed.spec --set event_bound=outlives_timeout": 13,
    "checkmodel --help": 0,
}
SLOW = ("checkmodel table", "checkmodel bmc", "checkmodel prove", "checkmodel report")


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Using it", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "README.md: no code block under 'Using it'"
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.group(1).splitlines()
            if line.strip()]


def test_every_readme_command_has_an_expected_exit_code() -> None:
    commands = readme_commands()
    assert commands == list(EXPECTED), "README's commands changed: update EXPECTED"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh directory that looks like a clone: the specs and model (read only, linked), and
    copies of what `checkmodel report` rewrites."""
    work = tmp_path_factory.mktemp("readme")
    for name in ("specs", "model"):
        (work / name).symlink_to(ROOT / name)
    for name in ("report.toml", "PAPER.md"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "figures", work / "figures")
    return work


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               NO_COLOR="1")
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=1800)


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=pytest.mark.slow) if c.startswith(SLOW) else c for c in EXPECTED])
def test_readme_command(command: str, workdir: Path) -> None:
    if command.startswith("checkmodel show") or command.startswith("checkmodel replay"):
        if not (workdir / "t.itf.json").exists():  # run alone: save the trace first
            _run("checkmodel specs/current.spec --property NoDirectLostToSuccess "
                 "--trace-out t.itf.json", workdir)
    done = _run(command, workdir)
    assert done.returncode == EXPECTED[command], done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    if "--trace-out t.itf.json" in command:
        assert (workdir / "t.itf.json").exists()
    if "--html t.html" in command:
        assert (workdir / "t.html").read_text().startswith("<!DOCTYPE html>")
