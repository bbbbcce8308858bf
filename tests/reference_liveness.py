"""A naive judge of temporal properties under fairness, following TLA+'s definitions: written
from the IR and docs/liveness.md, with the reference interpreter's semantics of actions
(tests/reference_interpreter.py), independently of checker/explicit/liveness.py and lasso.py.

The behaviours of a spec are the infinite sequences of states that begin in an initial state
within the constraints and take, at each step, an action's step to a state within the
constraints or a stuttering step (the same state again). A fairness condition is a set of
action bindings U (docs/liveness.md: one per binding of a fair action, one per instance of a
fair process over all its actions, one for a group `fair a or b`):

- U is *enabled* in s when some binding in U has a step from s to another state, whether or not
  that state lies within the constraints (TLC's ENABLED ignores them);
- a step s -> t *is a U step* when t != s and some binding in U has the step s -> t;
- WF(U): if U is enabled from some point on forever, U steps occur infinitely often;
  SF(U): if U is enabled infinitely often, U steps occur infinitely often.

On a finite graph a behaviour ends in the set C of states it visits infinitely often, taking
the steps between them infinitely often; such a C is strongly connected (one state always is: it
stutters). The judge decides each property by asking whether some fair behaviour violates it:

| property      | a violating fair behaviour                                              |
| ------------- | ----------------------------------------------------------------------- |
| `<>P`         | starts in not-P and stays in not-P                                       |
| `[]<>P`       | reaches a set C of not-P states it stays in                              |
| `<>[]P`       | ends in a set C that contains a not-P state                              |
| `P ~> Q`      | reaches a P-and-not-Q state and stays in not-Q from there                |
| `[]P`         | reaches a not-P state (TLC checks `[]P` as an invariant: fairness aside) |

A candidate C is fair when, taking every step inside C, each WF(U) has U disabled somewhere in C
or a U step inside C, and each SF(U) has U disabled everywhere in C or a U step inside C. The
candidates are found on the strongly connected components (networkx) of the part of the graph
the behaviour must stay in: a component failing a WF condition contains no fair C (every subset
fails it too); a component failing an SF condition for U can only contain fair sets of states
where U is disabled, so those states are taken out and the rest split again.

`[]P` differs from its TLA+ meaning only where the fairness is not machine closed: under a
constraint, a fair action whose steps all leave the constraints leaves no fair way on from a
state, so in TLA+ no fair behaviour passes there; TLC, like checkmodel, still reports the state.

`check_lasso` checks a counterexample the engine printed against these definitions directly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import networkx as nx

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import FairnessKind, PropertyKind, TemporalOp
from tests import reference_interpreter as ref
from tests.reference_interpreter import SPEC, Binding, State, Undefined

HOLDS, VIOLATED = "holds", "violated"


@dataclass(frozen=True)
class Condition:
    """One fairness condition: weak or strong, over a set of action bindings."""

    strong: bool
    bindings: frozenset[Binding]


def conditions(spec: ir.Spec) -> list[Condition]:
    out = []
    indexed = {name for name, index in spec.processes if index is not None}
    for f in spec.fairness:
        members = [(k, tuple(params)) for k, a in enumerate(spec.actions) if a.name in f.actions
                   for params in itertools.product(*[p.domain for p in a.params])]
        if f.grouped:
            groups = [members]
        elif f.process is not None and f.process in indexed:  # one per instance: `self` first
            by_self: dict[Any, list[Binding]] = {}
            for b in members:
                by_self.setdefault(T.typed_key(b[1][0]), []).append(b)
            groups = list(by_self.values())
        elif f.process is not None:
            groups = [members]
        else:
            groups = [[b] for b in members]
        out += [Condition(f.kind == FairnessKind.STRONG, frozenset(g)) for g in groups]
    return out


@dataclass
class Graph:
    """The reachable states within the constraints, every binding's steps out of each (those
    leaving the constraints too) and the steps kept (both ends within the constraints)."""

    spec: ir.Spec
    initial: list[State]
    steps: dict[State, list[tuple[Binding, list[State]]]]
    kept: "nx.DiGraph[State]"


def build(spec: ir.Spec, max_states: int) -> Optional[Graph]:
    """The whole graph, or None when it has more than `max_states` states; raises `Undefined`
    when evaluating an action or a constraint fails somewhere."""
    initial = [s for s in dict.fromkeys(ref.initial_states(spec)) if ref.within(spec, s)]
    steps: dict[State, list[tuple[Binding, list[State]]]] = {}
    kept: "nx.DiGraph[State]" = nx.DiGraph()
    todo = list(initial)
    kept.add_nodes_from(initial)
    while todo:
        s = todo.pop()
        if s in steps:
            continue
        steps[s] = ref.binding_successors(spec, s)
        for _, targets in steps[s]:
            for t in targets:
                if t != s and ref.within(spec, t):
                    kept.add_edge(s, t)
                    if t not in steps:
                        todo.append(t)
        if len(steps) > max_states:
            return None
    return Graph(spec, initial, steps, kept)


def enabled(g: Graph, c: Condition, s: State) -> bool:
    return any(b in c.bindings and any(t != s for t in targets) for b, targets in g.steps[s])


def is_step(g: Graph, c: Condition, s: State, t: State) -> bool:
    return t != s and any(b in c.bindings and t in targets for b, targets in g.steps[s])


def fair_sets(g: Graph, conds: list[Condition], region: set[State]) -> list[set[State]]:
    """The maximal fair candidate sets C inside `region` (see the module's docstring)."""
    out: list[set[State]] = []
    for comp in nx.strongly_connected_components(g.kept.subgraph(region)):
        inner = [(s, t) for s in comp for t in g.kept.successors(s) if t in comp]
        taken = [any(is_step(g, c, s, t) for s, t in inner) for c in conds]
        if any(not c.strong and not ok and all(enabled(g, c, s) for s in comp)
               for c, ok in zip(conds, taken)):
            continue
        unmet = [c for c, ok in zip(conds, taken)
                 if c.strong and not ok and any(enabled(g, c, s) for s in comp)]
        if not unmet:
            out.append(set(comp))
            continue
        rest = {s for s in comp if not any(enabled(g, c, s) for c in unmet)}
        out += fair_sets(g, conds, rest)
    return out


def _reach(g: Graph, sources: Iterable[State], region: set[State]) -> set[State]:
    seen: set[State] = set()
    todo = [s for s in sources if s in region]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo += [t for t in g.kept.successors(s) if t in region and t not in seen]
    return seen


def _holds(g: Graph, e: ir.Expr, env: dict[str, Any]) -> set[State]:
    return {s for s in g.steps if ref.value(e, s, env)}


def _instance_violated(g: Graph, conds: list[Condition], prop: ir.Property,
                       env: dict[str, Any]) -> bool:
    everything = set(g.steps)
    p = _holds(g, prop.expr, env)
    op = prop.temporal
    if op == TemporalOp.EVENTUALLY:
        region = everything - p
        ends = set().union(*fair_sets(g, conds, region))
        return bool(_reach(g, g.initial, region) & ends)
    if op == TemporalOp.ALWAYS_EVENTUALLY:
        ends = set().union(*fair_sets(g, conds, everything - p))
        return bool(_reach(g, g.initial, everything) & ends)
    if op == TemporalOp.EVENTUALLY_ALWAYS:
        ends = set().union(*[c for c in fair_sets(g, conds, everything) if c - p])
        return bool(_reach(g, g.initial, everything) & ends)
    if op == TemporalOp.ALWAYS:  # as TLC: an invariant of the explored states
        return bool(_reach(g, g.initial, everything) - p)
    if op == TemporalOp.LEADS_TO:
        assert prop.right is not None
        region = everything - _holds(g, prop.right, env)
        starts = (_reach(g, g.initial, everything) & p) & region
        ends = set().union(*fair_sets(g, conds, region))
        return bool(_reach(g, starts, region) & ends)
    raise AssertionError(op)


def bindings_of(prop: ir.Property) -> list[dict[str, Any]]:
    """One environment per instance of a quantified property (the binders' values)."""
    return [{b.var: v for b, v in zip(prop.binders, combo)}
            for combo in itertools.product(*[b.values for b in prop.binders])]


def judge(g: Graph, prop: ir.Property) -> str:
    """holds / violated for a temporal property (quantified: violated if some instance is)."""
    assert prop.kind == PropertyKind.TEMPORAL
    conds = conditions(g.spec)
    violated = any(_instance_violated(g, conds, prop, {SPEC: g.spec, **env})
                   for env in bindings_of(prop))
    return VIOLATED if violated else HOLDS


def judge_all(spec: ir.Spec, max_states: int = 3000) -> Optional[dict[str, str]]:
    """Every temporal property's verdict; "error" for all when evaluation fails somewhere
    (actions, constraints or the properties); None when the graph is too large."""
    temporal = [p for p in spec.properties if p.kind == PropertyKind.TEMPORAL]
    try:
        g = build(spec, max_states)
        if g is None:
            return None
        return {p.name: judge(g, p) for p in temporal}
    except Undefined:
        return {p.name: "error" for p in temporal}


# ---------------------------------------------------------------- checking a counterexample


def check_lasso(spec: ir.Spec, prop: ir.Property, states: list[State],
                loop: Optional[int]) -> Optional[str]:
    """Why `states` (stepping back from the last to `loop`; None: a finite trace, for `[]P`) is
    not a fair behaviour of the spec violating `prop`, or None when it is one."""
    init = {s for s in ref.initial_states(spec) if ref.within(spec, s)}
    if not states or states[0] not in init:
        return "the first state is not an initial state within the constraints"
    closing = [(states[-1], states[loop])] if loop is not None else []
    pairs = list(zip(states, states[1:])) + closing
    for s, t in pairs:
        if t != s and not (t in ref.successors(spec, s) and ref.within(spec, t)):
            return f"no step from {s} to {t}"
    envs = [{SPEC: spec, **env} for env in bindings_of(prop)]
    if loop is None:
        if prop.temporal != TemporalOp.ALWAYS:
            return "a finite trace for a property that needs a lasso"
        if all(ref.value(prop.expr, states[-1], env) for env in envs):
            return "the last state satisfies the property in every instance"
        return None
    cycle, cycle_steps = states[loop:], pairs[loop:]
    g = Graph(spec, [], {s: ref.binding_successors(spec, s) for s in states}, nx.DiGraph())
    for c in conditions(spec):
        taken = any(is_step(g, c, s, t) for s, t in cycle_steps)
        on = [enabled(g, c, s) for s in cycle]
        if not taken and (any(on) if c.strong else all(on)):
            return f"unfair: a condition over {sorted(c.bindings)} is neglected"
    if not any(_lasso_violates(prop, states, loop, env) for env in envs):
        return "the behaviour satisfies the property"
    return None


def _lasso_violates(prop: ir.Property, states: list[State], loop: int,
                    env: dict[str, Any]) -> bool:
    p = [bool(ref.value(prop.expr, s, env)) for s in states]
    op = prop.temporal
    if op == TemporalOp.EVENTUALLY:
        return not any(p)
    if op == TemporalOp.ALWAYS_EVENTUALLY:
        return not any(p[loop:])
    if op == TemporalOp.EVENTUALLY_ALWAYS:
        return not all(p[loop:])
    if op == TemporalOp.ALWAYS:
        return not all(p)
    assert op == TemporalOp.LEADS_TO and prop.right is not None
    q = [bool(ref.value(prop.right, s, env)) for s in states]
    # from position i on, the behaviour visits states[i:] and then the cycle forever
    return any(p[i] and not q[i] and not any(q[min(i, loop):]) for i in range(len(states)))
