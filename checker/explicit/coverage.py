"""Action coverage: how often each action was enabled over the explored states.

An action that never fires points at a vacuous model (a guard that can never hold), which would
make every "holds" verdict about it meaningless; TLC users read its coverage report for the same
reason. Computed after the search, from the explored states, so the search itself pays nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.explicit.search import StateGraph
from checker.explicit.system import TransitionSystem


@dataclass(frozen=True)
class ActionCoverage:
    action: str
    location: str
    steps: int  # transitions taken by this action from explored states
    states: int  # explored states in which it was enabled


def coverage(system: TransitionSystem, graph: StateGraph) -> list[ActionCoverage]:
    spec = system.spec
    steps = [0] * len(spec.actions)
    enabled = [0] * len(spec.actions)
    for state in graph.states[:graph.expanded]:
        seen = set()
        for (action, _), _ in system.labeled_successors(state):
            steps[action] += 1
            seen.add(action)
        for action in seen:
            enabled[action] += 1
    return [ActionCoverage(a.name, f"{a.span.file}:{a.span.line}", steps[i], enabled[i])
            for i, a in enumerate(spec.actions)]


def format_text(rows: list[ActionCoverage]) -> str:
    width = max((len(r.action) for r in rows), default=0)
    lines = ["Action coverage (transitions taken / states where enabled):"]
    for r in rows:
        flag = "   <- never enabled" if r.steps == 0 else ""
        lines.append(f"  {r.action:<{width}}  {r.steps:>9,} / {r.states:>9,}  {r.location}{flag}")
    return "\n".join(lines)
