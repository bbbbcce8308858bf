"""Figures with matplotlib: writing them (SVG, PNG, PDF), and a small state graph.

Uses `matplotlib.figure.Figure` directly (no pyplot state), and fixed SVG ids and no date, so
the same figure gives the same file. Sequence charts are drawn by `checker.views.chart_figure`.
"""

from __future__ import annotations

import matplotlib
import networkx as nx
from matplotlib.figure import Figure

_PATH = "#c62828"


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
