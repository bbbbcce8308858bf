"""Action bodies executed symbolically: one `Instance` per action and binding of its parameters.

Statements update a symbolic state; `if` merges its branches with `ite`; `either`, `choose` and
receiving from a bag pick with a fresh integer (a *choice*), so one formula covers every path;
`await` and blocked channels strengthen the path condition. The result per instance: when it
is enabled, the state it leads to, and the places where it would raise an evaluation error.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any, Optional, Sequence

import z3

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import PathKind
from checker.smt.domains import coerce
from checker.smt.env import Env, FaultSite, Local, unsupported
from checker.smt.expr import ExprEncoder
from checker.smt.ops import bag_add, select, seq_append
from checker.smt.values import (FALSE, TRUE, Refusal, Sym, SymBag, SymSeq, concrete, conj, const,
                                default, disj, eq, ite, neg)


@dataclass(frozen=True)
class Choice:
    """A fresh integer in 0..size-1 that picks a branch, a chosen value or a received message."""

    var: z3.ArithRef
    size: int


@dataclass(frozen=True)
class Instance:
    action: int
    params: tuple[T.Value, ...]
    enabled: z3.BoolRef  # the guard holds and some path (given the choices) reaches the end
    next: tuple[Sym, ...]
    faults: tuple[FaultSite, ...]
    choices: tuple[Choice, ...]

    @property
    def faulty(self) -> z3.BoolRef:
        return disj([f.when for f in self.faults])


@dataclass
class _Path:
    state: list[Sym]
    ok: z3.BoolRef
    locals: tuple[Local, ...]



class ActionWriter:
    """Symbolic execution of action bodies."""

    def __init__(self, spec: ir.Spec, exprs: ExprEncoder):
        self.spec = spec
        self.exprs = exprs
        self.counter = itertools.count()

    def action(self, index: int, action: ir.Action, cur: Sequence[Sym]) -> list[Instance]:
        for p in action.params:
            used = self.exprs.uses.names_in_type(p.type)
            if p.domain_expr is not None:
                used |= self.exprs.uses.names_in(p.domain_expr)
            try:
                self.exprs.uses.needs_concrete(used,
                                          f"the domain of parameter '{p.name}' of "
                                          f"'{action.name}'")
            except Refusal as refusal:
                raise unsupported(str(refusal), p.span) from None
        out = []
        for binding in itertools.product(*[p.domain for p in action.params]):
            out.append(self.instance(index, action, binding, cur))
        return out

    def instance(self, index: int, action: ir.Action, binding: tuple[T.Value, ...],
                 cur: Sequence[Sym]) -> Instance:
        self.faults: list[FaultSite] = []
        self.choices: list[Choice] = []
        bound = tuple(Local(p.name, const(p.type, v), p.type)
                      for p, v in zip(action.params, binding))
        path = _Path(list(cur), TRUE, bound)
        if action.guard is not None:
            path.ok = self.exprs.expr(action.guard, self.env(path))
        path = self.block(action.body, path)
        return Instance(index, binding, path.ok, tuple(path.state), tuple(self.faults),
                        tuple(self.choices))

    def env(self, path: _Path) -> Env:
        return Env(path.state, None, path.locals, path.ok, self.faults)

    def choice(self, size: int) -> z3.ArithRef:
        var = z3.Int(f"choice!{next(self.counter)}")
        self.choices.append(Choice(var, size))
        return var

    # ------------------------------------------------------------ statements
    def block(self, stmts: Sequence[ir.Stmt], path: _Path) -> _Path:
        for st in stmts:
            try:
                path = self.stmt(st, path)
            except Refusal as refusal:
                raise unsupported(str(refusal), st.span) from None
        return path

    def stmt(self, st: ir.Stmt, path: _Path) -> _Path:
        env = self.env(path)
        if isinstance(st, ir.Assign):
            value = self.exprs.expr(st.value, env)
            state = self.store(path, st.target, value, st.value.type, env, check=True)
            return _Path(state, path.ok, path.locals)
        if isinstance(st, ir.Let):  # a definition: its errors count only where it is used
            deferred: list[FaultSite] = []
            value = self.exprs.expr(st.value, replace(env, faults=deferred))
            local = Local(st.var, value, st.value.type, tuple(deferred))
            return replace(path, locals=path.locals + (local,))
        if isinstance(st, ir.Await):
            return replace(path, ok=conj([path.ok, self.exprs.expr(st.cond, env)]))
        if isinstance(st, ir.If):
            return self.branch(st, path)
        if isinstance(st, ir.Either):
            return self.either(st, path)
        if isinstance(st, ir.Choose):
            return self.choose(st, path)
        if isinstance(st, ir.Send):
            return self.send(st, path)
        if isinstance(st, ir.Receive):
            return self.receive(st, path)
        return path

    def branch(self, st: ir.If, path: _Path) -> _Path:
        outcomes: list[tuple[z3.BoolRef, _Path]] = []
        reached = path.ok
        for cond_expr, body in st.branches:
            cond = self.exprs.expr(cond_expr, replace(self.env(path), guard=reached))
            taken = self.block(body, _Path(list(path.state), conj([reached, cond]), path.locals))
            outcomes.append((cond, taken))
            reached = conj([reached, neg(cond)])
        rest = self.block(st.else_, _Path(list(path.state), reached, path.locals))
        state, ok = rest.state, rest.ok
        for cond, taken in reversed(outcomes):
            state = self.merge(cond, taken.state, state)
            ok = z3.If(cond, taken.ok, ok) if not z3.is_true(cond) else taken.ok
        return _Path(state, ok, path.locals)

    def either(self, st: ir.Either, path: _Path) -> _Path:
        if len(st.blocks) == 1:
            only = self.block(st.blocks[0], path)
            return _Path(only.state, only.ok, path.locals)
        pick = self.choice(len(st.blocks))
        done = [self.block(b, _Path(list(path.state), conj([path.ok, pick == i]), path.locals))
                for i, b in enumerate(st.blocks)]
        state = done[-1].state
        for i in reversed(range(len(done) - 1)):
            state = self.merge(pick == i, done[i].state, state)
        return _Path(state, disj([d.ok for d in done]), path.locals)

    def choose(self, st: ir.Choose, path: _Path) -> _Path:
        dom = self.exprs.domain(st.domain, self.env(path))
        value, ok = self.pick(dom.elem, dom.universe, dom.bits)
        return _Path(path.state, conj([path.ok, ok]),
                     path.locals + (Local(st.var, value, dom.elem),))

    def pick(self, elem: T.Type, members: Sequence[T.Value],
             allowed: Sequence[Any]) -> tuple[Sym, z3.BoolRef]:
        """A value among `members` where `allowed`, chosen by a fresh choice."""
        if not members:
            return default(elem), FALSE
        if len(members) == 1:
            return const(elem, members[0]), allowed[0]
        which = self.choice(len(members))
        value = const(elem, members[-1])
        for i in reversed(range(len(members) - 1)):
            value = ite(elem, which == i, const(elem, members[i]), value)
        return value, disj([conj([which == i, a]) for i, a in enumerate(allowed)])

    def send(self, st: ir.Send, path: _Path) -> _Path:
        env = self.env(path)
        value = self.exprs.expr(st.value, env)
        chan_type = st.channel.type
        assert isinstance(chan_type, T.SeqType)
        item, fits = coerce(st.value.type, chan_type.elem, value, self.exprs.bounds)
        self.exprs.fault(env, neg(fits), f"a value outside the domain {chan_type.elem}",
                         st.span)
        current = self.read(path, st.channel, env)
        if isinstance(current, SymBag):
            size = z3.Sum(*current.counts) if current.counts else z3.IntVal(0)
            grown: Sym = bag_add(current, chan_type.elem, item, ())
        else:
            size = current.length
            grown = seq_append(chan_type.elem, current, item)
        ok = conj([path.ok, size < chan_type.capacity])
        bigger = T.SeqType(chan_type.elem, chan_type.capacity + 1, chan_type.bag)
        state = self.store(replace(path, ok=ok), st.channel, grown, bigger, env, check=False)
        return _Path(state, ok, path.locals)

    def receive(self, st: ir.Receive, path: _Path) -> _Path:
        env = self.env(path)
        chan_type = st.channel.type
        assert isinstance(chan_type, T.SeqType)
        current = self.read(path, st.channel, env)
        if isinstance(current, SymBag):
            item, ok = self.pick(chan_type.elem, current.universe,
                                 [c > 0 for c in current.counts])
            counts = tuple(c - z3.If(eq(chan_type.elem, item, chan_type.elem,
                                        const(chan_type.elem, m)), 1, 0)
                           for m, c in zip(current.universe, current.counts))
            rest: Sym = SymBag(current.elem, current.universe, counts)
        else:
            assert isinstance(current, SymSeq)
            ok = current.length > 0
            item = current.slots[0] if current.slots else default(chan_type.elem)
            rest = SymSeq(z3.If(current.length > 0, current.length - 1, 0),
                          current.slots[1:] + (default(chan_type.elem),))
        alive = conj([path.ok, ok])
        state = self.store(replace(path, ok=alive), st.channel, rest, chan_type, env,
                           check=False)
        return _Path(state, alive, path.locals + (Local(st.var, item, chan_type.elem),))

    # ------------------------------------------------------------ places
    def keys(self, target: ir.Target, env: Env) -> list[Optional[Sym]]:
        """The keys of a target's path, evaluated once; keys outside a map's domain fault."""
        out: list[Optional[Sym]] = []
        for step in target.path:
            if step.kind != PathKind.INDEX:
                out.append(None)
                continue
            assert step.key is not None and isinstance(step.type, T.MapType)
            key = self.exprs.expr(step.key, env)
            _, inside = select(step.type, [default(step.type.value)] * T.size(step.type.key),
                               step.key.type, key)
            self.exprs.fault(env, neg(inside), "a key outside the map's domain", target.span)
            out.append(key)
        return out

    def read(self, path: _Path, target: ir.Target, env: Env) -> Sym:
        value = path.state[target.var.slot]
        for step, key in zip(target.path, self.keys(target, replace(env, faults=[]))):
            if step.kind == PathKind.FIELD:
                value = value[step.field_index]
            else:
                assert isinstance(step.type, T.MapType) and step.key is not None
                value = select(step.type, value, step.key.type, key)[0]
        return value

    def store(self, path: _Path, target: ir.Target, value: Sym, value_type: T.Type, env: Env,
              check: bool) -> list[Sym]:
        placed, fits = coerce(value_type, target.type, value, self.exprs.bounds)
        if check:
            self.exprs.fault(env, neg(fits), f"a value outside the domain {target.type}",
                             target.span)
        keys = self.keys(target, env)
        slot = target.var.slot
        state = list(path.state)
        state[slot] = _update(state[slot], target.path, keys, placed)
        return state

    def merge(self, cond: Any, a: Sequence[Sym], b: Sequence[Sym]) -> list[Sym]:
        return [x if x is y else ite(v.type, cond, x, y)
                for v, x, y in zip(self.spec.vars, a, b)]


def _update(current: Sym, steps: Sequence[ir.PathStep], keys: Sequence[Optional[Sym]],
            value: Sym) -> Sym:
    if not steps:
        return value
    step, key = steps[0], keys[0]
    if step.kind == PathKind.FIELD:
        parts = list(current)
        parts[step.field_index] = _update(parts[step.field_index], steps[1:], keys[1:], value)
        return tuple(parts)
    map_type = step.type
    assert isinstance(map_type, T.MapType) and step.key is not None
    candidates = list(T.values(map_type.key))
    known = concrete(step.key.type, key)
    parts = list(current)
    for i, k in enumerate(candidates):
        if known is not None and known != k:
            continue
        hit = TRUE if known is not None else eq(step.key.type, key, map_type.key,
                                               const(map_type.key, k))
        parts[i] = ite(map_type.value, hit, _update(parts[i], steps[1:], keys[1:], value),
                       parts[i])
    return tuple(parts)

