"""Output that fits the terminal: the verdict table, sequence charts and state lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import api
from checker.cli import main
from checker.report.table import Row, format_text
from checker.trace.trace import fold_state_lines
from checker.views import explain, msc, msc_format

ROOT = Path(__file__).parents[2]
PROPERTIES = ["SucceededRunNeverEndsLost", "ReportedSuccessNeverEndsLost",
              "NoEventAcceptedAfterDeadline", "NoBlankStepComplete", "NoEventAppliedTwice",
              "LostNeverSuccess", "LostIsFinal", "JanitorNeverLosesCompleted",
              "WorkerSilentAfterDeadline", "RejectedPayloadNeverResent",
              "EveryClaimedRunFinishes", "WorkerEventuallyQuiet", "Deadlock"]


def rows() -> list[Row]:
    names = ["current", "pr4563", "option1", "worker_fixes_only", "seed_hypothesis"]
    return [Row(f"specs/{n}.spec", n, {p: "violated:33" if i % 3 else "holds"
                                       for i, p in enumerate(PROPERTIES)},
                1_234_567, 2_345_678, 40, 123.4, True) for n in names]


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("width", [100, 80, 60])
def test_a_wide_table_is_keyed_and_split_to_fit(width: int) -> None:
    text = format_text(rows(), width)
    assert widest(text) <= width
    for i, name in enumerate(PROPERTIES):
        assert f"P{i + 1} = {name}" in text  # the legend names every key
    assert "V33" in text and "ok" in text


def test_a_narrow_table_is_printed_in_full() -> None:
    text = format_text(rows()[:1], None)
    assert "VIOLATED/33" in text and "SucceededRunNeverEndsLost" in text


def test_table_command_fits_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    specs = [str(ROOT / "specs" / "examples" / s) for s in ("diehard.spec", "peterson.spec")]
    main(["table", *specs, "--width", "40", "--quiet"])
    assert widest(capsys.readouterr().out) <= 40


@pytest.mark.parametrize("width", [72, 60])  # the natural chart is 78 wide
def test_the_sequence_chart_fits_the_width(width: int) -> None:
    res = api.check(str(ROOT / "tests" / "data" / "viewing" / "handoff.spec"))
    chart = msc.build_chart(explain.annotate(res)[0])
    natural = msc_format.format_text(chart)
    text = msc_format.format_text(chart, width)
    body = text.splitlines()[1:]  # the title line is the chart's name
    assert max(len(line) for line in body) <= width
    # the same events, in the same order
    def actions(chart_text: str) -> list[str]:
        return [line.split("[", 1)[1].split("]")[0] for line in chart_text.splitlines()
                if line[:5].strip(" >").isdigit()]
    assert actions(text) == actions(natural) and len(actions(text)) == len(chart.steps)


def test_long_state_lines_fold_after_a_comma() -> None:
    line = "/\\ jobs = [" + ", ".join(f"j{i} |-> [status |-> queued, tries |-> 0]"
                                       for i in range(8)) + "]  (changed)"
    folded = fold_state_lines(f"State 1: <Initial predicate>\n{line}\n", 100).splitlines()
    assert all(len(x) <= 100 for x in folded) and len(folded) > 2
    assert folded[2].startswith(" " * len("/\\ jobs = ")) and folded[1].endswith(",")
    assert "".join(x.strip() for x in folded[1:]).replace(",", ", ") .count("j7") == 1
    assert fold_state_lines(line, None) == line


@pytest.mark.parametrize("width", [100, 72])
def test_the_header_of_a_check_fits_the_width_and_names_every_constant(width: int) -> None:
    from checker.views.text import header
    spec = api.load_spec(str(ROOT / "specs" / "current.spec"))
    text = header(spec, width)
    assert widest(text) <= width
    assert widest(header(spec, None)) > width  # unfolded, the constants line is wider
    flat = " ".join(line.strip() for line in text.splitlines())
    for c in spec.constants:
        assert f"{c.name}=" in flat
