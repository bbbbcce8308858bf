"""Temporal properties over the explored state graph, under the spec's fairness.

`check_temporal` runs after the breadth-first search (which must have recorded the graph's edges).
Each property is turned into the shape of its counterexample (`liveness_search.Goal`):

| property        | a counterexample is a fair behaviour that ...                              |
| --------------- | -------------------------------------------------------------------------- |
| `eventually P`  | never reaches P: it stays in not-P from its initial state on               |
| `always eventually P` | reaches a part of the graph where it stays in not-P forever           |
| `eventually always P` | visits not-P infinitely often                                         |
| `P ~> Q`        | reaches a P-and-not-Q state and stays in not-Q from there on               |
| `always P`      | reaches a not-P state (a finite trace, as for an invariant)                |

Fairness (see docs/liveness.md): `fair action a(p in S)` is one weak fairness condition per
binding of the action's parameters (including `self` in a process); `fair process w[i in S]` is
one condition per process instance over the disjunction of all its actions. A step that leaves
the state unchanged is stuttering: it never counts as an action occurring, nor as enabling one.

The behaviours are those of the explored graph: as in TLC, a successor outside the state
constraints is not part of it; the action that leads there is still enabled (TLC's ENABLED
ignores the constraint), so a behaviour may stutter where every step leaves the constraints only
if those actions are not fair.
Only expanded states (whose successors are known) can lie on a lasso, so a lasso found in a
search that was cut short is a real behaviour; a property is reported to hold only when the
search was exhaustive.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Optional, Sequence

from checker.ir.kinds import FairnessKind, PropertyKind, Status, TemporalOp
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.substitute import instances
from checker.trace import trace
from checker.explicit.results import GraphVerdict, properties_of_kind
from checker.explicit.search import SearchResult, StateGraph
from checker.explicit.array.graph import PackedGraph
from checker.explicit.lasso import FairGraph, Goal, Lasso, OutOfTime, find_lasso
from checker.explicit.system import Label, State, TransitionSystem


@dataclass(frozen=True)
class TemporalVerdict(GraphVerdict):
    """The outcome for one temporal property: holds, violated or unknown."""

    stutter: bool = False  # the counterexample ends by stuttering forever in its last state
    prefix: int = 0  # states before the cycle
    cycle: int = 0  # states in the cycle (1 for a stuttering end)
    instance: str = ""  # of a quantified property, the instance violated: "p = 2"
    interrupted: bool = False  # unknown because Ctrl-C (or SIGTERM) stopped the liveness check


def temporal_properties(spec: ir.Spec, wanted: Optional[frozenset[str]]) -> list[ir.Property]:
    """The temporal properties selected by `--property` (all of them when nothing is selected)."""
    return properties_of_kind(spec, PropertyKind.TEMPORAL, wanted)


# ---------------------------------------------------------------- fairness units


@dataclass(frozen=True)
class _UnitTable:
    """Which fairness units each action instance belongs to, as bit masks."""

    masks: Mapping[Label, int]
    weak: int
    strong: int


def fairness_scope(spec: ir.Spec, fairness: ir.Fairness) -> Optional[str]:
    """The process a fairness condition covers as a whole, or None for a single action."""
    return fairness.process


def _unit_table(spec: ir.Spec) -> _UnitTable:
    masks: dict[Label, int] = {}
    weak = strong = 0
    bit = 0
    for fairness in spec.fairness:
        scope = fairness_scope(spec, fairness)
        units: dict[Any, int] = {}
        for name in fairness.actions:
            k = next(i for i, a in enumerate(spec.actions) if a.name == name)
            action = spec.actions[k]
            for params in itertools.product(*[p.domain for p in action.params]):
                key = () if fairness.grouped else params if scope is None else \
                    params[:1] if _indexed(spec, scope) else ()
                key = T.typed_key(key)  # a(true) and b(1) are two units, not one
                if key not in units:
                    units[key] = 1 << bit
                    bit += 1
                label = (k, tuple(params))
                masks[label] = masks.get(label, 0) | units[key]
        group = sum(units.values())
        if fairness.kind == FairnessKind.STRONG:
            strong |= group
        else:
            weak |= group
    return _UnitTable(masks, weak, strong)


def _indexed(spec: ir.Spec, process: str) -> bool:
    return any(name == process and index is not None for name, index in spec.processes)


# ---------------------------------------------------------------- the graph


class _Labels:
    """Per state: the fair units enabled there and those each edge takes (computed on demand).

    Without a state constraint a state's recorded edges are its successors in the order
    `labeled_successors` lists them, so each step's target id is read off the edges; with one,
    steps leaving the constraints are not edges and targets are looked up in the graph's index.
    """

    def __init__(self, system: TransitionSystem, graph: StateGraph, table: _UnitTable,
                 constrained: bool):
        self.system, self.graph, self.table = system, graph, table
        self.constrained = constrained
        self.cache: dict[int, tuple[int, dict[int, int]]] = {}

    def _targets(self, node: int, steps: int) -> Sequence[Optional[int]]:
        edges = self.graph.edges
        if not self.constrained and edges is not None and node < len(edges) and \
                len(edges[node]) == steps:
            return edges[node]
        index, states = self.graph.index, self.system.labeled_successors(self.graph.states[node])
        return [index.get(target) for _, target in states]

    def _compute(self, node: int) -> tuple[int, dict[int, int]]:
        hit = self.cache.get(node)
        if hit is not None:
            return hit
        state = self.graph.states[node]
        masks = self.table.masks
        enabled = 0
        taken: dict[int, int] = {}
        steps = self.system.labeled_successors(state)
        targets: Optional[Sequence[Optional[int]]] = None
        for at, (label, target) in enumerate(steps):
            if target == state:
                continue  # stuttering
            mask = masks.get(label, 0)
            if not mask:
                continue  # not fair
            enabled |= mask  # enabled even if the step leaves the constraints (TLC's ENABLED)
            if targets is None:
                targets = self._targets(node, len(steps))
            tid = targets[at]
            if tid is None:
                continue  # outside the state constraints: not in the graph, never taken

            taken[tid] = taken.get(tid, 0) | mask
        self.cache[node] = (enabled, taken)
        return enabled, taken

    def enabled(self, node: int) -> int:
        return self._compute(node)[0]

    def taken(self, node: int) -> Mapping[int, int]:
        return self._compute(node)[1]


def _no_units(_: int) -> int:
    return 0


def _no_edges(_: int) -> Mapping[int, int]:
    return {}


@dataclass(frozen=True)
class _Model:
    """The explored graph as the liveness search sees it."""

    fair: FairGraph
    live: Sequence[bool]  # expanded: its successors are known
    initial: tuple[int, ...]


def _model(system: TransitionSystem, search: SearchResult) -> _Model:
    graph = search.graph
    if graph.edges is None:
        raise ValueError("liveness checking needs a search with record_graph=True")
    size = len(graph.states)
    live = [i < graph.expanded for i in range(size)]
    # edges[i] exists for the expanded states; the others have no known successors
    succ: list[list[int]] = graph.edges[:graph.expanded] + [[] for _ in
                                                           range(size - graph.expanded)]
    table = _unit_table(system.spec)
    if table.masks:
        constrained = any(p.kind == PropertyKind.CONSTRAINT for p in system.spec.properties)
        labels = _Labels(system, graph, table, constrained)
        # the shortcut reads enabledness off the graph's edges: not with a constraint, whose
        # steps out of the graph still enable their actions
        quiet = _moveless(succ) if _every_step_fair(system.spec, table) and not constrained \
            else None
        fair = FairGraph(succ, labels.enabled, labels.taken, table.weak, table.strong, quiet)
    else:
        fair = FairGraph(succ, _no_units, _no_edges)
    initial = tuple(i for i, p in enumerate(graph.parent) if p == -1 and live[i])
    return _Model(fair, live, initial)


def _every_step_fair(spec: ir.Spec, table: _UnitTable) -> bool:
    """Whether every action instance is under some fairness condition."""
    return all((k, params) in table.masks
               for k, action in enumerate(spec.actions)
               for params in itertools.product(*[p.domain for p in action.params]))


def _moveless(succ: Sequence[Sequence[int]]) -> Callable[[int], bool]:
    """When every step is fair: no fair unit is enabled exactly where no step leaves the state."""
    def quiet(node: int) -> bool:
        return all(t == node for t in succ[node])
    return quiet


# ---------------------------------------------------------------- properties


def _holding(system: TransitionSystem, graph: StateGraph, expr: ir.Expr) -> list[bool]:
    predicate: Callable[[State], Any] = system.predicate(expr)
    if isinstance(graph, PackedGraph):  # the array engine's: evaluated on the packed rows
        return graph.holding(expr, predicate)
    return [bool(predicate(s)) for s in graph.states]


def goal(prop: ir.Property, system: TransitionSystem, model: _Model,
         graph: StateGraph) -> Goal:
    """The shape of a counterexample to a temporal property (not `always`)."""
    live = model.live
    p = _holding(system, graph, prop.expr)
    if prop.temporal == TemporalOp.EVENTUALLY:
        return Goal(model.initial, [lv and not x for lv, x in zip(live, p)])
    if prop.temporal == TemporalOp.ALWAYS_EVENTUALLY:
        inside = [lv and not x for lv, x in zip(live, p)]
        return Goal(model.initial, inside, start=inside)
    if prop.temporal == TemporalOp.EVENTUALLY_ALWAYS:
        return Goal(model.initial, live, accept=[not x for x in p])
    if prop.temporal == TemporalOp.LEADS_TO:
        assert prop.right is not None
        q = _holding(system, graph, prop.right)
        inside = [lv and not x for lv, x in zip(live, q)]
        return Goal(model.initial, inside, start=[a and b for a, b in zip(inside, p)])
    raise ValueError(f"unknown temporal operator {prop.temporal}")


def _lasso_trace(system: TransitionSystem, graph: StateGraph, prop: ir.Property,
                 lasso: Lasso) -> trace.Trace:
    states = [graph.states[n] for n in lasso.nodes]
    return trace.build(system, states, loop=len(lasso.prefix), property=prop.name,
                       kind=PropertyKind.TEMPORAL)


def _check_always(system: TransitionSystem, search: SearchResult,
                  prop: ir.Property) -> TemporalVerdict:
    graph = search.graph
    predicate = system.predicate(prop.expr)
    for node, state in enumerate(graph.states):  # ids are in BFS order: the first is the closest
        if not predicate(state):
            states = [graph.states[i] for i in graph.path_to(node)]
            t = trace.build(system, states, property=prop.name, kind=PropertyKind.TEMPORAL)
            return TemporalVerdict(prop, Status.VIOLATED, t, prefix=len(states))
    return _no_counterexample(prop, search)


def _no_counterexample(prop: ir.Property, search: SearchResult) -> TemporalVerdict:
    if search.complete:
        return TemporalVerdict(prop, Status.HOLDS)
    return TemporalVerdict(prop, Status.UNKNOWN, reason="the state space was not fully explored")


def _check_one(system: TransitionSystem, search: SearchResult, model: _Model,
               prop: ir.Property, deadline: Optional[float]) -> TemporalVerdict:
    """A quantified property holds when every instance does; the first violated instance (in
    the order of the binders' values) gives the counterexample."""
    unknown: Optional[TemporalVerdict] = None
    for label, instance in instances(prop):
        verdict = replace(_check_instance(system, search, model, instance, deadline), prop=prop)
        if verdict.status == Status.VIOLATED:
            return replace(verdict, instance=label)
        if verdict.status == Status.UNKNOWN and unknown is None:
            unknown = verdict
    return unknown or TemporalVerdict(prop, Status.HOLDS)


def _check_instance(system: TransitionSystem, search: SearchResult, model: _Model,
                    prop: ir.Property, deadline: Optional[float]) -> TemporalVerdict:
    if prop.temporal == TemporalOp.ALWAYS:
        return _check_always(system, search, prop)
    lasso = find_lasso(model.fair, goal(prop, system, model, search.graph), deadline)
    if lasso is None:
        return _no_counterexample(prop, search)
    t = _lasso_trace(system, search.graph, prop, lasso)
    return TemporalVerdict(prop, Status.VIOLATED, t, stutter=lasso.stutter,
                           prefix=len(lasso.prefix), cycle=len(lasso.cycle))


def check_temporal(system: TransitionSystem, search: SearchResult,
                   properties: Sequence[ir.Property], timeout: Optional[float] = None,
                   on_verdict: Optional[Callable[[TemporalVerdict, float], None]] = None
                   ) -> list[TemporalVerdict]:
    """A verdict for each temporal property, from a search that recorded the graph's edges.

    `timeout` (seconds) bounds the liveness work; properties not finished by then are unknown.
    `on_verdict` hears of each verdict as it is reached, with the seconds it took.
    """
    if not properties:
        return []
    deadline = time.monotonic() + timeout if timeout is not None else None
    try:
        model = _model(system, search)
    except KeyboardInterrupt:
        return interrupted_verdicts(properties)
    out: list[TemporalVerdict] = []
    for prop in properties:
        started = time.monotonic()
        try:
            out.append(_check_one(system, search, model, prop, deadline))
        except KeyboardInterrupt:  # what is finished stays; this one and the rest are unknown
            return out + interrupted_verdicts(properties[len(out):])
        except OutOfTime:
            out.append(TemporalVerdict(prop, Status.UNKNOWN, reason="the liveness check timed out"))
        except codegen.Fault as fault:
            out.append(TemporalVerdict(prop, Status.UNKNOWN,
                                       reason=f"evaluating the property failed: {fault.detail}"))
        if on_verdict is not None:
            on_verdict(out[-1], time.monotonic() - started)
    return out


def interrupted_verdicts(properties: Sequence[ir.Property]) -> list[TemporalVerdict]:
    """Unknown: Ctrl-C (or SIGTERM) stopped the search or the liveness check first."""
    return [TemporalVerdict(p, Status.UNKNOWN, reason="the liveness check was interrupted",
                            interrupted=True) for p in properties]
