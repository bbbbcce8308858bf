"""The figures a reviewer reads: text stays text in SVG, verdicts carry symbols, the clock is
shown beside each step, and each swept bound has its own panel."""

from __future__ import annotations

import json
import re
from pathlib import Path

from checker.report import figures
from checker.trace import io as trace_io
from checker.views import msc, render

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
    render.save(render.chart_figure(msc.build_chart(t), clock), str(path))
    svg = path.read_text()
    assert ">now<" in svg or "now</text>" in svg
