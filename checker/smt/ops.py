"""Operations on symbolic values that expressions and statements share: membership, map lookup,
appending to sequences and bags, set algebra, and Python's integer division."""

from __future__ import annotations

from typing import Any, Sequence

import z3

from checker.ir import types as T
from checker.smt.values import (FALSE, TRUE, Refusal, Sym, SymBag, SymSeq, SymSet, conj, const,
                                concrete, default, disj, eq, implies, ite, neg)


def fold(x: Any) -> Any:
    """Simplify a term whose arguments are all literals (keeps formulas small)."""
    if isinstance(x, z3.ExprRef) and all(z3.is_int_value(c) or z3.is_true(c) or z3.is_false(c)
                                         for c in x.children()):
        return z3.simplify(x)
    return x


def sum_of(items: list[Any]) -> Any:
    if not items:
        return z3.IntVal(0)
    return fold(z3.Sum(*items)) if len(items) > 1 else fold(items[0])


def python_division(op: str, a: Any, b: Any) -> Any:
    """Python's floor division and modulo (the divisor's sign), defined as 0 when b == 0."""
    if z3.is_int_value(a) and z3.is_int_value(b):
        x, y = a.as_long(), b.as_long()
        if y == 0:
            return z3.IntVal(0)
        return z3.IntVal(x // y if op == "div" else x % y)
    smt_q = a / b  # SMT-LIB's div: the remainder is never negative
    q = z3.If(b == 0, 0, z3.If(z3.And(b < 0, a % b != 0), smt_q - 1, smt_q))
    return q if op == "div" else z3.If(b == 0, 0, a - b * q)


def has_int(t: T.Type) -> bool:
    if isinstance(t, T.IntType):
        return True
    if isinstance(t, T.RecordType):
        return any(has_int(f) for _, f in t.fields)
    if isinstance(t, T.MapType):
        return has_int(t.key) or has_int(t.value)
    if isinstance(t, (T.SetType, T.SeqType)):
        return has_int(t.elem)
    return False


def member(xt: T.Type, x: Sym, ct: T.Type, container: Sym) -> z3.BoolRef:
    """`x in container` for a set, a sequence or a bag."""
    if isinstance(container, SymSet):
        known = concrete(xt, x)
        if known is not None:
            return dict(zip(container.universe, container.bits)).get(known, FALSE)
        return disj([conj([b, eq(xt, x, container.elem, const(container.elem, m))])
                     for m, b in zip(container.universe, container.bits)])
    if isinstance(container, SymBag):
        return disj([conj([c > 0, eq(xt, x, container.elem, const(container.elem, m))])
                     for m, c in zip(container.universe, container.counts)])
    assert isinstance(ct, T.SeqType)
    return disj([conj([fold(z3.IntVal(i) < container.length), eq(xt, x, ct.elem, slot)])
                 for i, slot in enumerate(container.slots)])


def select(map_type: T.MapType, items: Sequence[Sym], key_type: T.Type,
           key: Sym) -> tuple[Sym, z3.BoolRef]:
    """`m[k]`, and whether `k` lies in the map's domain."""
    keys = list(T.values(map_type.key))
    known = concrete(key_type, key)
    if known is not None:
        if known in keys:
            return items[keys.index(known)], TRUE
        return default(map_type.value), FALSE
    conds = [eq(key_type, key, map_type.key, const(map_type.key, k)) for k in keys]
    value = items[-1]
    for i in reversed(range(len(keys) - 1)):
        value = ite(map_type.value, conds[i], items[i], value)
    inside = TRUE if isinstance(map_type.key, (T.BoolType, T.EnumType)) else disj(conds)
    return value, inside


def seq_append(elem: T.Type, seq: SymSeq, item: Sym) -> SymSeq:
    n = len(seq.slots)
    slots = [ite(elem, fold(seq.length == i), item, seq.slots[i]) for i in range(n)]
    slots.append(ite(elem, fold(seq.length == n), item, default(elem)))
    return SymSeq(fold(seq.length + 1), tuple(slots))


def bag_add(bag: SymBag, item_type: T.Type, item: Sym,
            extra: tuple[T.Value, ...]) -> SymBag:
    known = concrete(item_type, item)
    candidates = list(bag.universe)
    seen = set(candidates)
    for m in ((known,) if known is not None else extra):
        if m not in seen:
            candidates.append(m)
            seen.add(m)
    have = dict(zip(bag.universe, bag.counts))
    counts = []
    for m in candidates:
        hit = eq(item_type, item, bag.elem, const(bag.elem, m))
        counts.append(fold(have.get(m, z3.IntVal(0)) + z3.If(hit, 1, 0)))
    return SymBag(bag.elem, tuple(candidates), tuple(counts))


def set_algebra(op: str, a: SymSet, b: SymSet) -> SymSet:
    right = dict(zip(b.universe, b.bits))
    if op == "union":
        left = dict(zip(a.universe, a.bits))
        members = list(a.universe) + [m for m in b.universe if m not in left]
        return SymSet(a.elem if a.universe else b.elem, tuple(members),
                      tuple(disj([left.get(m, FALSE), right.get(m, FALSE)]) for m in members))
    if op == "inter":
        return SymSet(a.elem, a.universe,
                      tuple(conj([x, right.get(m, FALSE)]) for m, x in zip(a.universe, a.bits)))
    return SymSet(a.elem, a.universe,
                  tuple(conj([x, neg(right.get(m, FALSE))]) for m, x in zip(a.universe, a.bits)))



def subseteq(a: SymSet, b: SymSet) -> z3.BoolRef:
    """Every member of `a` is a member of `b`."""
    right = dict(zip(b.universe, b.bits))
    return conj([implies(x, right.get(m, FALSE)) for m, x in zip(a.universe, a.bits)])


POWERSET_LIMIT = 10  # `subset S` is encoded when S has at most this many candidate members


def powerset(a: SymSet) -> SymSet:
    """`subset a`: the subsets of a's candidate members, each present when all its members are
    in `a`."""
    if len(a.universe) > POWERSET_LIMIT:
        raise Refusal(f"`subset` of a set with {len(a.universe)} candidate members "
                      f"(at most {POWERSET_LIMIT})")
    members, bits = [], []
    for mask in range(1 << len(a.universe)):
        chosen = [i for i in range(len(a.universe)) if mask >> i & 1]
        members.append(frozenset(a.universe[i] for i in chosen))
        bits.append(conj([a.bits[i] for i in chosen]))
    order = sorted(range(len(members)), key=lambda k: T.sort_key(members[k]))
    return SymSet(T.SetType(a.elem), tuple(members[k] for k in order),
                  tuple(bits[k] for k in order))


def first_member(t: T.Type, candidates: Sequence[tuple[T.Value, z3.BoolRef]]
                 ) -> tuple[Sym, z3.BoolRef]:
    """`choose`: the first candidate (in the order of the type's values) whose condition holds,
    and whether any does."""
    ordered = sorted(candidates, key=lambda mc: T.sort_key(mc[0]))
    value = default(t)
    for m, cond in reversed(ordered):
        value = ite(t, cond, const(t, m), value)
    return value, disj([c for _, c in ordered])
