"""Typed IR to a `TransitionSystem`: actions and properties become generated Python functions.

One function computes all successors of a state (actions in declaration order, parameters in
domain order, branches in source order; each action's code is written by
`action_code.ActionWriter`); a twin also returns the action label of each successor, used only
to rebuild traces. Properties, constraints and initial values are compiled here.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from checker import errors
from checker.errors import Note
from checker.ir.kinds import PropertyKind
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.codegen import Emitter, Frame
from checker.explicit.action_code import ActionWriter
from checker.explicit.action_code import may_leave_keys as may_leave_keys  # array/stmt.py reads it
from checker.explicit.system import TransitionSystem


# ---------------------------------------------------------------- the whole system


def compile_spec(spec: ir.Spec) -> TransitionSystem:
    """Generate and load the Python code of a spec's actions and properties."""
    em = Emitter()
    source = ["def successors(s):", "    out = []"]
    labeled = ["def labeled_successors(s):", "    out = []"]
    for k, action in enumerate(spec.actions):
        source += ActionWriter(em, k, False).action(action)
        labeled += ActionWriter(em, k, True).action(action)
    source.append("    return out")
    labeled.append("    return out")
    checks = _property_functions(spec, em)
    text = "\n".join(source + [""] + labeled + [""] + checks) + "\n"
    code = compile(text, f"<compiled {spec.path}>", "exec")
    exec(code, em.namespace)  # noqa: S102 - source generated from the typed IR
    ns = em.namespace
    ns["_enabled"] = _enabled_function(ns["labeled_successors"])
    return TransitionSystem(
        spec=spec,
        initial=_initial_states(spec, em),
        successors=ns["successors"],
        labeled_successors=ns["labeled_successors"],
        violated_invariants=ns["violated_invariants"],
        violated_transitions=ns["violated_transitions"],
        within_constraints=ns["within_constraints"],
        invariants=tuple(p for p in spec.properties if p.kind == PropertyKind.INVARIANT),
        transitions=tuple(p for p in spec.properties if p.kind == PropertyKind.TRANSITION),
        sites=tuple(em.sites),
        source=text,
        predicate=lambda e: _predicate(e, em),
    )


def _enabled_function(labeled: Callable[[Any], Any]) -> Callable[[int, Any, tuple[Any, ...]], bool]:
    """`enabled(a)` in a state: some binding of action `k` whose parameters begin with `fixed`
    has a successor (TLA+'s ENABLED: a step that changes nothing counts too)."""
    def enabled(k: int, state: Any, fixed: tuple[Any, ...]) -> bool:
        n = len(fixed)
        return any(label[0] == k and T.identical(label[1][:n], fixed)
                   for label, _ in labeled(state))
    return enabled


def _property_functions(spec: ir.Spec, em: Emitter) -> list[str]:
    """`violated_invariants(s, selected)` and `violated_transitions(s, t, selected)`: the indexes
    of every selected property the state (the step) violates, in declaration order. As in
    TLA+'s `[][P]_vars`, a stuttering step (one that changes no variable) violates none."""
    lines = ["def violated_invariants(s, selected):", "    out = []"]
    invariants = [p for p in spec.properties if p.kind == PropertyKind.INVARIANT]
    for i, p in enumerate(invariants):
        lines.append(f"    if {i} in selected and not ({codegen.expr(p.expr, Frame('s'), em)}): "
                     f"out.append({i})")
    lines.append("    return out")
    # [][P]_vars: a step that changes no variable satisfies P (and P is not evaluated on it)
    lines.append("def violated_transitions(s, t, selected):")
    lines.append("    if s == t: return []")
    lines.append("    out = []")
    transitions = [p for p in spec.properties if p.kind == PropertyKind.TRANSITION]
    for i, p in enumerate(transitions):
        lines.append(f"    if {i} in selected and not "
                     f"({codegen.expr(p.expr, Frame('s', 't'), em)}): out.append({i})")
    lines.append("    return out")
    constraints = [p for p in spec.properties if p.kind == PropertyKind.CONSTRAINT]
    body = " and ".join(f"({codegen.expr(p.expr, Frame('s'), em)})" for p in constraints)
    lines.append("def within_constraints(s):")
    lines.append(f"    return {body or 'True'}")
    return lines


def _predicate(e: ir.Expr, em: Emitter) -> Callable[[Any], Any]:
    """A state function for one expression (used by liveness checking and explanations)."""
    source = f"lambda s: {codegen.expr(e, Frame('s'), em)}"
    return eval(source, em.namespace)  # type: ignore[no-any-return]  # noqa: S307


def _initial_states(spec: ir.Spec, em: Emitter) -> list[tuple[Any, ...]]:
    """Every combination of the variables' initial values, in declaration order; an initial
    value may read the variables declared before it. A value outside its variable's domain or
    an undefined operation is an `EvaluationError`; no initial state at all is a `SpecError`."""
    indexed = {name: index for name, index in spec.processes if index is not None}
    partials: list[list[Any]] = [[]]
    for var in spec.vars:
        if var.process in indexed:
            keys = list(T.values(indexed[var.process]))
            inits = [_state_function(var.init, Frame("s").bind("self", em.const(k)), em)
                     for k in keys]
        else:
            inits = [_state_function(var.init, Frame("s"), em)]
        grown: list[list[Any]] = []
        for partial in partials:
            element = var.type.value if var.process in indexed and isinstance(var.type, T.MapType) \
                else var.type
            per_index = [_initial_values(var, element, f, partial, spec, em) for f in inits]
            if var.process in indexed:
                choices = [tuple(c) for c in itertools.product(*per_index)]
            else:
                choices = per_index[0]
            grown.extend(partial + [c] for c in choices)
        if not grown:
            raise errors.SpecError(errors.NO_INITIAL_STATE, f"the spec has no initial state: "
                                   f"'{var.name}' has no initial value", var.span)
        partials = grown
    return [tuple(p) for p in partials]


def _initial_values(var: ir.StateVar, element: T.Type, init: Callable[[Any], Any],
                    partial: list[Any], spec: ir.Spec, em: Emitter) -> list[Any]:
    """The initial values of one variable (of one process instance) given the earlier ones."""
    before = [Note("in the initial state with " + ", ".join(
        f"{v.name} = {T.format_value(v.type, x)}" for v, x in zip(spec.vars, partial)))] \
        if partial else []
    try:
        values = T.sort_values(init(partial)) if var.init_in else [init(partial)]
    except codegen.Fault as fault:
        raise em.sites[fault.site].error(fault.detail, before) from None
    for value in values:
        if not T.contains(element, value):
            raise errors.EvaluationError(
                errors.DOMAIN, f"the initial value {T.format_value(element, value)} of "
                f"'{var.name}' is outside its domain {element}", var.span, before)
    return values


def _state_function(e: ir.Expr, frame: Frame, em: Emitter) -> Callable[[Any], Any]:
    source = f"lambda s: {codegen.expr(e, frame, em)}"
    return eval(source, em.namespace)  # type: ignore[no-any-return]  # noqa: S307
