"""A self-contained HTML trace viewer: one file, its script and style inline, no network.

The page steps through the states (buttons, arrow keys, or `#step=N` in the URL), highlights
the variables a step changed, draws the sequence chart beside them with the current step marked,
and shows the violated property and its explanation on top. The template, script and style are
package data in `checker/views/viewer/`.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from checker.trace import itf
from checker.views import msc
from checker.trace.trace import Trace


def payload(trace: Trace) -> dict[str, Any]:
    """Everything the page shows, as plain JSON (values already formatted as text)."""
    chart = msc.build_chart(trace)
    states = [{"action": s.action, "location": s.location, "process": s.process,
               "values": {name: itf.format_itf(s.values.get(name)) for name in trace.vars}}
              for s in trace.steps]
    return {
        "title": chart.title,
        "spec": trace.spec,
        "property": trace.property,
        "kind": trace.kind,
        "explanation": list(trace.explanation),
        "loop": trace.loop,
        "vars": list(trace.vars),
        "states": states,
        "changed": changed_vars(trace),
        "chart": {"lanes": [asdict(lane) for lane in chart.lanes],
                  "steps": [_chart_step(step) for step in chart.steps]},
    }


def changed_vars(trace: Trace) -> list[list[str]]:
    """For each state, the variables whose value differs from the previous state."""
    out: list[list[str]] = [[]]
    for before, after in zip(trace.steps, trace.steps[1:]):
        out.append([n for n in trace.vars if before.values.get(n) != after.values.get(n)])
    return out[:len(trace.steps)]


def _chart_step(step: msc.ChartStep) -> dict[str, Any]:
    return {"index": step.index, "action": step.action, "actor": step.actor,
            "violating": step.violating,
            "arrows": [{"source": a.source, "target": a.target, "label": a.label,
                        "reply": a.reply} for a in step.arrows],
            "notes": [{"lane": n.lane, "text": n.text} for n in step.notes]}


def _asset(name: str) -> str:
    return (resources.files("checker.views") / "viewer" / name).read_text(encoding="utf-8")


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no `</script>` or `<!--` can end it early)."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(trace: Trace) -> str:
    """The whole page as one string."""
    data = payload(trace)
    page = _asset("viewer.html")
    # Fill the data last so that nothing in the trace is taken for a placeholder.
    for key, value in (("__TITLE__", html.escape(data["title"])),
                       ("__STYLE__", _asset("viewer.css")),
                       ("__SCRIPT__", _asset("viewer.js"))):
        page = page.replace(key, value)
    return page.replace("__DATA__", _script_json(data))


def write_html(trace: Trace, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_html(trace))
