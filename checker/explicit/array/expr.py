"""IR expressions to array kernels: each expression becomes a function from an environment (a
batch of states, the bound names) to a batch value (checker.explicit.array.values).

Constant subexpressions are folded with the tuple engine's evaluator, so both engines agree on
them. An operation that may fail at run time (division by zero, a key outside a map, a position
outside a sequence, the head of an empty one) reports the states where it might through
`Env.fault`; the search confirms such a state with the tuple engine, which gives the exact error.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.ir.kinds import Binder
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.explicit.array import values as V
from checker.explicit.array.env import Env, Kernel
from checker.explicit.array.packing import SET_UNIVERSE_LIMIT, universe
from checker.explicit.array.sequences import sequence_op, size_of
from checker.explicit.array.subsets import subsets
from checker.explicit.array.unsupported import Unsupported

__all__ = ["Env", "Kernel", "UNROLL_LIMIT", "compile_expr"]

UNROLL_LIMIT = 4096  # quantifiers and comprehensions over at most this many values


_COMPARE = {"lt": xp.less, "le": xp.less_equal, "gt": xp.greater, "ge": xp.greater_equal}
_ARITH = {"add": xp.add, "sub": xp.subtract, "mul": xp.multiply}


def compile_expr(e: ir.Expr) -> Kernel:
    if isinstance(e, ir.Lit):
        value = V.const(e.type, e.value)
        return lambda env: value
    if isinstance(e, ir.Var):
        slot = e.slot
        if e.primed:
            return lambda env: env.next_var(slot)
        return lambda env: env.var(slot)
    if isinstance(e, ir.Local):
        name = e.name
        return lambda env: env.local(name)
    if codegen.is_constant(e):
        try:
            folded = V.const(e.type, codegen.evaluate(e))
        except Exception as exc:  # the tuple engine would fail on every state
            raise Unsupported(f"a constant expression that fails ({exc})") from None
        return lambda env: folded
    if isinstance(e, ir.Bind):
        return _bind(e)
    return _op(e)


def _op(e: ir.Op) -> Kernel:
    op = e.op
    if op == "range":
        return _range(e)
    if op in ("in", "notin"):
        return _membership(e)
    args = [compile_expr(a) for a in e.args]
    types = [a.type for a in e.args]
    if op in ("and", "or", "implies"):
        return _logic(op, *args)
    if op == "not":
        (a,) = args
        return lambda env: V.negate(a(env))
    if op in ("eq", "equiv", "ne"):
        left, right = args
        t = types[0]
        if op == "ne":
            return lambda env: V.negate(V.eq(left(env), right(env), t))
        return lambda env: V.eq(left(env), right(env), t)
    if op in _COMPARE:
        f, (left, right) = _COMPARE[op], args
        return lambda env: f(left(env), right(env))
    if op in _ARITH:
        g, (left, right) = _ARITH[op], args
        return lambda env: g(left(env), right(env))
    if op == "neg":
        (a,) = args
        return lambda env: xp.negative(a(env))
    if op in ("div", "mod"):
        return _division(op, args)
    if op in ("min", "max"):
        h = xp.minimum if op == "min" else xp.maximum
        left, right = args
        return lambda env: h(left(env), right(env))
    if op == "abs":
        (a,) = args
        return lambda env: xp.abs(a(env))
    if op == "ite":
        c_k, a_k, b_k = args
        t = e.type

        def ite(env: Env) -> V.Val:
            c = c_k(env)
            return V.where(c, a_k(env.under(c)), b_k(env.under(V.negate(c))), t)
        return ite
    if op == "field":
        (a,) = args
        position = e.data
        return lambda env: a(env).items[position]
    if op == "index":
        return _index(e, args)
    if op == "seqindex":
        return _seqindex(e, args)
    if op in ("set", "seq", "record"):
        return _literal(e, args)
    if op in ("union", "inter", "minus"):
        return _set_op(op, args)
    if op in ("subseteq", "subset"):
        return subsets(op, args)
    if op in ("card", "len"):
        (a,) = args
        return lambda env: size_of(a(env))
    if op in ("head", "tail", "append", "count"):
        return sequence_op(e, args)
    raise Unsupported(f"the operator '{op}'")


def _logic(op: str, left: Kernel, right: Kernel) -> Kernel:
    """`and`, `or`, `=>`: the right operand is evaluated only where Python would evaluate it."""
    if op == "and":
        def conj(env: Env) -> V.Val:
            a = left(env)
            return V.conj([a, right(env.under(a))]) if a is not False else False
        return conj
    if op == "or":
        def disj(env: Env) -> V.Val:
            a = left(env)
            return V.disj([a, right(env.under(V.negate(a)))]) if a is not True else True
        return disj

    def implies(env: Env) -> V.Val:
        a = left(env)
        return V.disj([V.negate(a), right(env.under(a))]) if a is not False else True
    return implies


def _division(op: str, args: list[Kernel]) -> Kernel:
    left, right = args

    def run(env: Env) -> V.Val:
        a, b = left(env), right(env)
        bad = V.leaf_eq(b, 0)
        if bad is not False:
            env.fault(bad)
        safe = xp.where(bad, 1, b) if V.is_array(bad) else (1 if bad else b)
        return xp.floor_divide(a, safe) if op == "div" else xp.remainder(a, safe)
    return run


def _range(e: ir.Op) -> Kernel:
    elem = e.type.elem if isinstance(e.type, T.SetType) else None
    if not isinstance(elem, T.IntType) or not elem.bounded:
        raise Unsupported("a range with bounds that are not constant, used as a set")
    lo_k, hi_k = (compile_expr(a) for a in e.args)
    elems = universe(elem, SET_UNIVERSE_LIMIT)

    def run(env: Env) -> V.Val:
        lo, hi = lo_k(env), hi_k(env)
        return V.SetV(elems, tuple(V.conj([V.less_equal(lo, u), V.less_equal(u, hi)])
                                   for u in elems))
    return run


def _membership(e: ir.Op) -> Kernel:
    x_k = compile_expr(e.args[0])
    right = e.args[1]
    negated = e.op == "notin"
    elem = e.args[0].type
    if isinstance(right, ir.Op) and right.op == "range" and not codegen.is_constant(right):
        lo_k, hi_k = (compile_expr(a) for a in right.args)

        def in_range(env: Env) -> V.Val:
            x = x_k(env)
            inside = V.conj([V.less_equal(lo_k(env), x), V.less_equal(x, hi_k(env))])
            return V.negate(inside) if negated else inside
        return in_range
    s_k = compile_expr(right)

    def run(env: Env) -> V.Val:
        x, s = x_k(env), s_k(env)
        if isinstance(s, V.SeqV):
            inside = V.disj([V.conj([xp.greater(s.length, i) if V.is_array(s.length)
                                     else bool(int(s.length) > i), V.eq(x, slot, elem)])
                             for i, slot in enumerate(s.slots)])
        elif isinstance(s, V.BagV):
            inside = V.disj([V.conj([V.eq(x, V.const(elem, u), elem),
                                     xp.greater(c, 0) if V.is_array(c) else bool(c > 0)])
                             for u, c in zip(s.universe, s.counts)])
        else:
            inside = V.member(x, s, elem)
        return V.negate(inside) if negated else inside
    return run


def _index(e: ir.Op, args: list[Kernel]) -> Kernel:
    base_k, key_k = args
    offset, checked, size = e.data
    t = e.type

    def run(env: Env) -> V.Val:
        base, key = base_k(env), key_k(env)
        position = V.offset(key, offset)
        if not V.is_array(position):
            if not 0 <= int(position) < size:
                env.fault(True)
                return base.items[0]
            return base.items[int(position)]
        if checked:
            env.fault(V.disj([xp.less(position, 0), xp.greater_equal(position, size)]))
        return V.select(position, base.items, t)
    return run


def _seqindex(e: ir.Op, args: list[Kernel]) -> Kernel:
    base_k, pos_k = args
    t = e.type

    def run(env: Env) -> V.Val:
        q, position = base_k(env), pos_k(env)
        if not q.slots:
            env.fault(True)
            return V.zero(t)
        env.fault(V.disj([V.less_equal(position, 0), xp.greater(position, q.length)]))
        return V.select(xp.subtract(position, 1), q.slots, t)
    return run


def _literal(e: ir.Op, args: list[Kernel]) -> Kernel:
    t = e.type
    if isinstance(t, T.RecordType):
        return lambda env: V.Rec(tuple(a(env) for a in args))
    if isinstance(t, T.SeqType) and not t.bag:
        n = len(args)
        return lambda env: V.SeqV(n, tuple(a(env) for a in args))
    assert isinstance(t, (T.SetType, T.SeqType))
    elem = t.elem
    elems = universe(elem, SET_UNIVERSE_LIMIT)
    consts = [V.const(elem, u) for u in elems]

    def run(env: Env) -> V.Val:
        items = [a(env) for a in args]
        hits = [[V.eq(x, c, elem) for x in items] for c in consts]
        if isinstance(t, T.SetType):
            return V.SetV(elems, tuple(V.disj(h) for h in hits))
        return V.BagV(elems, tuple(V.sum_leaves(h) for h in hits))
    return run


def _set_op(op: str, args: list[Kernel]) -> Kernel:
    left, right = args

    def run(env: Env) -> V.Val:
        a, b = left(env), right(env)
        u = V.merged_universe(a.universe, b.universe)
        ma, mb = V.members_in(a, u), V.members_in(b, u)
        if op == "union":
            return V.SetV(u, tuple(V.disj([x, y]) for x, y in zip(ma, mb)))
        if op == "inter":
            return V.SetV(u, tuple(V.conj([x, y]) for x, y in zip(ma, mb)))
        return V.SetV(u, tuple(V.conj([x, V.negate(y)]) for x, y in zip(ma, mb)))
    return run


# ---------------------------------------------------------------- binders


def _bind(e: ir.Bind) -> Kernel:
    if e.kind == Binder.CHOOSE:
        return _choose(e)
    body_k = compile_expr(e.body)
    cond_k = compile_expr(e.cond) if e.cond is not None else None
    name, var_type = e.var, e.var_type
    if e.kind == Binder.MAPLIT:
        keys = list(T.values(var_type))
        consts = [V.const(var_type, k) for k in keys]
        return lambda env: V.Rec(tuple(body_k(env.bind(name, c)) for c in consts))
    domain_k = _domain(e.domain)
    # the tuple engine unrolls a small constant domain in sorted order (`b1 and b2 and ...`), so
    # a later body is evaluated only where the earlier ones did not decide; elsewhere it iterates
    # a frozenset in no order we know, so every body counts as evaluated (for the faults only)
    in_order = codegen.is_constant(e.domain) and len(codegen.evaluate(e.domain)) <= 16

    def run(env: Env) -> V.Val:
        domain = domain_k(env)
        if len(domain.universe) > UNROLL_LIMIT:
            raise Unsupported(f"a quantifier over {len(domain.universe):,} values")
        taken = []
        going: V.Leaf = True  # for forall/exists: no earlier value decided the result yet
        for u, m in zip(domain.universe, domain.members):
            inner = env.bind(name, V.const(var_type, u)).under(
                V.conj([going, m]) if in_order else m)
            if cond_k is not None:
                m = V.conj([m, cond_k(inner)])
                inner = inner.under(m)
            body = body_k(inner)
            taken.append((m, body))
            if e.kind == Binder.FORALL:
                going = V.conj([going, V.disj([V.negate(m), body])])
            elif e.kind == Binder.EXISTS:
                going = V.conj([going, V.negate(V.conj([m, body]))])
        if e.kind == Binder.FORALL:
            return going
        if e.kind == Binder.EXISTS:
            return V.negate(going)
        return _comprehension(e, taken)
    return run


def _choose(e: ir.Bind) -> Kernel:
    """`choose x in S: P` as the tuple engine evaluates it: the first member of `S` in the
    type's order that satisfies `P` (P is evaluated only where no earlier member did); a fault
    where none does."""
    body_k = compile_expr(e.body)
    domain_k = _domain(e.domain)
    name, var_type = e.var, e.var_type

    def run(env: Env) -> V.Val:
        domain = domain_k(env)
        if len(domain.universe) > UNROLL_LIMIT:
            raise Unsupported(f"a choice among {len(domain.universe):,} values")
        member = dict(zip(domain.universe, domain.members))
        picks = []
        going: V.Leaf = True  # no earlier member was chosen yet
        for u in T.sort_values(domain.universe):
            c = V.const(var_type, u)
            inside = V.conj([going, member[u]])
            hit = V.conj([inside, body_k(env.bind(name, c).under(inside))])
            picks.append((hit, c))
            going = V.conj([going, V.negate(hit)])
        env.fault(going)
        chosen = V.zero(var_type)
        for hit, c in reversed(picks):
            chosen = V.where(hit, c, chosen, var_type)
        return chosen
    return run


def _domain(d: ir.Expr) -> Kernel:
    if codegen.is_constant(d):
        value = codegen.evaluate(d)
        if len(value) > UNROLL_LIMIT:
            raise Unsupported(f"a quantifier over {len(value):,} values")
        elems = tuple(T.sort_values(value))
        folded = V.SetV(elems, (True,) * len(elems))
        return lambda env: folded
    return compile_expr(d)


def _comprehension(e: ir.Bind, taken: list[tuple[V.Leaf, V.Val]]) -> V.Val:
    assert isinstance(e.type, T.SetType)
    elem = e.type.elem
    if all(V.is_constant(b) for _, b in taken):
        found: dict[Any, list[V.Leaf]] = {}
        for m, b in taken:
            found.setdefault(V.to_stored(b), []).append(m)
        elems = tuple(T.sort_values(found))
        return V.SetV(elems, tuple(V.disj(found[u]) for u in elems))
    elems = universe(elem, SET_UNIVERSE_LIMIT)
    return V.SetV(elems, tuple(
        V.disj([V.conj([m, V.eq(b, V.const(elem, u), elem)]) for m, b in taken])
        for u in elems))
