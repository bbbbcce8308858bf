"""`reachable NAME: P;`: a witness state that must exist, the opposite of an invariant.

After the breadth-first search, the explored states are scanned in BFS order, so the first
state satisfying P ends the shortest trace to a witness. The verdict is REACHED (with that
trace) whenever a witness was found, even in a search cut short; UNREACHABLE only when the
search was exhaustive; UNKNOWN otherwise. As for every property, the states are those of the
explored graph: within the state constraints.
"""

from __future__ import annotations

from typing import Optional, Sequence

from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind, Status
from checker.trace import trace
from checker.explicit.results import GraphVerdict, properties_of_kind
from checker.explicit.search import SearchResult
from checker.explicit.system import TransitionSystem


class WitnessVerdict(GraphVerdict):
    """The outcome for one `reachable` property: REACHED (with the shortest trace to a state
    that satisfies it), UNREACHABLE or UNKNOWN."""


def witness_properties(spec: ir.Spec, wanted: Optional[frozenset[str]]) -> list[ir.Property]:
    """The `reachable` properties selected by `--property` (all when nothing is selected)."""
    return properties_of_kind(spec, PropertyKind.REACHABLE, wanted)


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
