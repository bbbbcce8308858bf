"""Sequence charts as text: a terminal drawing with one column per lane, and Mermaid.

Both read a `checker.msc.Chart`; neither needs the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from checker.views.msc import Arrow, Chart, ChartStep
from checker.views.msc_fold import Span, spans

MIN_GAP = 14  # columns between two lifelines
MAX_GAP = 20  # a label too long for its arrow goes on a row of its own above it
MARGIN = 6  # the step-number column
NARROWEST_GAP = 6  # lifelines closer than this are unreadable: wider than asked, then


@dataclass(frozen=True)
class _Layout:
    columns: dict[str, int]  # lane -> column of its lifeline
    width: int
    limit: Optional[int] = None  # the widest a row may be (text that would pass it folds)


def _layout(chart: Chart, width: Optional[int] = None) -> _Layout:
    natural = _natural_layout(chart)
    if width is None or natural.width <= width or len(chart.lanes) < 2:
        return replace(natural, limit=width)
    names = [lane.name for lane in chart.lanes]
    first = MARGIN + 2
    gap = max(NARROWEST_GAP, (width - first - 2) // (len(names) - 1))
    columns = {name: first + k * gap for k, name in enumerate(names)}
    return _Layout(columns, first + (len(names) - 1) * gap + 2, width)


def _natural_layout(chart: Chart) -> _Layout:
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

    def place(self, x: int, text: str, mark: str = "") -> list[list[str]]:
        """Rows holding `text` at column `x`, moved left (or folded onto further rows) where
        it would pass the width limit."""
        limit = self.layout.limit
        if limit is None or x + len(text) <= limit:
            row = self.blank(mark)
            self.put(row, x, text)
            return [row]
        room = limit - MARGIN
        if len(text) <= room:
            row = self.blank(mark)
            self.put(row, limit - len(text), text)
            return [row]
        rows = []
        for k in range(0, len(text), room - 2):
            row = self.blank(mark)
            self.put(row, MARGIN, ("  " if k else "") + text[k:k + room - 2])
            rows.append(row)
        return rows

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


def format_text(chart: Chart, width: Optional[int] = None, fold: bool = True) -> str:
    """A sequence chart for the terminal (ASCII; the violating step's rows are marked `>>`).

    Runs of the same quiet step (clock ticks) are one row, `20-21  [tick x2]`, as in the
    figures (`checker.views.msc_fold`; `fold=False` keeps every step). With `width`, the
    lifelines are spaced to fit it, lane names alternate between two header rows where they
    would touch, and text that would pass the width moves left or folds."""
    layout = _layout(chart, width)
    canvas = _Canvas(layout)
    lines = [f"Sequence chart of {chart.title}", ""]
    if chart.lanes:  # a trace without processes or channels has only its steps
        lines += ["".join(row).rstrip() for row in _headers(layout)]
        lines.append("".join(canvas.blank()).rstrip())
    for span in spans(chart, fold, initial=True):
        lines += _step_rows(chart, span, canvas)
    if chart.loop is not None:
        lines.append(f"  (the last state steps back to state {chart.loop + 1})")
    if chart.hidden:
        lines.append(f"Lanes without events, not shown: {', '.join(chart.hidden)}")
    return "\n".join(lines) + "\n"


def _headers(layout: _Layout) -> list[list[str]]:
    """The lane names centred over their lifelines: one row, or two (alternate lanes) where
    neighbouring names would touch; a name too long even then is cut short with `~`."""
    items = list(layout.columns.items())
    gaps = [b[1] - a[1] for a, b in zip(items, items[1:])]
    fits = all((len(a[0]) + 1) // 2 + (len(b[0]) + 1) // 2 < g
               for a, b, g in zip(items, items[1:], gaps))
    rows = [[" "] * layout.width for _ in range(1 if fits else 2)]
    room = min(gaps, default=layout.width) * (1 if fits else 2) - 2
    for k, (name, x) in enumerate(items):
        shown = name if len(name) <= room else name[:max(1, room - 1)] + "~"
        start = min(x - len(shown) // 2, (layout.limit or layout.width) - len(shown))
        _Canvas.put(rows[k % len(rows)], max(0, start), shown)
    return rows


def _step_rows(chart: Chart, span: Span, canvas: _Canvas) -> list[str]:
    step = span.step
    mark = ">>" if step.violating else ""
    cols = canvas.layout.columns
    at = cols.get(step.actor or "", MARGIN)
    tag = f"[{span.label(times='x')}]"
    if step.violating and chart.property:
        tag += f"  <-- violates {chart.property}"
    rows = canvas.place(at, tag, mark)
    canvas.put(rows[0], 2 if not mark else 3, f"{span.number():>2}")
    for arrow in step.arrows:
        rows += _arrow_rows(arrow, canvas, mark)
    for note in step.notes:
        rows += canvas.place(cols.get(note.lane, MARGIN), f"* {note.text}", mark)
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
    return canvas.place(left + 2, arrow.label, mark) + [row]


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
