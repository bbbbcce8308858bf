"""docs/api.md: the example a user copies runs and passes, and the API follows the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from checker import api
from checker.ir.kinds import Status

ROOT = Path(__file__).parents[2]


def test_the_documented_example_passes(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    blocks = re.findall(r"```python\n(# (test_\w+\.py)\n.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/api.md should hold one copyable test file"
    code, name = blocks[0]
    (tmp_path / name).write_text(code)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           name], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    tests = len(re.findall(r"^def test_", code, re.M))
    assert f"{tests} passed" in done.stdout


def test_check_honours_the_specs_continue_on() -> None:
    """specs/current.spec says `continue on;`: the API finds every violation, as the CLI does."""
    result = api.check(str(ROOT / "specs" / "current.spec"))
    assert result.verdict("NoDirectLostToSuccess").status == Status.VIOLATED
    assert len(result.traces) > 1
