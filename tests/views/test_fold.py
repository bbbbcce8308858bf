"""Output fitted to the terminal (`--width`, default 100): prose lines are wrapped between words
with the verdict of an explanation kept in one piece, state lines are folded after commas, and
`prove`'s list of symbolic constants has one condition per line."""

from __future__ import annotations

from pathlib import Path

from checker import cli
from checker.views.text import fold

import pytest

EXPLANATION = "  " + " and ".join(f"level_{i} <= limit_{i}" for i in range(8)) + "  is false"


def test_a_long_explanation_is_wrapped_and_keeps_its_verdict() -> None:
    lines = fold(EXPLANATION, 60).split("\n")
    assert len(lines) > 1 and all(len(line) <= 60 for line in lines)
    assert lines[-1].endswith("  is false") or lines[-1].strip() == "is false"
    assert all(line.startswith("      ") for line in lines[1:])  # four more than the line's own
    assert " ".join(line.strip() for line in lines).replace("  ", " ") == \
        EXPLANATION.strip().replace("  ", " ")


def test_short_lines_state_lines_and_no_width_are_kept() -> None:
    state = "/\\ q = <<" + ", ".join(str(i) for i in range(40)) + ">>"
    text = "\n".join(["Properties:", "  Safe  holds (exhaustive)", state, ""])
    assert fold(text, None) == text
    folded = fold(text, 50).split("\n")
    assert folded[:2] == ["Properties:", "  Safe  holds (exhaustive)"]
    assert folded[2].startswith("/\\ q = <<0, 1,") and len(folded) > 4  # folded after commas
    assert folded[-1] == ""


SYMBOLIC = """const FirstTimeoutOfTheWorker: 1..8 = 2;
const SecondTimeoutOfTheWorker: 1..8 = 3 where FirstTimeoutOfTheWorker < SecondTimeoutOfTheWorker;
const ThirdTimeoutOfTheWorker: 1..8 = 4 where SecondTimeoutOfTheWorker < ThirdTimeoutOfTheWorker;
var x: 0..8 = 0;
action a when x < FirstTimeoutOfTheWorker { x := x + 1; }
invariant Small: x <= FirstTimeoutOfTheWorker;
"""


@pytest.mark.parametrize("width", [60, 100])
def test_prove_fits_the_width(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    (tmp_path / "sym.spec").write_text(SYMBOLIC)
    monkeypatch.chdir(tmp_path)  # the header names the file as given: a short path
    code = cli.main(["prove", "sym.spec", "--width", str(width)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Small (invariant): PROVED" in out
    assert "  symbolic constants (one proof covers every value):\n    1 <= " in out
    too_wide = [line for line in out.splitlines() if len(line) > width]
    assert not too_wide, too_wide
