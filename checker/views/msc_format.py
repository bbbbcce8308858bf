"""Sequence charts as text: a terminal drawing with one column per lane, and Mermaid.

Both read a `checker.msc.Chart`; neither needs the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.views.msc import Arrow, Chart, ChartStep

MIN_GAP = 14  # columns between two lifelines
MAX_GAP = 20  # a label too long for its arrow goes on a row of its own above it
MARGIN = 6  # the step-number column


@dataclass(frozen=True)
class _Layout:
    columns: dict[str, int]  # lane -> column of its lifeline
    width: int


def _layout(chart: Chart) -> _Layout:
    names = [lane.name for lane in chart.lanes]
    gaps = [max(MIN_GAP, (len(a) + 1) // 2 + (len(b) + 1) // 2 + 3)
            for a, b in zip(names, names[1:])]
    for step in chart.steps:
        for arrow in step.arrows:
            i, j = sorted((names.index(arrow.source), names.index(arrow.target)))
            need = min(len(arrow.label) + 6, MAX_GAP * max(1, j - i))
            if j > i and sum(gaps[i:j]) < need:
                gaps[j - 1] += need - sum(gaps[i:j])
    first = MARGIN + max(len(names[0]) // 2, 1) if names else MARGIN
    columns = {}
    x = first
    for k, name in enumerate(names):
        columns[name] = x
        if k < len(gaps):
            x += gaps[k]
    last = names[-1] if names else ""
    return _Layout(columns, x + len(last) // 2 + 2)


class _Canvas:
    """One text row at a time, with the lifelines drawn in first."""

    def __init__(self, layout: _Layout):
        self.layout = layout

    def blank(self, margin: str = "") -> list[str]:
        row = [" "] * self.layout.width
        for x in self.layout.columns.values():
            row[x] = "|"
        row[:len(margin)] = list(margin)
        return row

    @staticmethod
    def put(row: list[str], x: int, text: str) -> None:
        if x + len(text) > len(row):
            row.extend(" " * (x + len(text) - len(row)))
        row[x:x + len(text)] = list(text)


def format_text(chart: Chart) -> str:
    """A sequence chart for the terminal (ASCII; the violating step's rows are marked `>>`)."""
    layout = _layout(chart)
    canvas = _Canvas(layout)
    lines = [f"Sequence chart of {chart.title}", ""]
    header = [" "] * layout.width
    for name, x in layout.columns.items():
        canvas.put(header, max(0, x - len(name) // 2), name)
    lines.append("".join(header).rstrip())
    lines.append("".join(canvas.blank()).rstrip())
    for step in chart.steps:
        lines += _step_rows(chart, step, canvas)
    if chart.loop is not None:
        lines.append(f"  (the last state steps back to state {chart.loop + 1})")
    if chart.hidden:
        lines.append(f"Lanes without events, not shown: {', '.join(chart.hidden)}")
    return "\n".join(lines) + "\n"


def _step_rows(chart: Chart, step: ChartStep, canvas: _Canvas) -> list[str]:
    mark = ">>" if step.violating else ""
    cols = canvas.layout.columns
    head = canvas.blank(mark)
    canvas.put(head, 2 if not mark else 3, f"{step.index + 1:>2}")
    action = step.action or "initial state"
    at = cols.get(step.actor or "", MARGIN)
    tag = f"[{action}]"
    if step.violating and chart.property:
        tag += f"  <-- violates {chart.property}"
    canvas.put(head, at, tag)
    rows = [head]
    for arrow in step.arrows:
        rows += _arrow_rows(arrow, canvas, mark)
    for note in step.notes:
        row = canvas.blank(mark)
        canvas.put(row, cols.get(note.lane, MARGIN), f"* {note.text}")
        rows.append(row)
    return ["".join(r).rstrip() for r in rows]


def _arrow_rows(arrow: Arrow, canvas: _Canvas, mark: str) -> list[list[str]]:
    """`|--- label -->|`, or the label on a row of its own when the arrow is too short."""
    cols = canvas.layout.columns
    a, b = cols[arrow.source], cols[arrow.target]
    left, right = min(a, b), max(a, b)
    span = right - left - 1
    inline = len(arrow.label) + 4 <= span
    label = f" {arrow.label} " if inline else ""
    line = ("- " * span)[:span] if arrow.reply else "-" * span
    start = (span - len(label)) // 2
    body = list(line)
    body[start:start + len(label)] = list(label)
    if b > a:
        body[-1] = ">"
    else:
        body[0] = "<"
    row = canvas.blank(mark)
    canvas.put(row, left + 1, "".join(body))
    if inline:
        return [row]
    above = canvas.blank(mark)
    canvas.put(above, left + 2, arrow.label)
    return [above, row]


# ---------------------------------------------------------------- Mermaid


def format_mermaid(chart: Chart) -> str:
    """A Mermaid `sequenceDiagram`; the violating step sits in a red `rect` block."""
    ids = {lane.name: f"L{i}" for i, lane in enumerate(chart.lanes)}
    out = ["sequenceDiagram", f"    title {_escape(chart.title)}"]
    for lane in chart.lanes:
        out.append(f"    participant {ids[lane.name]} as {_escape(lane.name)}")
    for step in chart.steps:
        if step.action is None and not step.notes:
            continue
        body = _mermaid_step(chart, step, ids)
        if step.violating:
            out.append("    rect rgb(255, 221, 221)")
            out += ["    " + line for line in body]
            out.append("    end")
        else:
            out += body
    return "\n".join(out) + "\n"


def _mermaid_step(chart: Chart, step: ChartStep, ids: dict[str, str]) -> list[str]:
    lines = []
    actor = ids.get(step.actor or "") or next(iter(ids.values()), "L0")
    text = f"{step.index + 1}. {step.action or 'initial state'}"
    if step.violating and chart.property:
        text += f" (violates {chart.property})"
    lines.append(f"    Note over {actor}: {_escape(text)}")
    for arrow in step.arrows:
        link = "-->>" if arrow.reply else "->>"
        lines.append(f"    {ids[arrow.source]}{link}{ids[arrow.target]}: {_escape(arrow.label)}")
    for note in step.notes:
        lines.append(f"    Note right of {ids[note.lane]}: {_escape(note.text)}")
    return lines


def _escape(text: str) -> str:
    """Mermaid reads `;` and `#` specially; write them as entity codes."""
    codes = {"#": "#35;", ";": "#59;", "\n": " "}
    return re.sub(r"[#;\n]", lambda m: codes[m.group(0)], text).replace("->", "→")
