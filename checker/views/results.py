"""The viewing outputs the command line asks for: sequence charts, the HTML viewer, graphs.

`checker.commands` parses the flags and calls these; each writes one file and returns the line
to print.
"""

from __future__ import annotations

from checker.views import msc
from checker.views import msc_format
from checker.explicit.check import CheckResult
from checker.trace.trace import Trace

FIGURE_EXTENSIONS = (".svg", ".png", ".pdf")


def write_mermaid(chart: msc.Chart, path: str) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(msc_format.format_mermaid(chart))
    return f"Mermaid sequence diagram written to {path}"


def write_chart_figure(chart: msc.Chart, path: str) -> str:
    """The sequence chart as SVG, PNG or PDF (by extension)."""
    from checker.views import chart_figure, render
    render.save(chart_figure.chart_figure(chart), path)
    return f"Sequence chart written to {path}"


def write_viewer(trace: Trace, path: str) -> str:
    from checker.views import html_viewer
    html_viewer.write_html(trace, path)
    return f"Trace viewer written to {path}"


def dump_graph(res: CheckResult, path: str, limit: int) -> str:
    """Write the state graph as DOT, GraphML, or a figure (by extension); raises
    `graph.GraphTooLarge` above `limit` states."""
    from checker.views import graph
    g = graph.state_graph(res, limit)
    if path.lower().endswith(FIGURE_EXTENSIONS):
        from checker.views import render
        render.save(render.graph_figure(g), path)
        what = "figure"
    else:
        what = graph.write(g, path)
    return (f"State graph ({g.number_of_nodes():,} states, {g.number_of_edges():,} edges) "
            f"written to {path} ({what})")
