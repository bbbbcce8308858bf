"""Figures with matplotlib: a sequence chart (SVG, PNG, PDF) and a small state graph.

Uses `matplotlib.figure.Figure` directly (no pyplot state), and fixed SVG ids and no date, so
the same chart gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Sequence

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from checker.views.msc import Chart, ChartStep

_PROCESS = "#dbe8f7"
_CHANNEL = "#e4efe4"
_GLOBAL = "#eeeeee"
_VIOLATION = "#fbd5d5"
_NOTE = "#fff6c8"
_PATH = "#c62828"
ROW_HEIGHT = 0.24  # inches per row of a sequence chart (7.5 pt text)


class RowKind(Enum):
    """A row of a drawn chart: an action, one of its messages, or one of its notes."""

    STEP = auto()
    ARROW = auto()
    NOTE = auto()


@dataclass(frozen=True)
class _Row:
    kind: RowKind
    step: ChartStep
    item: int = 0  # index of the arrow or note within the step


def _rows(chart: Chart) -> list[_Row]:
    rows = []
    for step in chart.steps:
        if step.action is None and not step.notes:
            continue
        rows.append(_Row(RowKind.STEP, step))
        rows += [_Row(RowKind.ARROW, step, i) for i in range(len(step.arrows))]
        rows += [_Row(RowKind.NOTE, step, i) for i in range(len(step.notes))]
    return rows


def chart_figure(chart: Chart, clock: Sequence[str] = ()) -> Figure:
    """The sequence chart: lanes left to right, time downwards, the violating step in red.

    `clock` (the value of a clock variable in each state, `now` in the lifecycle model) is
    printed beside each step, so a deadline story can be read off the chart."""
    rows = _rows(chart)
    lanes = [lane.name for lane in chart.lanes]
    x = {name: 2.2 * i for i, name in enumerate(lanes)}
    width = 2.2 * max(len(lanes) - 1, 1)
    left = -3.6 if clock else -3.0
    right = max([width + 1.6] + [x.get(n.lane, 0.0) + 0.3 + 0.075 * len(n.text)
                                 for s in chart.steps for n in s.notes])
    fig = Figure(figsize=(0.75 * (right - left), ROW_HEIGHT * len(rows) + 1.4))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(left, right)
    ax.set_ylim(len(rows) + 0.6, -1.6)
    ax.axis("off")
    _lane_heads(ax, chart, x, len(rows))
    if clock:
        ax.text(left + 0.1, -0.75, "now", fontsize=7.5, fontweight="bold", va="center",
                color="#444444")
    for y, row in enumerate(rows):
        if clock and row.kind is RowKind.STEP and row.step.index < len(clock):
            ax.text(left + 0.1, y, clock[row.step.index], fontsize=7.5, va="center",
                    color="#444444", family="monospace")
        _draw_row(ax, chart, row, y, x, left + (0.6 if clock else 0.0), right)
    ax.text(left + 0.1, -1.35, chart.title, fontsize=9, fontweight="bold", va="center")
    return fig


def _lane_heads(ax: Axes, chart: Chart, x: dict[str, float], n_rows: int) -> None:
    colours = {"process": _PROCESS, "channel": _CHANNEL, "global": _GLOBAL}
    for lane in chart.lanes:
        ax.plot([x[lane.name]] * 2, [-0.5, n_rows + 0.3], color="#9a9a9a",
                linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
        ax.text(x[lane.name], -0.75, lane.name, ha="center", va="center",
                fontsize=8.5, fontweight="bold", zorder=4,
                bbox={"boxstyle": "round,pad=0.35", "fc": colours.get(lane.kind, _GLOBAL),
                      "ec": "#5b6b7b", "lw": 0.8})


def _draw_row(ax: Axes, chart: Chart, row: _Row, y: int, x: dict[str, float], left: float,
              right: float) -> None:
    step = row.step
    if step.violating:
        ax.axhspan(y - 0.5, y + 0.5, xmin=0.0, xmax=1.0, color=_VIOLATION,
                   zorder=0, linewidth=0)
    if row.kind is RowKind.STEP:
        label = f"{step.index + 1}. {step.action or 'initial state'}"
        ax.text(left + 0.1, y, label, fontsize=7.5, va="center",
                color="#8b0000" if step.violating else "#222222",
                fontweight="bold" if step.violating else "normal")
        if step.actor in x:
            ax.plot([x[step.actor]], [y], marker="s", markersize=6,
                    color="#8b0000" if step.violating else "#3b5b7b", zorder=3)
        if step.violating and chart.property:
            ax.text(right - 0.1, y, f"violates {chart.property}", fontsize=7.5,
                    ha="right", va="center", color="#8b0000", fontweight="bold")
    elif row.kind is RowKind.ARROW:
        arrow = step.arrows[row.item]
        a, b = x[arrow.source], x[arrow.target]
        ax.annotate("", xy=(b, y), xytext=(a, y), zorder=3,
                    arrowprops={"arrowstyle": "-|>", "color": "#1f3b57", "lw": 1.1,
                                "linestyle": "--" if arrow.reply else "-",
                                "shrinkA": 2, "shrinkB": 2})
        ax.text((a + b) / 2, y - 0.22, arrow.label, ha="center", va="center",
                fontsize=7, zorder=4, bbox={"boxstyle": "square,pad=0.1", "fc": "white",
                                            "ec": "none", "alpha": 0.85})
    else:
        note = step.notes[row.item]
        ax.text(x.get(note.lane, 0.0) + 0.08, y, note.text, fontsize=7, va="center",
                zorder=4, bbox={"boxstyle": "round,pad=0.25", "fc": _NOTE, "ec": "#c9b458",
                                "lw": 0.6})


def save(fig: Figure, path: str) -> None:
    """Write a figure; the format follows the extension (.svg, .png, .pdf). SVG text stays
    text (searchable, selectable), not outlines."""
    with matplotlib.rc_context({"svg.hashsalt": "checkmodel", "svg.fonttype": "none"}):
        fig.savefig(path, dpi=150, metadata=_metadata(path), facecolor="white")


def _metadata(path: str) -> dict[str, object]:
    lower = path.lower()
    if lower.endswith(".svg"):
        return {"Date": None}
    if lower.endswith(".pdf"):
        return {"CreationDate": None}
    return {}


# ---------------------------------------------------------------- state graphs


def graph_figure(g: nx.DiGraph, title: str = "") -> Figure:
    """A state graph laid out by BFS level (left to right), the highlighted path in red."""
    pos = _levels(g)
    levels = max((d for _, d in g.nodes(data="depth", default=1)), default=1)
    widest = max((sum(1 for _, d in g.nodes(data="depth", default=1) if d == k)
                  for k in range(1, levels + 1)), default=1)
    fig = Figure(figsize=(min(2 + 1.1 * levels, 40), min(1.5 + 0.45 * widest, 40)))
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
    ax.axis("off")
    on_path = [(a, b) for a, b, p in g.edges(data="on_path", default=False) if p]
    others = [(a, b) for a, b, p in g.edges(data="on_path", default=False) if not p]
    nx.draw_networkx_edges(g, pos, edgelist=others, ax=ax, edge_color="#b0b0b0", width=0.8,
                           arrowsize=8, node_size=160)
    nx.draw_networkx_edges(g, pos, edgelist=on_path, ax=ax, edge_color=_PATH, width=2.2,
                           arrowsize=12, node_size=160)
    last = max((p for _, p in g.nodes(data="on_path", default=-1)), default=-1)
    colours = [_node_colour(d, last) for _, d in g.nodes(data=True)]
    edges = ["#1b5e20" if d.get("initial") else "#555555" for _, d in g.nodes(data=True)]
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=160, node_color=colours,
                           edgecolors=edges, linewidths=1.2)
    if g.number_of_nodes() <= 80:
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=6,
                                labels={n: str(n) for n in g.nodes})
    fig.suptitle(title or f"{g.graph.get('name', '')}: {g.number_of_nodes()} states, "
                 f"{g.number_of_edges()} edges (counterexample in red)", fontsize=9)
    return fig


def _node_colour(data: dict[str, object], last: int) -> str:
    """Pale blue, pale red on the path, full red for the path's last (violating) state."""
    step = data.get("on_path", -1)
    if not isinstance(step, int) or step < 0:
        return "#e3ecf6"
    return _PATH if step == last else "#ef9a9a"


def _levels(g: nx.DiGraph) -> dict[int, tuple[float, float]]:
    by_level: dict[int, list[int]] = {}
    for n, d in g.nodes(data="depth", default=1):
        by_level.setdefault(d, []).append(n)
    pos = {}
    for level, nodes in by_level.items():
        for i, n in enumerate(sorted(nodes)):
            pos[n] = (float(level), (len(nodes) - 1) / 2.0 - i)
    return pos
