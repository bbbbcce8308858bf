"""Type checking of what a spec says about behaviours: actions (parameters, guard, body),
properties (invariants, transition properties, constraints, temporal properties with their
binders, reachability witnesses) and fairness (on an action, a process or a group)."""

from __future__ import annotations

from typing import Optional

from checker import errors
from checker.errors import Note, Span, SpecError
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import FairnessKind, PropertyKind
from checker.lang import declarations as D
from checker.lang.check_pass import Pass
from checker.lang.scope import Primes, ProcInfo, Scope
from checker.lang.stmt_checker import StmtChecker


def action(p: Pass, d: D.Action, proc: Optional[ProcInfo]) -> None:
    name = f"{proc.name}.{d.name}" if proc else d.name
    p.declare(name, d.span, "action:")
    checker = p.checker
    scope = Scope(process=proc)
    params: list[ir.Param] = []
    if proc is not None and proc.index_type is not None:
        params.append(ir.Param("self", proc.index_type, tuple(T.values(proc.index_type)), d.span))
    for param in d.params:
        node, value = checker.constant(param.domain, Scope(state=False))
        if not isinstance(node.type, T.SetType):
            raise checker._mismatch("a set", node.type, param.domain.span, "parameter domain")
        params.append(ir.Param(param.name, node.type.elem, tuple(T.sort_values(value)),
                               param.span, node))
        scope = scope.bind(param.name, ir.Local(param.name, node.type.elem, param.span))
    guard = None
    if d.guard is not None:
        guard = checker.expect_bool(d.guard, scope, errors.NOT_BOOLEAN, "guard")
    body = checker.block(d.body.stmts, scope)
    p.ns.actions[name] = (len(p.actions), ir.Action(
        name, proc.name if proc else None, tuple(params), guard, body, d.fairness, d.span))
    p.actions.append(ir.Action(name, proc.name if proc else None, tuple(params), guard, body,
                               d.fairness, d.span))
    if d.fairness:
        p.fairness.append(ir.Fairness(d.fairness, (name,), d.span))


def property_(p: Pass, d: D.Invariant | D.Transition | D.Constraint | D.Temporal
              | D.Reachable) -> None:
    p.declare(d.name, d.span, "property:")
    checker = p.checker
    what = "property"
    if isinstance(d, D.Temporal):
        f = d.formula
        binders, scope = temporal_binders(checker, f.binders)
        left = checker.expect_bool(f.left, scope, errors.NOT_BOOLEAN, what)
        right = checker.expect_bool(f.right, scope, errors.NOT_BOOLEAN, what) \
            if f.right is not None else None
        p.properties.append(ir.Property(d.name, PropertyKind.TEMPORAL, d.doc, left, False,
                                        f.kind, right, d.span, binders))
        return
    if isinstance(d, D.Reachable):
        expr = checker.expect_bool(d.expr, Scope(enabled=True), errors.NOT_BOOLEAN, what)
        p.properties.append(ir.Property(d.name, PropertyKind.REACHABLE, d.doc, expr,
                                        span=d.span))
        return
    if isinstance(d, D.Transition):
        expr = checker.expect_bool(d.expr, Scope(primes=Primes.ALLOWED), errors.NOT_BOOLEAN, what)
        p.properties.append(ir.Property(d.name, PropertyKind.TRANSITION, d.doc, expr, span=d.span))
        return
    scope = Scope(enabled=isinstance(d, D.Invariant))
    expr = checker.expect_bool(d.expr, scope, errors.NOT_BOOLEAN, what)
    kind = PropertyKind.CONSTRAINT if isinstance(d, D.Constraint) else PropertyKind.INVARIANT
    helper = isinstance(d, D.Invariant) and d.helper
    p.properties.append(ir.Property(d.name, kind, d.doc, expr, helper, span=d.span))


def temporal_binders(checker: StmtChecker, binders: tuple[D.TemporalBinder, ...]
                     ) -> tuple[tuple[ir.PropertyBinder, ...], Scope]:
    """`forall p in S:` in front of a temporal property: S must be a constant set."""
    out: list[ir.PropertyBinder] = []
    scope = Scope(enabled=True)
    for b in binders:
        if any(x.var == b.var for x in out):
            raise SpecError(errors.DUPLICATE, f"'{b.var}' is bound twice", b.span)
        node, value = checker.constant(b.domain, Scope(state=False))
        if not isinstance(node.type, T.SetType):
            raise checker._mismatch("a set", node.type, b.domain.span, "domain")
        elem = node.type.elem
        out.append(ir.PropertyBinder(b.var, elem, node, tuple(T.sort_values(value)), b.span))
        scope = scope.bind(b.var, ir.Local(b.var, elem, b.span))
    return tuple(out), scope


def fair(p: Pass, kind: FairnessKind, target: tuple[str, ...], span: Span) -> None:
    name = ".".join(target)
    actions = _fair_actions(p, target, span)
    process = name if name in p.ns.processes else None
    p.fairness.append(ir.Fairness(kind, actions, span, process=process))


def fair_group(p: Pass, d: D.FairnessDecl) -> None:
    """`fair a or b;`: one condition on every binding of every action named (a process stands
    for all of its actions)."""
    actions: list[str] = []
    for target in (d.target,) + d.others:
        actions += [a for a in _fair_actions(p, target, d.span) if a not in actions]
    p.fairness.append(ir.Fairness(d.kind, tuple(actions), d.span, grouped=True))


def _fair_actions(p: Pass, target: tuple[str, ...], span: Span) -> tuple[str, ...]:
    name = ".".join(target)
    if name in p.ns.processes:
        actions = tuple(a.name for a in p.actions if a.process == name)
        if not actions:
            raise SpecError(errors.UNDEFINED, f"process '{name}' has no actions", span)
        return actions
    if any(a.name == name for a in p.actions):
        return (name,)
    known = [a.name for a in p.actions] + list(p.ns.processes)
    import difflib
    close = difflib.get_close_matches(name, known, n=1)
    notes = [Note(f"did you mean '{close[0]}'?")] if close else []
    raise SpecError(errors.UNDEFINED, f"no action or process named '{name}'", span, notes)
