"""The viewing outputs the command line asks for: sequence charts, the HTML viewer, graphs.

`checker.cli` parses the flags and calls these; each returns the lines to print.
"""

from __future__ import annotations

from typing import Optional

from checker.views import msc
from checker.views import msc_format
from checker.explicit.check import CheckResult
from checker.trace.trace import Trace

FIGURE_EXTENSIONS = (".svg", ".png", ".pdf")


def trace_views(trace: Trace, text: bool = False, mermaid: Optional[str] = None,
                svg: Optional[str] = None, png: Optional[str] = None,
                html: Optional[str] = None) -> list[str]:
    """Write the requested forms of a trace; the text chart comes back as lines to print."""
    out: list[str] = []
    chart = msc.build_chart(trace)
    if text:
        out.append(msc_format.format_text(chart).rstrip("\n"))
    if mermaid:
        with open(mermaid, "w", encoding="utf-8") as handle:
            handle.write(msc_format.format_mermaid(chart))
        out.append(f"Mermaid sequence diagram written to {mermaid}")
    for path in (p for p in (svg, png) if p):
        from checker.views import render
        render.save(render.chart_figure(chart), path)
        out.append(f"Sequence chart written to {path}")
    if html:
        from checker.views import html_viewer
        html_viewer.write_html(trace, html)
        out.append(f"Trace viewer written to {html}")
    return out


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
