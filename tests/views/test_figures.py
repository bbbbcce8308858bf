"""The figures a reviewer reads: text stays text in SVG, verdicts carry symbols, the clock is
shown beside each step, and each swept bound has its own panel."""

from __future__ import annotations

import json
import re
from pathlib import Path

from matplotlib.figure import Figure

from checker.report import config as report_config
from checker.report import figures
from checker.trace import io as trace_io
from checker.trace import itf
from checker.views import chart_figure, chart_pages, msc, render

ROOT = Path(__file__).parents[2]
DATA = json.loads((ROOT / "figures" / "data" / "report.json").read_text())


def test_svg_text_is_text_not_outlines(tmp_path: Path) -> None:
    path = tmp_path / "m.svg"
    figures.verdict_matrix(DATA["designs"], str(path))
    svg = path.read_text()
    assert "<text" in svg and "Verdicts by design" in svg
    assert "✓" in svg and "✗" in svg  # the verdicts are symbols as well as colours
    assert not re.search(r"<path[^>]*id=\"DejaVuSans-", svg)  # no glyph outlines


def test_the_committed_figures_keep_their_text() -> None:
    for svg in (ROOT / "figures").glob("*.svg"):
        assert "<text" in svg.read_text(), f"{svg.name}: text drawn as outlines"


def test_state_counts_has_a_panel_per_bound(tmp_path: Path) -> None:
    path = tmp_path / "s.svg"
    figures.state_counts(DATA["sweeps"], str(path))
    svg = path.read_text()
    for sweep in DATA["sweeps"]:
        assert sweep["label"] in svg
    assert svg.count('id="axes_') == len(DATA["sweeps"])


def test_sequence_charts_show_the_clock(tmp_path: Path) -> None:
    cx = next(c for c in DATA["counterexamples"] if c["trace"] is not None)
    t = trace_io.from_itf_json(cx["trace"])
    clock = [str(s.values["now"]["#bigint"]) for s in t.steps]
    path = tmp_path / "c.svg"
    render.save(chart_figure.chart_figure(msc.build_chart(t), clock), str(path))
    svg = path.read_text()
    assert ">now<" in svg or "now</text>" in svg


# ---------------------------------------------------------------- sequence charts on pages


def _chart(name: str) -> tuple[msc.Chart, list[str]]:
    cx = next(c for c in DATA["counterexamples"] if c["name"] == name)
    t = trace_io.from_itf_json(cx["trace"])
    return msc.build_chart(t), [itf.format_itf(s.values["now"]) for s in t.steps]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_a_tall_chart_is_cut_into_parts_that_each_fit_a_page() -> None:
    chart, clock = _chart("incident")
    figs = chart_figure.chart_figures(chart, clock)
    assert len(figs) > 1
    for k, fig in enumerate(figs, 1):
        width, height = fig.get_size_inches()
        assert height * min(1.0, chart_pages.PAPER_WIDTH / width) <= chart_pages.PAGE_HEIGHT
        assert width <= chart_pages.PAPER_WIDTH * 1.1  # drawn at paper width: text at size
        texts = _texts(fig)
        assert f"(part {k} of {len(figs)})" in " ".join(texts)
        for lane in chart.lanes:  # every part repeats the lane headers
            assert "\n".join(chart_pages._head(lane.name)) in texts
        assert (f"… continued from part {k - 1} …" in texts) == (k > 1)
        assert (f"… continued in part {k + 1} …" in texts) == (k < len(figs))


def _numbers(figs: list[Figure]) -> list[int]:
    """The state numbers of the step rows, in order, a folded run `7-8` counting as both."""
    out = []
    for fig in figs:
        for text in _texts(fig):
            m = re.match(r"(\d+)(?:-(\d+))?\. ", text)
            if m:
                out += list(range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1))
    return out


def test_parts_number_the_steps_continuously_and_fold_runs_of_ticks() -> None:
    chart, clock = _chart("incident")
    figs = chart_figure.chart_figures(chart, clock)
    assert _numbers(figs) == list(range(2, len(chart.steps) + 1))  # state 1 has no row
    texts = [t for fig in figs for t in _texts(fig)]
    assert "20-21. tick ×2" in texts and "1-2" in texts  # the run, and the clock through it
    unfolded = chart_figure.chart_figures(chart, clock, fold=False)
    assert "20. tick" in [t for fig in unfolded for t in _texts(fig)]


def test_one_figure_when_asked_for_no_pages() -> None:
    chart, clock = _chart("incident")
    assert len(chart_figure.chart_figures(chart, clock, page_height=None)) == 1


def test_a_lasso_marks_its_loop() -> None:
    chart, clock = _chart("fixed_stranded")
    assert chart.loop is not None
    texts = [t for fig in chart_figure.chart_figures(chart, clock) for t in _texts(fig)]
    assert any(t.endswith("↺") and t.startswith(f"{chart.loop + 1}.") for t in texts)
    assert any(f"steps back to state {chart.loop + 1}" in t for t in texts)


def test_chart_parts_are_deterministic(tmp_path: Path) -> None:
    chart, clock = _chart("fixed_lost_started_success")
    for label in ("a", "b"):
        for k, fig in enumerate(chart_figure.chart_figures(chart, clock)):
            render.save(fig, str(tmp_path / f"{label}{k}.svg"))
    for a in tmp_path.glob("a*.svg"):
        assert a.read_bytes() == (tmp_path / ("b" + a.name[1:])).read_bytes()


def test_the_committed_figures_are_the_ones_the_report_names() -> None:
    """No orphan from an earlier layout: every SVG is one the report writes and the paper links."""
    config = report_config.load_config(str(ROOT / "report.toml"))
    named = {Path(p).name for p in figures.paths(DATA, config)}
    on_disk = {p.name for p in (ROOT / "figures").iterdir() if p.is_file()}
    assert on_disk == named
    paper = (ROOT / "PAPER.md").read_text()
    for name in named:
        if name.endswith(".svg"):
            assert f"figures/{name})" in paper
