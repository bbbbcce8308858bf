"""Sequence, fifo and bag operations on batch values: `head`, `tail`, `append`, counts and sizes
(`len`/`size`), for the expression compiler (expr.py) and the statements (stmt.py: send and
receive)."""

from __future__ import annotations

import numpy as xp

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.explicit.array import values as V
from checker.explicit.array.env import Env, Kernel
from checker.explicit.array.packing import SET_UNIVERSE_LIMIT, universe
from checker.explicit.array.unsupported import Unsupported


def size_of(v: V.Val) -> V.Val:
    if isinstance(v, V.SetV):
        return V.sum_leaves(v.members)
    if isinstance(v, V.BagV):
        return V.sum_leaves(v.counts)
    return v.length


def sequence_op(e: ir.Op, args: list[Kernel]) -> Kernel:
    seq_type = e.args[0].type
    assert isinstance(seq_type, T.SeqType)
    elem = seq_type.elem
    if e.op == "head":
        (q_k,) = args

        def head(env: Env) -> V.Val:
            q = q_k(env)
            if isinstance(q, V.BagV):
                raise Unsupported("head of a bag")
            env.fault(V.leaf_eq(q.length, 0))
            return q.slots[0] if q.slots else V.zero(elem)
        return head
    if e.op == "tail":
        (q_k,) = args
        return lambda env: tail(q_k(env), elem)
    q_k, x_k = args
    if e.op == "append":
        if seq_type.bag:
            return lambda env: bag_add(q_k(env), x_k(env), elem)
        return lambda env: append(q_k(env), x_k(env), elem)

    def count(env: Env) -> V.Val:
        q, x = q_k(env), x_k(env)
        if isinstance(q, V.BagV):
            return V.sum_leaves([V.where(V.eq(x, V.const(elem, u), elem), c, 0, T.INT)
                                 for u, c in zip(q.universe, q.counts)])
        return V.sum_leaves([V.conj([xp.greater(q.length, i), V.eq(s, x, elem)])
                             for i, s in enumerate(q.slots)])
    return count


def tail(q: V.SeqV, elem: T.Type) -> V.SeqV:
    if not q.slots:
        return q
    return V.SeqV(xp.maximum(xp.subtract(q.length, 1), 0), q.slots[1:] + (V.zero(elem),))


def append(q: V.SeqV, x: V.Val, elem: T.Type) -> V.SeqV:
    slots = q.slots + (V.zero(elem),)
    if not V.is_array(q.length):
        n = int(q.length)
        return V.SeqV(n + 1, slots[:n] + (x,) + slots[n + 1:])
    return V.SeqV(xp.add(q.length, 1), tuple(V.where(V.leaf_eq(q.length, i), x, s, elem)
                                            for i, s in enumerate(slots)))


def bag_add(b: V.BagV, x: V.Val, elem: T.Type) -> V.BagV:
    u = V.merged_universe(b.universe, universe(elem, SET_UNIVERSE_LIMIT))
    counts = V.counts_in(b, u)
    return V.BagV(u, tuple(xp.add(c, V.sum_leaves([V.eq(x, V.const(elem, e), elem)]))
                           for e, c in zip(u, counts)))
