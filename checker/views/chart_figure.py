"""Sequence-chart figures with matplotlib, one `Figure` per part (`checker.views.chart_pages`
lays them out): lanes left to right, time downwards, the clock beside each step, the violating
step in red. Every part repeats the lane headers and says where it continues.

Uses `matplotlib.figure.Figure` directly (no pyplot state); `render.save` writes the files.
"""

from __future__ import annotations

from typing import Optional, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from checker.views import chart_pages as pages
from checker.views.chart_pages import Geometry, Part, Row, RowKind
from checker.views.msc import Chart
from checker.views.msc_fold import Span, spans

_PROCESS = "#dbe8f7"
_CHANNEL = "#e4efe4"
_GLOBAL = "#eeeeee"
_VIOLATION = "#fbd5d5"
_NOTE = "#fff6c8"
_INK, _GREY, _RED, _BLUE = "#222222", "#555555", "#8b0000", "#0b4f8a"


def chart_figures(chart: Chart, clock: Sequence[str] = (), fold: bool = True,
                  page_height: Optional[float] = pages.PAGE_HEIGHT) -> list[Figure]:
    """The chart's parts (one when it fits a page, or when `page_height` is None).

    `clock` is the value of a clock variable in each state (`now` in the lifecycle model); runs
    of quiet repeats (clock ticks) are drawn as one row when `fold`."""
    geo, parts = layout(chart, clock, fold, page_height)
    return [_draw(chart, geo, part, clock) for part in parts]


def layout(chart: Chart, clock: Sequence[str] = (), fold: bool = True,
           page_height: Optional[float] = pages.PAGE_HEIGHT) -> tuple[Geometry, list[Part]]:
    """Where everything goes, and the parts (`len` of them is the number of figures)."""
    geo = pages.geometry(chart, spans(chart, fold), clock)
    return geo, pages.paginate(pages.rows(chart, geo, fold), page_height)


def chart_figure(chart: Chart, clock: Sequence[str] = ()) -> Figure:
    """The whole chart as one figure (for the screen: `show --svg`)."""
    return chart_figures(chart, clock, page_height=None)[0]


def _draw(chart: Chart, geo: Geometry, part: Part, clock: Sequence[str]) -> Figure:
    height = part.height
    fig = Figure(figsize=(geo.width, height))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0.0, geo.width)
    ax.set_ylim(height, 0.0)
    ax.axis("off")
    title = chart.title if part.of == 1 else f"{chart.title} (part {part.number} of {part.of})"
    ax.text(pages.MARGIN, 0.14, title, fontsize=8.5, fontweight="bold", va="center")
    bottom = height - pages.BOTTOM + 0.04
    _lane_heads(ax, chart, geo, bottom)
    if geo.clock_x is not None:
        ax.text(geo.clock_x, 0.46, "now", fontsize=pages.STEP_TEXT, fontweight="bold",
                va="center", color=_GREY)
    if part.number > 1:
        _mark(ax, geo, pages.TOP - 0.1, f"continued from part {part.number - 1}")
    red = [(y0, row) for y0, row in _tops(part) if row.span.step.violating]
    if red:
        ax.axhspan(red[0][0], red[-1][0] + red[-1][1].height, color=_VIOLATION, zorder=0,
                   linewidth=0)
    for y, row in _tops(part):
        _draw_row(ax, chart, geo, row, y, clock)
    if part.number < part.of:
        _mark(ax, geo, height - pages.BOTTOM + 0.16, f"continued in part {part.number + 1}")
    return fig


def _tops(part: Part) -> list[tuple[float, Row]]:
    """Each row with the y of its top edge."""
    out, y = [], pages.TOP
    for row in part.rows:
        out.append((y, row))
        y += row.height
    return out


def _mark(ax: Axes, geo: Geometry, y: float, text: str) -> None:
    ax.text(geo.label_x, y, f"… {text} …", fontsize=pages.TEXT, style="italic",
            va="center", color=_GREY)


def _lane_heads(ax: Axes, chart: Chart, geo: Geometry, bottom: float) -> None:
    colours = {"process": _PROCESS, "channel": _CHANNEL, "global": _GLOBAL}
    for lane in chart.lanes:
        x = geo.lane_x[lane.name]
        ax.plot([x, x], [0.62, bottom], color="#9a9a9a", linewidth=0.7,
                linestyle=(0, (4, 3)), zorder=1)
        ax.text(x, 0.44, "\n".join(geo.heads[lane.name]), ha="center", va="center",
                fontsize=pages.HEAD_TEXT, fontweight="bold", zorder=4, linespacing=1.0,
                bbox={"boxstyle": "round,pad=0.25", "fc": colours.get(lane.kind, _GLOBAL),
                      "ec": "#5b6b7b", "lw": 0.7})


def _draw_row(ax: Axes, chart: Chart, geo: Geometry, row: Row, top: float,
              clock: Sequence[str]) -> None:
    span = row.span
    y = top + row.height / 2
    if row.kind is RowKind.STEP:
        _step(ax, chart, geo, span, y, clock)
    elif row.kind is RowKind.ARROW and row.arrow is not None and row.text is not None:
        a, b = geo.lane_x[row.arrow.source], geo.lane_x[row.arrow.target]
        line = top + row.height * 0.72
        ax.annotate("", xy=(b, line), xytext=(a, line), zorder=3,
                    arrowprops={"arrowstyle": "-|>", "color": "#1f3b57", "lw": 0.9,
                                "linestyle": "--" if row.arrow.reply else "-",
                                "shrinkA": 1, "shrinkB": 1, "mutation_scale": 7})
        ax.text(row.text.x, top + row.height * 0.34, row.text.text, ha="center",
                va="center", fontsize=pages.TEXT, zorder=4,
                bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none",
                      "alpha": 0.85})
    elif row.text is not None:
        violation = row.kind is RowKind.VIOLATION
        ax.text(row.text.x, y, row.text.text, fontsize=pages.STEP_TEXT, va="center", zorder=4,
                color=_RED if violation else _BLUE, fontweight="bold" if violation else "normal",
                bbox=None if violation else {"boxstyle": "square,pad=0.1", "fc": "white",
                                             "ec": "none"})
    for note in row.notes:
        ax.text(note.x, y, note.text, ha=note.align, va="center", fontsize=pages.TEXT,
                zorder=4, bbox={"boxstyle": "round,pad=0.18", "fc": _NOTE, "ec": "#c9b458",
                                "lw": 0.5})


def _step(ax: Axes, chart: Chart, geo: Geometry, span: Span, y: float,
          clock: Sequence[str]) -> None:
    step = span.step
    if geo.clock_x is not None and span.last < len(clock):
        first, last = clock[step.index], clock[span.last]
        ax.text(geo.clock_x, y, first if first == last else f"{first}-{last}",
                fontsize=pages.STEP_TEXT, va="center", color=_GREY, family="monospace")
    ax.text(geo.label_x, y, pages.step_text(span, chart.loop), fontsize=pages.STEP_TEXT,
            va="center", color=_RED if step.violating else _INK,
            fontweight="bold" if step.violating else "normal")
    if step.actor in geo.lane_x:
        ax.plot([geo.lane_x[step.actor or ""]], [y], marker="s", markersize=4.5,
                color=_RED if step.violating else "#3b5b7b", zorder=3)
