"""Declarations to a typed `ir.Spec`: name resolution, constants, types, variables and their
slots; actions, properties and fairness are checked by `behaviour`, the pass's state is
`check_pass.Pass`.

All independent mistakes are collected and raised together as `SpecErrors`.
"""

from __future__ import annotations

from functools import partial
from typing import Optional

from checker.ir.kinds import ConstSource
from checker import errors
from checker.ir import nodes as ir
from checker.lang import declarations as D
from checker.lang import syntax as s
from checker.ir import types as T
from checker.errors import ConfigError, Note, Span, SpecError
from checker.lang.load import Loaded
from checker.lang.scope import ProcInfo, Scope
from checker.lang.overrides import (Given, Override, override_error, spec_overrides,
                                     unknown_overrides)
from checker.lang import behaviour
from checker.lang.check_pass import Pass
from checker.lang.type_resolution import resolve_type


def check(loaded: Loaded, overrides: Optional[list[Override]] = None,
          check_deadlock: Optional[bool] = None) -> ir.Spec:
    """Type-check a loaded spec with command-line overrides; raise `SpecErrors` on mistakes."""
    p = Pass(loaded, overrides or [])
    decls = [d for m in loaded.modules for d in m.decls]
    spec_sets = spec_overrides(p.overrides, decls)
    for d in decls:
        if isinstance(d, (D.EnumDecl, D.ConstAtoms)):
            p.attempt(partial(_enum, p, d, spec_sets))
    for d in decls:
        if isinstance(d, D.TypeDecl):
            p.attempt(partial(p.declare, d.name, d.span))
    # type aliases are resolved when first used, so their bounds may name constants
    p.aliases.update({d.name: d for d in decls if isinstance(d, D.TypeDecl)})
    for d in decls:
        if isinstance(d, (D.Const, D.Switch)):
            p.attempt(partial(_constant, p, d, spec_sets))
    for d in decls:
        if isinstance(d, D.TypeDecl):
            p.attempt(partial(_alias, p, d, ()))
    p.errors.extend(unknown_overrides(p.overrides, decls))
    if p.errors:
        raise errors.SpecErrors(p.errors)
    for d in decls:
        if isinstance(d, D.Def):
            p.attempt(partial(_def, p, d, None))
        elif isinstance(d, D.VarDecl):
            p.attempt(partial(_var, p, d, None))
        elif isinstance(d, D.Process):
            p.attempt(partial(_process_vars, p, d))
    if p.errors:
        raise errors.SpecErrors(p.errors)
    for d in decls:
        if isinstance(d, D.Action):
            p.attempt(partial(behaviour.action, p, d, None))
        elif isinstance(d, D.Process):
            for a in d.actions:
                p.attempt(partial(behaviour.action, p, a, p.ns.processes[d.name]))
            if d.fairness:
                p.attempt(partial(behaviour.fair, p, d.fairness, (d.name,), d.span))
        elif isinstance(d, D.DeadlockSetting):
            p.deadlock = d.check
        elif isinstance(d, D.ContinueSetting):
            p.keep_going = d.keep_going
    for d in decls:  # after every action: a property may say `enabled(a)`
        if isinstance(d, (D.Invariant, D.Transition, D.Constraint, D.Temporal, D.Reachable)):
            p.attempt(partial(behaviour.property_, p, d))
    for d in decls:
        if isinstance(d, D.FairnessDecl):
            if d.others:
                p.attempt(partial(behaviour.fair_group, p, d))
            else:
                p.attempt(partial(behaviour.fair, p, d.kind, d.target, d.span))
    if not p.vars and not p.actions:
        p.errors.append(SpecError(errors.EMPTY_SPEC, "the spec declares no variables and no "
                                  "actions: there is nothing to check",
                                  Span(loaded.root.path, 1, 1, 1, 1)))
    if p.errors:
        raise errors.SpecErrors(p.errors)
    root = loaded.root
    return ir.Spec(
        name=root.name or root.path.rsplit("/", 1)[-1].removesuffix(".spec"),
        path=root.path, vars=tuple(p.vars), actions=tuple(p.actions),
        properties=tuple(p.properties), constants=tuple(p.ns.constants.values()),
        fairness=tuple(p.fairness),
        processes=tuple((n, i.index_type) for n, i in p.ns.processes.items()),
        check_deadlock=p.deadlock if check_deadlock is None else check_deadlock,
        sources=dict(loaded.sources), keep_going=p.keep_going)


# ---------------------------------------------------------------- types, constants


def _enum(p: Pass, d: D.EnumDecl | D.ConstAtoms,
          sets: Given) -> None:
    p.declare(d.name, d.span)
    members = d.members if isinstance(d, D.EnumDecl) else d.atoms
    symbolic = isinstance(d, D.ConstAtoms)
    if symbolic and d.name in sets:
        value, _, span = sets[d.name]
        if not (isinstance(value, s.SetLit) and all(isinstance(x, s.Name) for x in value.elems)):
            raise override_error(p.overrides, d.name, span,
                                  f"'{d.name}' is a set of symbolic values: give it as "
                                  "{a, b, c}")
        members = tuple(x.name for x in value.elems)  # type: ignore[union-attr]
        twice = sorted({m for m in members if members.count(m) > 1})
        if twice:
            raise override_error(p.overrides, d.name, span,
                                 f"'{twice[0]}' is given twice in the value of '{d.name}'")
    enum = T.EnumType(d.name, tuple(members), symbolic)
    p.ns.types[d.name] = enum
    for i, m in enumerate(members):
        p.declare(m, d.span)
        p.ns.members[m] = (enum, i)
    if symbolic:
        p.ns.constants[d.name] = ir.Constant(d.name, T.SetType(enum), frozenset(range(len(members))),
                                             False, None, sets.get(d.name, (None, ConstSource.DEFAULT))[1],
                                             d.span, assumed=isinstance(d, D.ConstAtoms) and d.assumed)


def _alias(p: Pass, d: D.TypeDecl, stack: tuple[str, ...]) -> None:
    if d.name in p.ns.types:
        return
    if d.name in stack:
        raise SpecError(errors.DUPLICATE, f"type '{d.name}' is defined in terms of itself", d.span)
    p.ns.types[d.name] = resolve_type(
        p.checker, d.type, lambda name, span: _named_type(p, name, span, stack + (d.name,)))


def _named_type(p: Pass, name: str, span: Span, stack: tuple[str, ...] = ()) -> T.Type:
    if name not in p.ns.types and name in p.aliases:
        _alias(p, p.aliases[name], stack)
    if name in p.ns.types:
        return p.ns.types[name]
    raise p.checker._undefined(name, span, "type")


def _type(p: Pass, t: s.TypeExpr) -> T.Type:
    return resolve_type(p.checker, t, lambda n, sp: _named_type(p, n, sp))


def _inline_enums(p: Pass, t: s.TypeExpr, owner: str, span: Span) -> None:
    """`switch mode: {a, b} = a;` declares the enumeration {a, b} on the spot."""
    if isinstance(t, s.TEnum) and not all(m in p.ns.members for m in t.members):
        enum = T.EnumType(owner, t.members)
        for i, m in enumerate(t.members):
            p.declare(m, span)
            p.ns.members[m] = (enum, i)


def _constant(p: Pass, d: D.Const | D.Switch,
              sets: Given) -> None:
    p.declare(d.name, d.span)
    _inline_enums(p, d.type, d.name, d.span)
    t = _type(p, d.type)
    is_switch = isinstance(d, D.Switch)
    scalar = (T.BoolType, T.IntType, T.EnumType)
    if not isinstance(t, scalar) and not (
            not is_switch and isinstance(t, T.SetType) and isinstance(t.elem, scalar)
            and T.is_finite(t.elem)):
        what = ("switch must be a bool, an integer or an enumeration" if is_switch else
                "constant must be a bool, an integer, an enumeration or a set of those")
        raise SpecError(errors.TYPE_MISMATCH, f"a {what}, not {t}", d.type.span)
    expr, source, span = d.value, ConstSource.DEFAULT, d.span
    if d.name in sets:
        expr, source, span = sets[d.name]
    checker = p.checker
    try:
        node, value = checker.constant(expr, expected=t)
    except SpecError as error:
        if source == ConstSource.COMMAND_LINE:
            raise ConfigError(error.code, f"--{'set' if is_switch else 'const'} {d.name}: "
                              f"{error.message}", None) from None
        raise
    if not T.compatible(node.type, t) or not T.contains(t, value):
        message = f"value {T.format_value(node.type, value)} is not in the domain {t} of " \
            f"'{d.name}'" if T.compatible(node.type, t) else \
            f"'{d.name}' takes a value of type {t}, not one of type {node.type}"
        if source == ConstSource.COMMAND_LINE:
            raise ConfigError(errors.BAD_OVERRIDE, message, None,
                              [Note("declared here", d.span)])
        raise SpecError(errors.BAD_OVERRIDE, message, span, [Note("declared here", d.span)])
    where: Optional[ir.Expr] = None
    constant = ir.Constant(d.name, t, value, is_switch, None, source, d.span, node, d.assumed)
    p.ns.constants[d.name] = constant
    if isinstance(d, D.Const) and d.where is not None:
        where, holds = checker.constant(d.where)
        if holds is not True:
            shown = T.format_value(t, value)
            raise override_error(p.overrides, d.name, span,
                                  f"{d.name} = {shown} violates its condition") \
                if source != ConstSource.DEFAULT else SpecError(
                    errors.BAD_OVERRIDE, f"the default {d.name} = {shown} violates its "
                    "condition", d.where.span)
        p.ns.constants[d.name] = ir.Constant(d.name, t, value, False, where, source, d.span,
                                             node, d.assumed)


# ---------------------------------------------------------------- variables, operators


def _def(p: Pass, d: D.Def, proc: Optional[str]) -> None:
    p.declare(d.name, d.span)
    p.ns.defs[d.name] = d
    p.ns.def_process[d.name] = proc


def _var(p: Pass, d: D.VarDecl, proc: Optional[ProcInfo]) -> None:
    qualified = f"{proc.name}.{d.name}" if proc else d.name
    p.declare(qualified, d.span)
    t = _type(p, d.type)
    if not T.is_finite(t):
        raise SpecError(errors.UNBOUNDED, f"variable '{d.name}' needs a finite type, not {t}",
                        d.type.span, [Note("use a range such as 0..10")])
    checker = p.checker
    # an initial value may read the variables declared before this one (as `y = x` in PlusCal)
    scope = Scope(process=proc if proc is not None and proc.index_type is not None else None)
    if d.init_in:
        init = checker.expect(d.init, scope, T.SetType(t), "initial values")
    else:
        init = checker.expect(d.init, scope, t, "initial value")
    stored = t if proc is None or proc.index_type is None else T.MapType(proc.index_type, t)
    slot = len(p.vars)
    var = ir.Var(slot, qualified, stored, False, d.span)
    p.vars.append(ir.StateVar(qualified, stored, init, d.init_in, proc.name if proc else None,
                              d.span))
    if proc is None:
        p.ns.vars[d.name] = var
    else:
        p.ns.process_vars.setdefault(proc.name, {})[d.name] = var


def _index_type(elem: T.Type, value: frozenset[T.Value], span: Span) -> T.Type:
    """The type of a process index: its set must be a whole type or a range lo..hi (there is one
    process instance per value of the type, so `{1, 3}` would also make an instance 2)."""
    if value == frozenset(T.values(elem)):
        return elem
    if isinstance(elem, T.IntType) and value and value == frozenset(range(min(value),
                                                                          max(value) + 1)):
        return T.IntType(min(value), max(value))
    shown = T.format_value(T.SetType(elem), value)
    raise SpecError(errors.TYPE_MISMATCH,
                    f"a process index must range over a whole type or a range lo..hi, not {shown}",
                    span, [Note("an enumeration, a `const S = {a, b}` set, bool, or lo..hi")])


def _process_vars(p: Pass, d: D.Process) -> None:
    p.declare(d.name, d.span)
    index_type: Optional[T.Type] = None
    index_name: Optional[str] = None
    if d.index is not None:
        node, value = p.checker.constant(d.index.domain)
        assert isinstance(node.type, T.SetType)
        index_type = node.type.elem
        index_name = d.index.name
        if not isinstance(index_type, (T.EnumType, T.IntType, T.BoolType)):
            raise SpecError(errors.TYPE_MISMATCH,
                            f"a process index must range over an enumeration or a range, "
                            f"not {index_type}", d.index.span)
        index_type = _index_type(index_type, value, d.index.span)
    info = ProcInfo(d.name, index_name, index_type, d.span)
    p.ns.processes[d.name] = info
    p.ns.process_vars.setdefault(d.name, {})
    for v in d.vars:
        p.attempt(partial(_var, p, v, info))
    for f in d.defs:
        p.attempt(partial(_def, p, f, d.name))
