"""Declarations to a typed `ir.Spec`: name resolution, constants, types, slots, actions, properties.

All independent mistakes are collected and raised together as `SpecErrors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Optional

from checker.ir.kinds import ConstSource, FairnessKind, PropertyKind
from checker import errors
from checker.ir import nodes as ir
from checker.lang import syntax as s
from checker.ir import types as T
from checker.errors import ConfigError, Note, SpecError
from checker.lang.load import Loaded
from checker.lang.scope import Namespace, Primes, ProcInfo, Scope
from checker.lang.stmt_checker import StmtChecker


@dataclass(frozen=True)
class Override:
    """A value for a constant or switch given on the command line (`--const`, `--set`)."""

    name: str
    value: s.Expr
    switch: bool  # given with --set (a switch) rather than --const


@dataclass
class _Pass:
    loaded: Loaded
    overrides: list[Override]
    ns: Namespace = field(default_factory=Namespace)
    errors: list[SpecError] = field(default_factory=list)
    declared: dict[str, s.Span] = field(default_factory=dict)
    vars: list[ir.StateVar] = field(default_factory=list)
    actions: list[ir.Action] = field(default_factory=list)
    properties: list[ir.Property] = field(default_factory=list)
    fairness: list[ir.Fairness] = field(default_factory=list)
    deadlock: bool = True
    keep_going: bool = False
    aliases: dict[str, s.TypeDecl] = field(default_factory=dict)

    @property
    def checker(self) -> StmtChecker:
        return StmtChecker(self.ns)

    def attempt(self, work: Callable[[], None]) -> None:
        try:
            work()
        except errors.SpecErrors as many:
            self.errors.extend(many.errors)
        except SpecError as error:
            self.errors.append(error)

    def declare(self, name: str, span: s.Span, space: str = "") -> None:
        key = space + name
        if key in self.declared:
            raise SpecError(errors.DUPLICATE, f"'{name}' is declared twice", span,
                            [Note("first declared here", self.declared[key])])
        self.declared[key] = span


def check(loaded: Loaded, overrides: Optional[list[Override]] = None,
          check_deadlock: Optional[bool] = None) -> ir.Spec:
    """Type-check a loaded spec with command-line overrides; raise `SpecErrors` on mistakes."""
    p = _Pass(loaded, overrides or [])
    decls = [d for m in loaded.modules for d in m.decls]
    spec_sets = _spec_overrides(p, decls)
    for d in decls:
        if isinstance(d, (s.EnumDecl, s.ConstAtoms)):
            p.attempt(partial(_enum, p, d, spec_sets))
    for d in decls:
        if isinstance(d, s.TypeDecl):
            p.attempt(partial(p.declare, d.name, d.span))
    # type aliases are resolved when first used, so their bounds may name constants
    p.aliases.update({d.name: d for d in decls if isinstance(d, s.TypeDecl)})
    for d in decls:
        if isinstance(d, (s.Const, s.Switch)):
            p.attempt(partial(_constant, p, d, spec_sets))
    for d in decls:
        if isinstance(d, s.TypeDecl):
            p.attempt(partial(_alias, p, d, ()))
    _unknown_overrides(p, decls, spec_sets)
    if p.errors:
        raise errors.SpecErrors(p.errors)
    for d in decls:
        if isinstance(d, s.Def):
            p.attempt(partial(_def, p, d, None))
        elif isinstance(d, s.VarDecl):
            p.attempt(partial(_var, p, d, None))
        elif isinstance(d, s.Process):
            p.attempt(partial(_process_vars, p, d))
    if p.errors:
        raise errors.SpecErrors(p.errors)
    for d in decls:
        if isinstance(d, s.Action):
            p.attempt(partial(_action, p, d, None))
        elif isinstance(d, s.Process):
            for a in d.actions:
                p.attempt(partial(_action, p, a, p.ns.processes[d.name]))
            if d.fairness:
                p.attempt(partial(_fair, p, d.fairness, (d.name,), d.span))
        elif isinstance(d, (s.Invariant, s.Transition, s.Constraint, s.Temporal)):
            p.attempt(partial(_property, p, d))
        elif isinstance(d, s.DeadlockSetting):
            p.deadlock = d.check
        elif isinstance(d, s.ContinueSetting):
            p.keep_going = d.keep_going
    for d in decls:
        if isinstance(d, s.FairnessDecl):
            p.attempt(partial(_fair, p, d.kind, d.target, d.span))
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


# ---------------------------------------------------------------- overrides


def _spec_overrides(p: _Pass, decls: list[s.Decl]) -> dict[str, tuple[s.Expr, ConstSource, s.Span]]:
    """`set NAME = e;` in the files, then the command line on top: name -> (value, source, span)."""
    out: dict[str, tuple[s.Expr, ConstSource, s.Span]] = {}
    for d in decls:
        if isinstance(d, s.SetOverride):
            out[d.name] = (d.value, ConstSource.SPEC, d.span)
    for o in p.overrides:
        out[o.name] = (o.value, ConstSource.COMMAND_LINE, o.value.span)
    return out


def _unknown_overrides(p: _Pass, decls: list[s.Decl],
                       sets: dict[str, tuple[s.Expr, ConstSource, s.Span]]) -> None:
    known: dict[str, s.Const | s.Switch | s.ConstAtoms] = {
        d.name: d for d in decls if isinstance(d, (s.Const, s.Switch, s.ConstAtoms))}
    names = sorted(known)
    for o in p.overrides:
        d = known.get(o.name)
        if d is None:
            hint = [Note("constants and switches: " + ", ".join(names))] if names else []
            p.errors.append(ConfigError(errors.BAD_OVERRIDE,
                                        f"no constant or switch named '{o.name}'", None, hint))
        elif o.switch != isinstance(d, s.Switch):
            flag = "--set" if isinstance(d, s.Switch) else "--const"
            kind = "a switch" if isinstance(d, s.Switch) else "a constant"
            p.errors.append(ConfigError(errors.BAD_OVERRIDE,
                                        f"'{o.name}' is {kind}: give it with {flag}", None,
                                        [Note("declared here", d.span)]))
    for decl in decls:
        if isinstance(decl, s.SetOverride) and decl.name not in known:
            p.errors.append(SpecError(errors.BAD_OVERRIDE,
                                      f"`set` names no constant or switch: '{decl.name}'", decl.span))


# ---------------------------------------------------------------- types, constants


def _enum(p: _Pass, d: s.EnumDecl | s.ConstAtoms,
          sets: dict[str, tuple[s.Expr, ConstSource, s.Span]]) -> None:
    p.declare(d.name, d.span)
    members = d.members if isinstance(d, s.EnumDecl) else d.atoms
    symbolic = isinstance(d, s.ConstAtoms)
    if symbolic and d.name in sets:
        value, _, span = sets[d.name]
        if not (isinstance(value, s.SetLit) and all(isinstance(x, s.Name) for x in value.elems)):
            raise _override_error(p, d.name, span,
                                  f"'{d.name}' is a set of symbolic values: give it as "
                                  "{a, b, c}")
        members = tuple(x.name for x in value.elems)  # type: ignore[union-attr]
    enum = T.EnumType(d.name, tuple(members), symbolic)
    p.ns.types[d.name] = enum
    for i, m in enumerate(members):
        p.declare(m, d.span)
        p.ns.members[m] = (enum, i)
    if symbolic:
        p.ns.constants[d.name] = ir.Constant(d.name, T.SetType(enum), frozenset(range(len(members))),
                                             False, None, sets.get(d.name, (None, ConstSource.DEFAULT))[1],
                                             d.span)


def _override_error(p: _Pass, name: str, span: s.Span, message: str) -> SpecError:
    if any(o.name == name for o in p.overrides):
        return ConfigError(errors.BAD_OVERRIDE, message, None)
    return SpecError(errors.BAD_OVERRIDE, message, span)


def _alias(p: _Pass, d: s.TypeDecl, stack: tuple[str, ...]) -> None:
    if d.name in p.ns.types:
        return
    if d.name in stack:
        raise SpecError(errors.DUPLICATE, f"type '{d.name}' is defined in terms of itself", d.span)
    p.ns.types[d.name] = resolve_type(
        p.checker, d.type, lambda name, span: _named_type(p, name, span, stack + (d.name,)))


def _named_type(p: _Pass, name: str, span: s.Span, stack: tuple[str, ...] = ()) -> T.Type:
    if name not in p.ns.types and name in p.aliases:
        _alias(p, p.aliases[name], stack)
    if name in p.ns.types:
        return p.ns.types[name]
    raise p.checker._undefined(name, span, "type")


def resolve_type(checker: StmtChecker, t: s.TypeExpr,
                 named: Callable[[str, s.Span], T.Type]) -> T.Type:
    """A type expression to a type; range bounds and capacities are constant expressions."""
    def sub(x: s.TypeExpr) -> T.Type:
        return resolve_type(checker, x, named)

    if isinstance(t, s.TBool):
        return T.BOOL
    if isinstance(t, s.TInt):
        return T.INT
    if isinstance(t, s.TRange):
        lo_node, lo = _int_const(checker, t.lo)
        hi_node, hi = _int_const(checker, t.hi)
        if hi < lo:
            raise SpecError(errors.TYPE_MISMATCH, f"empty range {lo}..{hi}", t.span)
        return T.IntType(lo, hi, lo_node, hi_node)
    if isinstance(t, s.TNamed):
        return named(t.name, t.span)
    if isinstance(t, s.TEnum):
        found = {checker.ns.members[m][0] for m in t.members if m in checker.ns.members}
        if len(found) == 1:
            enum = found.pop()
            if set(enum.members) == set(t.members):
                return enum
        raise SpecError(errors.UNDEFINED, "an inline enumeration must be declared first",
                        t.span)
    if isinstance(t, s.TSet):
        return T.SetType(sub(t.elem))
    if isinstance(t, s.TMap):
        key = sub(t.key)
        if not isinstance(key, (T.BoolType, T.EnumType, T.IntType)) or not T.is_finite(key):
            raise SpecError(errors.UNBOUNDED,
                            f"a map key must be bool, an enumeration or a bounded range, not {key}",
                            t.key.span)
        return T.MapType(key, sub(t.value))
    if isinstance(t, s.TSeq):
        capacity_node, capacity = _int_const(checker, t.capacity)
        if capacity < 0:
            raise SpecError(errors.TYPE_MISMATCH, "a capacity cannot be negative", t.capacity.span)
        return T.SeqType(sub(t.elem), capacity, t.bag, capacity_node)
    assert isinstance(t, s.TRecord)
    names = [n for n, _ in t.fields]
    for n in names:
        if names.count(n) > 1:
            raise SpecError(errors.DUPLICATE, f"field '{n}' declared twice", t.span)
    return T.record({n: sub(x) for n, x in t.fields})


def _int_const(checker: StmtChecker, e: s.Expr) -> tuple[ir.Expr, int]:
    """A constant integer and the expression it was written as (kept for symbolic proofs)."""
    node, value = checker.constant(e)
    if not isinstance(node.type, T.IntType):
        raise checker._mismatch("an integer", node.type, e.span)
    return node, int(value)


def _type(p: _Pass, t: s.TypeExpr) -> T.Type:
    return resolve_type(p.checker, t, lambda n, sp: _named_type(p, n, sp))


def _inline_enums(p: _Pass, t: s.TypeExpr, owner: str, span: s.Span) -> None:
    """`switch mode: {a, b} = a;` declares the enumeration {a, b} on the spot."""
    if isinstance(t, s.TEnum) and not all(m in p.ns.members for m in t.members):
        enum = T.EnumType(owner, t.members)
        for i, m in enumerate(t.members):
            p.declare(m, span)
            p.ns.members[m] = (enum, i)


def _constant(p: _Pass, d: s.Const | s.Switch,
              sets: dict[str, tuple[s.Expr, ConstSource, s.Span]]) -> None:
    p.declare(d.name, d.span)
    _inline_enums(p, d.type, d.name, d.span)
    t = _type(p, d.type)
    is_switch = isinstance(d, s.Switch)
    if not isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        raise SpecError(errors.TYPE_MISMATCH,
                        f"a {'switch' if is_switch else 'constant'} must be a bool, an integer or "
                        f"an enumeration, not {t}", d.type.span)
    expr, source, span = d.value, ConstSource.DEFAULT, d.span
    if d.name in sets:
        expr, source, span = sets[d.name]
    checker = p.checker
    try:
        node, value = checker.constant(expr)
    except SpecError as error:
        if source == ConstSource.COMMAND_LINE:
            raise ConfigError(error.code, f"--{'set' if is_switch else 'const'} {d.name}: "
                              f"{error.message}", None) from None
        raise
    if not T.compatible(node.type, t) or not T.contains(t, value):
        shown = T.format_value(node.type, value) if T.compatible(node.type, t) else str(node.type)
        message = f"value {shown} is not in the domain {t} of '{d.name}'"
        if source == ConstSource.COMMAND_LINE:
            raise ConfigError(errors.BAD_OVERRIDE, message, None,
                              [Note("declared here", d.span)])
        raise SpecError(errors.BAD_OVERRIDE, message, span, [Note("declared here", d.span)])
    where: Optional[ir.Expr] = None
    constant = ir.Constant(d.name, t, value, is_switch, None, source, d.span, node)
    p.ns.constants[d.name] = constant
    if isinstance(d, s.Const) and d.where is not None:
        where, holds = checker.constant(d.where)
        if holds is not True:
            shown = T.format_value(t, value)
            raise _override_error(p, d.name, span,
                                  f"{d.name} = {shown} violates its condition") \
                if source != ConstSource.DEFAULT else SpecError(
                    errors.BAD_OVERRIDE, f"the default {d.name} = {shown} violates its "
                    "condition", d.where.span)
        p.ns.constants[d.name] = ir.Constant(d.name, t, value, False, where, source, d.span,
                                             node)


# ---------------------------------------------------------------- variables, operators


def _def(p: _Pass, d: s.Def, proc: Optional[str]) -> None:
    p.declare(d.name, d.span)
    p.ns.defs[d.name] = d
    p.ns.def_process[d.name] = proc


def _var(p: _Pass, d: s.VarDecl, proc: Optional[ProcInfo]) -> None:
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


def _process_vars(p: _Pass, d: s.Process) -> None:
    p.declare(d.name, d.span)
    index_type: Optional[T.Type] = None
    index_name: Optional[str] = None
    if d.index is not None:
        node, _ = p.checker.constant(d.index.domain)
        assert isinstance(node.type, T.SetType)
        index_type = node.type.elem
        index_name = d.index.name
        if not isinstance(index_type, (T.EnumType, T.IntType, T.BoolType)):
            raise SpecError(errors.TYPE_MISMATCH,
                            f"a process index must range over an enumeration or a range, "
                            f"not {index_type}", d.index.span)
    info = ProcInfo(d.name, index_name, index_type, d.span)
    p.ns.processes[d.name] = info
    p.ns.process_vars.setdefault(d.name, {})
    for v in d.vars:
        p.attempt(partial(_var, p, v, info))
    for f in d.defs:
        p.attempt(partial(_def, p, f, d.name))


# ---------------------------------------------------------------- actions, properties


def _action(p: _Pass, d: s.Action, proc: Optional[ProcInfo]) -> None:
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
    p.actions.append(ir.Action(name, proc.name if proc else None, tuple(params), guard, body,
                               d.fairness, d.span))
    if d.fairness:
        p.fairness.append(ir.Fairness(d.fairness, (name,), d.span))


def _property(p: _Pass, d: s.Invariant | s.Transition | s.Constraint | s.Temporal) -> None:
    p.declare(d.name, d.span, "property:")
    checker = p.checker
    what = "property"
    if isinstance(d, s.Temporal):
        f = d.formula
        left = checker.expect_bool(f.left, Scope(), errors.NOT_BOOLEAN, what)
        right = checker.expect_bool(f.right, Scope(), errors.NOT_BOOLEAN, what) \
            if f.right is not None else None
        p.properties.append(ir.Property(d.name, PropertyKind.TEMPORAL, d.doc, left, False, f.kind, right,
                                        d.span))
        return
    if isinstance(d, s.Transition):
        expr = checker.expect_bool(d.expr, Scope(primes=Primes.ALLOWED), errors.NOT_BOOLEAN, what)
        p.properties.append(ir.Property(d.name, PropertyKind.TRANSITION, d.doc, expr, span=d.span))
        return
    expr = checker.expect_bool(d.expr, Scope(), errors.NOT_BOOLEAN, what)
    kind = PropertyKind.CONSTRAINT if isinstance(d, s.Constraint) else PropertyKind.INVARIANT
    helper = isinstance(d, s.Invariant) and d.helper
    p.properties.append(ir.Property(d.name, kind, d.doc, expr, helper, span=d.span))


def _fair(p: _Pass, kind: FairnessKind, target: tuple[str, ...], span: s.Span) -> None:
    name = ".".join(target)
    if name in p.ns.processes:
        actions = tuple(a.name for a in p.actions if a.process == name)
        if not actions:
            raise SpecError(errors.UNDEFINED, f"process '{name}' has no actions", span)
        p.fairness.append(ir.Fairness(kind, actions, span, process=name))
        return
    if any(a.name == name for a in p.actions):
        p.fairness.append(ir.Fairness(kind, (name,), span))
        return
    known = [a.name for a in p.actions] + list(p.ns.processes)
    import difflib
    close = difflib.get_close_matches(name, known, n=1)
    notes = [Note(f"did you mean '{close[0]}'?")] if close else []
    raise SpecError(errors.UNDEFINED, f"no action or process named '{name}'", span, notes)
