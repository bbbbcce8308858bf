"""`reachable NAME: P;`: a witness state that must exist, the opposite of an invariant.

After the breadth-first search, the explored states are scanned in BFS order, so the first
state satisfying P ends the shortest trace to a witness. The verdict is REACHED (with that
trace) whenever a witness was found, even in a search cut short; UNREACHABLE only when the
search was exhaustive; UNKNOWN otherwise. As for every property, the states are those of the
explored graph: within the state constraints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind, Status
from checker.trace import trace
from checker.explicit.search import SearchResult
from checker.explicit.system import TransitionSystem


@dataclass(frozen=True)
class WitnessVerdict:
    prop: ir.Property
    status: Status  # REACHED, UNREACHABLE or UNKNOWN
    trace: Optional[trace.Trace] = None
    reason: Optional[str] = None  # why the verdict is unknown

    @property
    def name(self) -> str:
        return self.prop.name

    @property
    def length(self) -> Optional[int]:
        return len(self.trace) if self.trace is not None else None


def witness_properties(spec: ir.Spec, wanted: Optional[frozenset[str]]) -> list[ir.Property]:
    """The `reachable` properties selected by `--property` (all when nothing is selected)."""
    return [p for p in spec.properties
            if p.kind == PropertyKind.REACHABLE and (wanted is None or p.name in wanted)]


def check_witnesses(system: TransitionSystem, search: SearchResult,
                    properties: Sequence[ir.Property]) -> list[WitnessVerdict]:
    return [_check_one(system, search, prop) for prop in properties]


def _check_one(system: TransitionSystem, search: SearchResult,
               prop: ir.Property) -> WitnessVerdict:
    graph = search.graph
    predicate = system.predicate(prop.expr)
    for node, state in enumerate(graph.states):  # ids are in BFS order: the first is the closest
        try:
            found = predicate(state)
        except codegen.Fault as fault:
            return WitnessVerdict(prop, Status.UNKNOWN,
                                  reason=f"evaluating the property failed: {fault.detail}")
        if found:
            states = [graph.states[i] for i in graph.path_to(node)]
            t = trace.build(system, states, property=prop.name, kind=PropertyKind.REACHABLE)
            return WitnessVerdict(prop, Status.REACHED, t)
    if search.complete:
        return WitnessVerdict(prop, Status.UNREACHABLE)
    return WitnessVerdict(prop, Status.UNKNOWN, reason="the state space was not fully explored")
