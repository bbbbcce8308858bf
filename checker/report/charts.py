"""The report's sequence charts: one figure per counterexample, cut into parts that each fit a
page (`incident-1.svg`, `incident-2.svg`, ...) when it is taller than one; the paper links every
part. Both the figures (`checker.report.figures`) and the paper's text (`checker.report.tables`)
take the file names from here, so they always agree.
"""

from __future__ import annotations

import os
from typing import Any

from checker.trace import io as trace_io
from checker.trace import itf
from checker.views import chart_figure, msc, msc_format, render

CLOCK = "now"  # the lifecycle model's clock (model/time.spec), shown beside each step


def _chart(cx: dict[str, Any]) -> tuple[msc.Chart, list[str]]:
    t = trace_io.from_itf_json(cx["trace"])
    clock = [itf.format_itf(step.values[CLOCK]) for step in t.steps] if CLOCK in t.vars else []
    return msc.build_chart(t), clock


def figure_names(cx: dict[str, Any]) -> list[str]:
    """The SVG files of a counterexample's chart (none when it has no trace)."""
    if cx["trace"] is None:
        return []
    chart, clock = _chart(cx)
    _, parts = chart_figure.layout(chart, clock)
    if len(parts) == 1:
        return [f"{cx['name']}.svg"]
    return [f"{cx['name']}-{k}.svg" for k in range(1, len(parts) + 1)]


def draw(cx: dict[str, Any], directory: str) -> None:
    """The chart's SVG parts and its Mermaid source (one file: Mermaid has no page)."""
    chart, clock = _chart(cx)
    for name, fig in zip(figure_names(cx), chart_figure.chart_figures(chart, clock)):
        render.save(fig, os.path.join(directory, name))
    with open(os.path.join(directory, f"{cx['name']}.mmd"), "w", encoding="utf-8") as f:
        f.write(msc_format.format_mermaid(chart))
