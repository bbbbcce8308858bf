"""Which lanes a sequence chart has, and in what order.

Process lanes come in declaration order (instances in the order of the index's domain). The
order drawn is then improved by moving one lane at a time to where the total length of the
arrows (in lanes crossed) is least, so a channel sits between its senders and receivers.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from checker.trace import itf
from checker.views.msc_notes import indexed, map_items, owner
from checker.trace.trace import Trace

MAX_PASSES = 20


class _HasActor(Protocol):
    @property
    def actor(self) -> Any: ...


def process_lanes(trace: Trace, steps: Sequence[_HasActor]) -> list[str]:
    """Every process instance that acts or owns a variable, in declaration and domain order."""
    names: list[str] = []
    first = trace.steps[0].values if trace.steps else {}
    for proc in trace.processes:
        if not indexed(trace, proc):
            names.append(proc)
            continue
        domain: list[str] = []
        for var in trace.vars:
            if owner(trace, var) == proc:
                domain += [f"{proc}[{itf.format_itf(k)}]" for k, _ in map_items(first.get(var)) or []]
        acting = [s.actor for s in steps if s.actor and s.actor.startswith(proc + "[")]
        names += list(dict.fromkeys(domain + acting))
    return names


def cost(order: Sequence[str], edges: Sequence[tuple[str, str]]) -> int:
    """Total number of lanes the arrows span."""
    position = {name: i for i, name in enumerate(order)}
    return sum(abs(position[a] - position[b]) for a, b in edges
               if a in position and b in position)


def order(lanes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[str]:
    """Lanes reordered to shorten the arrows; ties keep the given order (deterministic)."""
    best = list(lanes)
    best_cost = cost(best, edges)
    for _ in range(MAX_PASSES):
        improved = False
        for name in list(best):
            rest = [n for n in best if n != name]
            for i in range(len(rest) + 1):
                candidate = rest[:i] + [name] + rest[i:]
                c = cost(candidate, edges)
                if c < best_cost:
                    best, best_cost, improved = candidate, c, True
        if not improved:
            break
    return best
