"""The layout of a sequence-chart figure: where lanes, labels and notes go, in inches, and how a
chart taller than a page is cut into parts.

The figure is laid out at paper width (`PAPER_WIDTH`), so its font sizes are the sizes a reader
sees; a chart with too many lanes for that is drawn wider (and shrinks when printed). Each part
is at most `PAGE_HEIGHT` tall, which leaves room for a caption in the text block of an A4 or a
Letter page. A step is kept on one part with its messages and notes; notes go beside the step
where they do not overlap. Text widths are measured in DejaVu Sans, the font the SVG names (its
text stays text, so a reader without that font sees slightly different widths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum, auto
from typing import Optional, Sequence

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from checker.views.msc import Arrow, Chart
from checker.views.msc_fold import Span, spans

PAPER_WIDTH = 7.0  # inches
PAGE_HEIGHT = 8.6  # inches: the tallest part
ROW = 0.16  # inches per text row
ARROW_ROWS = 1.5  # an arrow row holds its label above the line
TOP = 0.78  # title, lane headers and the "continued" mark above the first row
BOTTOM = 0.32  # the "continued" mark and a margin below the last row
TEXT, STEP_TEXT, HEAD_TEXT = 6.5, 7.0, 6.5  # points
_PAD = 0.06  # inches between a lifeline and the text beside it
MARGIN = 0.08


class RowKind(Enum):
    STEP = auto()  # the step's number and action, the actor's mark, and notes that fit beside
    NOTES = auto()  # further notes of the step
    ARROW = auto()  # one message
    VIOLATION = auto()  # "violates P" under the violating step
    LOOP = auto()  # where a lasso's last state steps back to


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    align: str  # "left" | "right" | "center"

    def extent(self, size: float = TEXT) -> tuple[float, float]:
        w = text_width(self.text, size)
        start = {"left": self.x, "right": self.x - w, "center": self.x - w / 2}[self.align]
        return start, start + w


@dataclass(frozen=True)
class Row:
    kind: RowKind
    span: Span
    notes: tuple[Label, ...] = ()
    arrow: Optional[Arrow] = None
    text: Optional[Label] = None  # an arrow's label, or the row's message

    @property
    def height(self) -> float:
        return ROW * (ARROW_ROWS if self.kind is RowKind.ARROW else 1.0)


@dataclass(frozen=True)
class Geometry:
    width: float
    clock_x: Optional[float]  # None: no clock column
    label_x: float
    lanes_left: float  # where lane text may start (right of the step labels)
    lane_x: dict[str, float]
    heads: dict[str, tuple[str, ...]]  # each lane's header, one or two lines


@dataclass(frozen=True)
class Part:
    number: int  # 1-based
    of: int
    rows: tuple[Row, ...]

    @property
    def height(self) -> float:
        return TOP + sum(r.height for r in self.rows) + BOTTOM


def text_width(text: str, size: float, style: str = "normal") -> float:
    """Inches, as matplotlib measures it in DejaVu Sans (`bold`, `mono`: the other faces)."""
    font = FontProperties(family="DejaVu Sans Mono" if style == "mono" else "DejaVu Sans",
                          size=size, weight="bold" if style == "bold" else "normal")
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width) / 72


def step_text(span: Span, loop: Optional[int]) -> str:
    mark = "  ↺" if loop is not None and span.step.index == loop else ""
    return f"{span.number()}. {span.label()}{mark}"


def geometry(chart: Chart, drawn: Sequence[Span], clock: Sequence[str]) -> Geometry:
    names = [lane.name for lane in chart.lanes]
    heads = {n: _head(n) for n in names}
    clock_x = MARGIN if clock else None
    clock_w = max([text_width(c, STEP_TEXT, "mono") for c in clock] + [0.2]) + 0.1
    label_x = MARGIN + (clock_w if clock else 0.0)
    labels = [text_width(step_text(s, chart.loop), STEP_TEXT) for s in drawn]
    lanes_left = label_x + max(labels + [0.8]) + 0.1
    head_w = {n: max(text_width(line, HEAD_TEXT, "bold") for line in heads[n]) + 0.1
              for n in names}
    first = lanes_left + (head_w[names[0]] / 2 if names else 0.0)
    last_half = head_w[names[-1]] / 2 if names else 0.0
    narrowest = max([(head_w[a] + head_w[b]) / 2 + 0.03 for a, b in zip(names, names[1:])]
                    + [0.5])
    gaps = max(len(names) - 1, 1)
    pitch = max(narrowest, (PAPER_WIDTH - MARGIN - last_half - first) / gaps)
    width = max(PAPER_WIDTH, first + pitch * gaps + last_half + MARGIN)
    lane_x = {n: first + pitch * i for i, n in enumerate(names)}
    return Geometry(width, clock_x, label_x, lanes_left, lane_x, heads)


def _head(name: str) -> tuple[str, ...]:
    """A lane name on one line, or cut at its first dot (`channel[r1]` / `.mailbox`)."""
    cut = name.find(".")
    if len(name) <= 12 or cut <= 0:
        return (name,)
    return name[:cut], name[cut:]


def rows(chart: Chart, geo: Geometry, fold: bool = True) -> list[list[Row]]:
    """The rows of each drawn step (a step's rows stay together on a part)."""
    out = []
    drawn = spans(chart, fold)
    for span in drawn:
        out.append(_step_rows(chart, geo, span))
    if chart.loop is not None and out:
        text = f"↺ the last state steps back to state {chart.loop + 1}; the run repeats " \
               f"from there forever"
        out[-1].append(Row(RowKind.LOOP, out[-1][0].span,
                           text=Label(text, geo.lanes_left, "left")))
    return out


def _step_rows(chart: Chart, geo: Geometry, span: Span) -> list[Row]:
    step = span.step
    actor = geo.lane_x.get(step.actor or "")
    busy: list[list[tuple[float, float]]] = [[]]
    if actor is not None:
        busy[0].append((actor - 0.04, actor + 0.04))
    placed: list[list[Label]] = [[]]
    for note in step.notes:
        label = _note_label(geo, note.lane, note.text)
        lo, hi = label.extent()
        k = next((i for i, used in enumerate(busy)
                  if all(hi + 0.015 < a or lo - 0.015 > b for a, b in used)), len(busy))
        if k == len(busy):
            busy.append([])
            placed.append([])
        busy[k].append((lo, hi))
        placed[k].append(label)
    out = [Row(RowKind.STEP, span, tuple(placed[0]))]
    out += [Row(RowKind.NOTES, span, tuple(p)) for p in placed[1:]]
    for arrow in step.arrows:
        a, b = geo.lane_x[arrow.source], geo.lane_x[arrow.target]
        out.append(Row(RowKind.ARROW, span, arrow=arrow,
                       text=_clamped(geo, arrow.label, (a + b) / 2)))
    if step.violating and chart.property:
        out.append(Row(RowKind.VIOLATION, span,
                       text=Label(f"✗ violates {chart.property}", geo.lanes_left, "left")))
    return out


def _note_label(geo: Geometry, lane: str, text: str) -> Label:
    """Right of the lane's lifeline, or left of it when it would pass the right edge."""
    x = geo.lane_x.get(lane, geo.lanes_left)
    w = text_width(text, TEXT)
    if x + _PAD + w <= geo.width - MARGIN:
        return Label(text, x + _PAD, "left")
    if x - _PAD - w >= geo.lanes_left:
        return Label(text, x - _PAD, "right")
    return Label(text, max(geo.lanes_left, geo.width - MARGIN - w), "left")


def _clamped(geo: Geometry, text: str, centre: float) -> Label:
    half = text_width(text, TEXT) / 2
    lo, hi = geo.lanes_left + half, geo.width - MARGIN - half
    return Label(text, min(max(centre, lo), hi) if lo <= hi else centre, "center")


def paginate(units: list[list[Row]], page_height: Optional[float] = PAGE_HEIGHT) -> list[Part]:
    """Parts of at most `page_height` inches (one part when None), as even as the steps allow."""
    flat = [r for unit in units for r in unit]
    if page_height is None:
        return [Part(1, 1, tuple(flat))]
    room = page_height - TOP - BOTTOM
    pieces = [p for unit in units for p in _cut(unit, room)]
    total = sum(_height(p) for p in pieces)
    n = max(1, math.ceil(total / room))
    while True:
        limit = max(total / n, max((_height(p) for p in pieces), default=0.0))
        while limit <= room + 1e-9:
            groups = _greedy(pieces, limit)
            if len(groups) <= n:
                return [Part(i + 1, len(groups), tuple(g)) for i, g in enumerate(groups)]
            limit += ROW / 2
        n += 1


def _height(rows: Sequence[Row]) -> float:
    return sum(r.height for r in rows)


def _cut(unit: list[Row], room: float) -> list[list[Row]]:
    """A step's rows, or pieces of them when they are taller than a page."""
    pieces: list[list[Row]] = [[]]
    for row in unit:
        if pieces[-1] and _height(pieces[-1]) + row.height > room:
            pieces.append([])
        pieces[-1].append(row)
    return pieces


def _greedy(pieces: list[list[Row]], limit: float) -> list[list[Row]]:
    groups: list[list[Row]] = [[]]
    for piece in pieces:
        if groups[-1] and _height(groups[-1]) + _height(piece) > limit + 1e-9:
            groups.append([])
        groups[-1].extend(piece)
    return groups
