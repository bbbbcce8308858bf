"""Runs of steps a sequence chart draws as one row: the same action taken again and again with
nothing to show (no message, no note), such as the clock's `tick`s while a deadline nears.

The folded row keeps the first and last step numbers (`7-8. tick x2`), so the numbering stays
continuous; a violating step and the first state of a lasso's loop are never folded in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from checker.views.msc import Chart, ChartStep


@dataclass(frozen=True)
class Span:
    """One drawn step: `step`, and the index of the last state of its run (`step.index` when
    the step stands alone)."""

    step: ChartStep
    last: int

    @property
    def count(self) -> int:
        return self.last - self.step.index + 1

    def number(self) -> str:
        """`7` for one step, `7-8` for a run (state numbers, 1-based)."""
        first = self.step.index + 1
        return str(first) if self.count == 1 else f"{first}-{self.last + 1}"

    def label(self, times: str = "×") -> str:
        action = self.step.action or "initial state"
        return action if self.count == 1 else f"{action} {times}{self.count}"


def _quiet(step: ChartStep, loop: Optional[int]) -> bool:
    return (step.action is not None and not step.arrows and not step.notes
            and not step.violating and step.index != loop)


def spans(chart: Chart, fold: bool = True, initial: bool = False) -> list[Span]:
    """The steps to draw, with quiet repeats folded into runs when `fold`; an initial state
    with nothing to say is left out unless `initial` (the text chart keeps its row)."""
    out: list[Span] = []
    for step in chart.steps:
        if step.action is None and not step.notes and not initial:
            continue
        previous = out[-1] if out else None
        if (fold and previous is not None and _quiet(step, chart.loop)
                and _quiet(previous.step, chart.loop) and previous.step.action == step.action
                and previous.step.actor == step.actor and previous.last + 1 == step.index):
            out[-1] = Span(previous.step, step.index)
        else:
            out.append(Span(step, step.index))
    return out
