"""Typed IR expressions to Z3 terms, with the places where evaluation can fail.

`ExprEncoder.expr(e, env)` returns the symbolic value of `e` (see `checker.smt.values`). Every
place where the explicit semantics raises an evaluation error (division by zero, head of an
empty sequence, a key outside a map's domain, a value outside its variable's domain) is
recorded in `env.faults` together with the condition under which evaluation reaches it, which
follows Python's short-circuit order for `and`, `or`, `=>`, `if-then-else` and quantifiers.

In proofs, integer constants can be symbolic. Then a set whose candidate elements would depend
on such a constant (say `{t for t in 0..T}`) cannot be unrolled: it is refused with E500
(`checker.smt.uses` tracks which constants an expression reads).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping, Optional

import z3

from checker.errors import Span
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import Binder
from checker.smt.env import Env, FaultSite, Local, unsupported
from checker.smt.ops import (bag_add, first_member, fold, member, powerset, python_division,
                             select, seq_append, set_algebra, subseteq, sum_of)
from checker.smt.uses import ConstantUses
from checker.smt.values import (TRUE, Refusal, Sym, SymBag, SymSeq, SymSet, conj, const,
                                concrete, default, disj, eq, implies, ite, neg)


class ExprEncoder:
    """Encodes expressions; `symbols` maps the names of symbolic constants to Z3 integers."""

    def __init__(self, symbols: Mapping[str, z3.ArithRef], collecting: bool = False):
        self.uses = ConstantUses(symbols, collecting)
        self.symbols = self.uses.symbols

    # ------------------------------------------------------------ entry points
    def expr(self, e: ir.Expr, env: Env) -> Sym:
        try:
            if isinstance(e, ir.Lit):
                return self._lit(e)
            if isinstance(e, ir.Var):
                if e.primed:
                    assert env.next is not None, "primed variable outside a transition"
                    return env.next[e.slot]
                return env.state[e.slot]
            if isinstance(e, ir.Local):
                local = env.lookup(e.name)
                for site in local.faults:
                    self.fault(env, site.when, site.message, site.span)
                return local.value
            if isinstance(e, ir.Bind):
                return self._bind(e, env)
            return self._op(e, env)
        except Refusal as refusal:
            raise unsupported(str(refusal), e.span) from None

    def bounds(self, t: T.IntType) -> Optional[tuple[Any, Any]]:
        """An int type's bounds: Z3 terms where they are written with symbolic constants."""
        if not t.bounded:
            return None
        lo_expr, hi_expr = t.lo_expr, t.hi_expr
        lo: Any = t.lo
        hi: Any = t.hi
        if lo_expr is not None and self.uses.mentions(lo_expr):
            lo = self.constant(lo_expr)
        if hi_expr is not None and self.uses.mentions(hi_expr):
            hi = self.constant(hi_expr)
        return lo, hi

    def constant(self, e: ir.Expr) -> Sym:
        return self.expr(e, Env((), None, (), TRUE, []))

    def fault(self, env: Env, cond: Any, message: str, span: Span) -> None:
        if not z3.is_false(cond):
            env.faults.append(FaultSite(conj([env.guard, cond]), message, span))

    # ------------------------------------------------------------ leaves
    def _lit(self, e: ir.Lit) -> Sym:
        if e.const is not None and e.const in self.symbols:
            return self.symbols[e.const]
        self.uses.needs_concrete(self.uses.names_in_type(e.type),
                            f"the set or map {T.format_value(e.type, e.value)} of type {e.type}")
        return const(e.type, e.value)

    # ------------------------------------------------------------ operators
    def _op(self, e: ir.Op, env: Env) -> Sym:
        op = e.op
        if op in _LOGIC:
            return self._logic(e, env)
        if op == "ite":
            c = self.expr(e.args[0], env)
            a = self.expr(e.args[1], env.guarded(c))
            b = self.expr(e.args[2], env.guarded(neg(c)))
            return ite(e.type, c, a, b)
        if op in ("in", "notin"):
            found = self._membership(e, env)
            return neg(found) if op == "notin" else found
        if op in ("eq", "ne"):
            a, b = (self.expr(x, env) for x in e.args)
            same = eq(e.args[0].type, a, e.args[1].type, b)
            return neg(same) if op == "ne" else same
        if op in _ARITH:
            return self._arith(e, env)
        if op in ("union", "inter", "minus"):
            return set_algebra(op, self.expr(e.args[0], env), self.expr(e.args[1], env))
        if op == "range":
            return self._range_set(e, env)
        if op == "enabled":
            raise Refusal("`enabled(...)` (whether an action can take a step)")
        if op == "subseteq":
            return subseteq(self.expr(e.args[0], env), self.expr(e.args[1], env))
        if op == "subset":
            return powerset(self.expr(e.args[0], env))
        method: Callable[[ir.Op, Env], Sym] = getattr(self, "_op_" + op)
        return method(e, env)

    def _logic(self, e: ir.Op, env: Env) -> Sym:
        op = e.op
        a = self.expr(e.args[0], env)
        if op == "not":
            return neg(a)
        if op == "and":
            return conj([a, self.expr(e.args[1], env.guarded(a))])
        if op == "or":
            return disj([a, self.expr(e.args[1], env.guarded(neg(a)))])
        if op == "implies":
            return implies(a, self.expr(e.args[1], env.guarded(a)))
        b = self.expr(e.args[1], env)
        return a == b

    def _arith(self, e: ir.Op, env: Env) -> Sym:
        args = [self.expr(x, env) for x in e.args]
        op = e.op
        if op == "neg":
            return fold(-args[0])
        a, b = args
        if op in ("lt", "le", "gt", "ge"):
            return fold({"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op])
        if op == "add":
            return fold(a + b)
        if op == "sub":
            return fold(a - b)
        if op == "mul":
            return fold(a * b)
        if op in ("div", "mod"):
            what = "division by zero" if op == "div" else "modulo by zero"
            self.fault(env, fold(b == 0), what, e.span)
            return python_division(op, a, b)
        raise AssertionError(op)

    def _membership(self, e: ir.Op, env: Env) -> z3.BoolRef:
        left, right = e.args
        x = self.expr(left, env)
        if isinstance(right, ir.Op) and right.op == "range":
            lo, hi = (self.expr(a, env) for a in right.args)
            return fold(z3.And(lo <= x, x <= hi))
        container = self.expr(right, env)
        return member(left.type, x, right.type, container)

    def _range_set(self, e: ir.Op, env: Env) -> SymSet:
        lo, hi = (self.expr(a, env) for a in e.args)
        if z3.is_int_value(lo) and z3.is_int_value(hi):
            members = tuple(range(lo.as_long(), hi.as_long() + 1))
            return SymSet(T.IntType(lo.as_long(), hi.as_long()), members, (TRUE,) * len(members))
        lt, ht = e.args[0].type, e.args[1].type
        assert isinstance(lt, T.IntType) and isinstance(ht, T.IntType)
        span_type = T.IntType(lt.lo, ht.hi) if lt.lo is not None and ht.hi is not None \
            else T.INT
        members = self.uses.structural(span_type, e, "a range with variable bounds")
        if not members:
            return SymSet(span_type, (), ())
        return SymSet(span_type, members,
                      tuple(fold(z3.And(lo <= m, m <= hi)) for m in members))

    def _op_index(self, e: ir.Op, env: Env) -> Sym:
        base, key = (self.expr(x, env) for x in e.args)
        map_type = e.args[0].type
        assert isinstance(map_type, T.MapType)
        value, inside = select(map_type, base, e.args[1].type, key)
        self.fault(env, neg(inside), "a key outside the map's domain", e.span)
        return value

    def _op_seqindex(self, e: ir.Op, env: Env) -> Sym:
        seq, pos = (self.expr(x, env) for x in e.args)
        self.fault(env, neg(fold(z3.And(1 <= pos, pos <= seq.length))),
                   "a position outside the sequence", e.span)
        value = default(e.type)
        for i in reversed(range(len(seq.slots))):
            value = ite(e.type, fold(pos == i + 1), seq.slots[i], value)
        return value

    def _op_field(self, e: ir.Op, env: Env) -> Sym:
        return self.expr(e.args[0], env)[e.data]

    def _op_set(self, e: ir.Op, env: Env) -> SymSet:
        assert isinstance(e.type, T.SetType)
        items = [self.expr(x, env) for x in e.args]
        values = [concrete(x.type, v) for x, v in zip(e.args, items)]
        if all(v is not None for v in values):
            members = tuple(T.sort_values(set(values)))
            return SymSet(e.type.elem, members, (TRUE,) * len(members))
        members = self.uses.structural(e.type.elem, e, "a set literal")
        bits = tuple(disj([eq(x.type, v, e.type.elem, const(e.type.elem, m))
                           for x, v in zip(e.args, items)]) for m in members)
        return SymSet(e.type.elem, members, bits)

    def _op_seq(self, e: ir.Op, env: Env) -> Sym:
        assert isinstance(e.type, T.SeqType)
        items = [self.expr(x, env) for x in e.args]
        if e.type.bag:
            members = self.uses.structural(e.type.elem, e, "a bag literal")
            counts = tuple(z3.Sum(*[z3.If(eq(x.type, v, e.type.elem, const(e.type.elem, m)), 1, 0)
                                    for x, v in zip(e.args, items)]) if items else z3.IntVal(0)
                           for m in members)
            return SymBag(e.type.elem, members, tuple(fold(c) for c in counts))
        return SymSeq(z3.IntVal(len(items)), tuple(items))

    def _op_record(self, e: ir.Op, env: Env) -> Sym:
        return tuple(self.expr(x, env) for x in e.args)

    def _op_min(self, e: ir.Op, env: Env) -> Sym:
        a, b = (self.expr(x, env) for x in e.args)
        return fold(z3.If(a <= b, a, b))

    def _op_max(self, e: ir.Op, env: Env) -> Sym:
        a, b = (self.expr(x, env) for x in e.args)
        return fold(z3.If(a >= b, a, b))

    def _op_abs(self, e: ir.Op, env: Env) -> Sym:
        a = self.expr(e.args[0], env)
        return fold(z3.If(a >= 0, a, -a))

    def _op_card(self, e: ir.Op, env: Env) -> Sym:
        s = self.expr(e.args[0], env)
        return sum_of([z3.If(b, 1, 0) for b in s.bits])

    def _op_len(self, e: ir.Op, env: Env) -> Sym:
        v = self.expr(e.args[0], env)
        return sum_of(list(v.counts)) if isinstance(v, SymBag) else v.length

    def _op_head(self, e: ir.Op, env: Env) -> Sym:
        v = self._sequence(e, env)
        self.fault(env, fold(v.length == 0), "head of an empty sequence", e.span)
        return v.slots[0] if v.slots else default(e.type)

    def _op_tail(self, e: ir.Op, env: Env) -> Sym:
        v = self._sequence(e, env)
        assert isinstance(e.type, T.SeqType)
        if not v.slots:
            return v
        slots = v.slots[1:] + (default(e.type.elem),)
        return SymSeq(fold(z3.If(v.length > 0, v.length - 1, 0)), slots)

    def _sequence(self, e: ir.Op, env: Env) -> SymSeq:
        t = e.args[0].type
        if isinstance(t, T.SeqType) and t.bag:
            raise Refusal(f"'{e.op}' of a bag (its smallest element)")
        v = self.expr(e.args[0], env)
        assert isinstance(v, SymSeq)
        return v

    def _op_append(self, e: ir.Op, env: Env) -> Sym:
        container, item = (self.expr(x, env) for x in e.args)
        seq_type = e.args[0].type
        item_type = e.args[1].type
        assert isinstance(seq_type, T.SeqType)
        if isinstance(container, SymBag):
            return bag_add(container, item_type, item, self.uses.structural(
                item_type, e.args[1], "a bag element") if concrete(item_type, item) is None
                else ())
        return seq_append(seq_type.elem, container, item)

    def _op_count(self, e: ir.Op, env: Env) -> Sym:
        container, item = (self.expr(x, env) for x in e.args)
        item_type = e.args[1].type
        if isinstance(container, SymBag):
            return sum_of([z3.If(eq(item_type, item, container.elem, const(container.elem, m)), c, 0)
                         for m, c in zip(container.universe, container.counts)])
        seq_type = e.args[0].type
        assert isinstance(seq_type, T.SeqType)
        return sum_of([z3.If(z3.And(i < container.length,
                                  eq(item_type, item, seq_type.elem, slot)), 1, 0)
                     for i, slot in enumerate(container.slots)])

    # ------------------------------------------------------------ binders
    def domain(self, e: ir.Expr, env: Env) -> SymSet:
        """A set to range over (a quantifier's or a `choose`'s)."""
        value = self.expr(e, env)
        assert isinstance(value, SymSet)
        return value

    def _bind(self, e: ir.Bind, env: Env) -> Sym:
        if e.kind == Binder.MAPLIT:
            return self._maplit(e, env)
        dom = self.domain(e.domain, env)
        if e.kind in (Binder.FORALL, Binder.EXISTS):
            return self._quantifier(e, dom, env)
        if e.kind == Binder.CHOOSE:
            return self._choose(e, dom, env)
        return self._setcomp(e, dom, env)

    def _quantifier(self, e: ir.Bind, dom: SymSet, env: Env) -> z3.BoolRef:
        parts = []
        reached = env.guard  # Python's all()/any() stop at the first deciding element
        for m, bit in zip(dom.universe, dom.bits):
            inner = replace(env.bind(e.var, const(dom.elem, m), dom.elem),
                            guard=conj([reached, bit]))
            body = self.expr(e.body, inner)
            if e.kind == Binder.FORALL:
                parts.append(implies(bit, body))
                reached = conj([reached, implies(bit, body)])
            else:
                parts.append(conj([bit, body]))
                reached = conj([reached, neg(conj([bit, body]))])
        return conj(parts) if e.kind == Binder.FORALL else disj(parts)

    def _choose(self, e: ir.Bind, dom: SymSet, env: Env) -> Sym:
        """The first member satisfying the body, as the explicit engine picks it."""
        candidates = []
        reached = env.guard  # the body is evaluated until the first member satisfies it
        for m, bit in sorted(zip(dom.universe, dom.bits), key=lambda mb: T.sort_key(mb[0])):
            inner = replace(env.bind(e.var, const(dom.elem, m), dom.elem),
                            guard=conj([reached, bit]))
            chosen = conj([bit, self.expr(e.body, inner)])
            candidates.append((m, chosen))
            reached = conj([reached, neg(chosen)])
        value, found = first_member(dom.elem, candidates)
        self.fault(env, neg(found), "`choose` found no element that satisfies its condition",
                   e.span)
        return value

    def _setcomp(self, e: ir.Bind, dom: SymSet, env: Env) -> SymSet:
        assert isinstance(e.type, T.SetType)
        picked: list[tuple[z3.BoolRef, Sym]] = []
        for m, bit in zip(dom.universe, dom.bits):
            inner = env.bind(e.var, const(dom.elem, m), dom.elem).guarded(bit)
            keep = bit
            if e.cond is not None:
                cond = self.expr(e.cond, inner)
                keep = conj([bit, cond])
                inner = inner.guarded(cond)
            picked.append((keep, self.expr(e.body, inner)))
        elem = e.type.elem
        values = [concrete(e.body.type, v) for _, v in picked]
        if all(v is not None for v in values):
            members = tuple(T.sort_values(set(values)))
            bits = tuple(disj([k for (k, _), v in zip(picked, values) if v == m])
                         for m in members)
            return SymSet(elem, members, bits)
        members = self.uses.structural(elem, e, "a set comprehension")
        return SymSet(elem, members, tuple(
            disj([conj([k, eq(e.body.type, v, elem, const(elem, m))]) for k, v in picked])
            for m in members))

    def _maplit(self, e: ir.Bind, env: Env) -> tuple[Sym, ...]:
        self.uses.needs_concrete(self.uses.names_in_type(e.var_type), f"a map literal over {e.var_type}")
        keys = T.values(e.var_type)
        return tuple(self.expr(e.body, env.bind(e.var, const(e.var_type, k), e.var_type))
                     for k in keys)


# ---------------------------------------------------------------- shared helpers

_LOGIC = ("not", "and", "or", "implies", "equiv")
_ARITH = ("neg", "lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod")
