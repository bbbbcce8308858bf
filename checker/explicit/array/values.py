"""Values of a whole batch of states at once, and the operations the compiled kernels use.

A batch value mirrors its type: a scalar (bool, int, enum index) is a leaf, either an array with
one entry per state of the batch or a plain Python constant that broadcasts; a record or map is a
`Rec` of its items (fields, or values in key order); a set is a `SetV` (a boolean leaf per element
of a sorted universe); a sequence is a `SeqV` (a length leaf and slots); a bag is a `BagV` (a count
leaf per element). The functions use only operations that numpy and CuPy share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as xp

from checker.ir import types as T

Leaf = Any  # an array over the batch, or a Python bool/int constant


@dataclass(frozen=True)
class Rec:
    items: tuple[Val, ...]


@dataclass(frozen=True)
class SetV:
    universe: tuple[Any, ...]  # element values (stored form), sorted
    members: tuple[Leaf, ...]


@dataclass(frozen=True)
class SeqV:
    length: Leaf
    slots: tuple[Val, ...]


@dataclass(frozen=True)
class BagV:
    universe: tuple[Any, ...]
    counts: tuple[Leaf, ...]


# A batch value: a Leaf, Rec, SetV, SeqV or BagV, as its IR type says. Typed Any because which
# one is fixed by the IR type, not by anything mypy can see (a Union would need a cast per use).
Val = Any


def is_array(x: Leaf) -> bool:
    """Whether a leaf varies over the batch (a 0-d array or numpy scalar is a constant)."""
    return getattr(x, "ndim", 0) > 0


def offset(x: Leaf, by: int) -> Leaf:
    """`x - by`, staying a Python int for a constant."""
    if not by:
        return x
    return xp.subtract(x, by) if is_array(x) else int(x) - by


# ---------------------------------------------------------------- constants


def const(t: T.Type, v: Any) -> Val:
    """A stored value as a batch value made of constants."""
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return v
    if isinstance(t, T.MapType):
        return Rec(tuple(const(t.value, x) for x in v))
    if isinstance(t, T.RecordType):
        return Rec(tuple(const(f, x) for (_, f), x in zip(t.fields, v)))
    if isinstance(t, T.SetType):
        elems = tuple(T.sort_values(v))
        return SetV(elems, (True,) * len(elems))
    assert isinstance(t, T.SeqType)
    if t.bag:
        elems = tuple(T.sort_values(set(v)))
        return BagV(elems, tuple(v.count(e) for e in elems))
    return SeqV(len(v), tuple(const(t.elem, x) for x in v))


def zero(t: T.Type) -> Val:
    """The value an all-zero packed field stands for (padding of unused sequence slots)."""
    if isinstance(t, T.BoolType):
        return False
    if isinstance(t, T.IntType):
        return t.lo if t.lo is not None else 0
    if isinstance(t, T.EnumType):
        return 0
    if isinstance(t, T.MapType):
        return Rec(tuple(zero(t.value) for _ in range(T.size(t.key))))
    if isinstance(t, T.RecordType):
        return Rec(tuple(zero(f) for _, f in t.fields))
    if isinstance(t, T.SetType):
        return SetV((), ())
    if t.bag:
        return BagV((), ())
    return SeqV(0, ())


# ---------------------------------------------------------------- universes and shapes


def merged_universe(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    if a == b:
        return a
    return tuple(T.sort_values(set(a) | set(b)))


def members_in(s: SetV, universe: tuple[Any, ...]) -> tuple[Leaf, ...]:
    """The membership leaves of `s` over another universe (False where `s` has no element)."""
    if s.universe == universe:
        return s.members
    where = {e: m for e, m in zip(s.universe, s.members)}
    return tuple(where.get(e, False) for e in universe)


def counts_in(b: BagV, universe: tuple[Any, ...]) -> tuple[Leaf, ...]:
    if b.universe == universe:
        return b.counts
    where = {e: c for e, c in zip(b.universe, b.counts)}
    return tuple(where.get(e, 0) for e in universe)


def padded(q: SeqV, slots: int, elem: T.Type) -> tuple[Val, ...]:
    return q.slots + tuple(zero(elem) for _ in range(slots - len(q.slots)))


def leaves_outside(s: SetV, universe: tuple[Any, ...]) -> list[Leaf]:
    """Membership leaves of the elements of `s` that `universe` does not have."""
    inside = set(universe)
    return [m for e, m in zip(s.universe, s.members) if e not in inside]


# ---------------------------------------------------------------- structural operations


def where(c: Leaf, a: Val, b: Val, t: T.Type) -> Val:
    """`a` where `c` holds, else `b`."""
    if c is True:
        return a
    if c is False:
        return b
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        if a is b:
            return a
        return xp.where(c, a, b)
    if isinstance(t, T.MapType):
        return Rec(tuple(where(c, x, y, t.value) for x, y in zip(a.items, b.items)))
    if isinstance(t, T.RecordType):
        return Rec(tuple(where(c, x, y, f) for (_, f), x, y in zip(t.fields, a.items, b.items)))
    if isinstance(t, T.SetType):
        u = merged_universe(a.universe, b.universe)
        return SetV(u, tuple(where(c, x, y, T.BOOL)
                             for x, y in zip(members_in(a, u), members_in(b, u))))
    assert isinstance(t, T.SeqType)
    if t.bag:
        u = merged_universe(a.universe, b.universe)
        return BagV(u, tuple(where(c, x, y, T.INT)
                             for x, y in zip(counts_in(a, u), counts_in(b, u))))
    n = max(len(a.slots), len(b.slots))
    return SeqV(where(c, a.length, b.length, T.INT),
                tuple(where(c, x, y, t.elem)
                      for x, y in zip(padded(a, n, t.elem), padded(b, n, t.elem))))


def select(index: Leaf, options: Sequence[Val], t: T.Type) -> Val:
    """`options[index]` per state (index outside the options: the last one; callers check)."""
    if not is_array(index):
        return options[int(index)]
    out = options[-1]
    for i in range(len(options) - 2, -1, -1):
        out = where(xp.equal(index, i), options[i], out, t)
    return out


def conj(leaves: Sequence[Leaf]) -> Leaf:
    out: Leaf = True
    for x in leaves:
        if x is False:
            return False
        if x is not True:
            out = x if out is True else xp.logical_and(out, x)
    return out


def disj(leaves: Sequence[Leaf]) -> Leaf:
    out: Leaf = False
    for x in leaves:
        if x is True:
            return True
        if x is not False:
            out = x if out is False else xp.logical_or(out, x)
    return out


def negate(x: Leaf) -> Leaf:
    if x is True or x is False:
        return not x
    return xp.logical_not(x)


def leaf_eq(a: Leaf, b: Leaf) -> Leaf:
    if a is b:
        return True
    if not is_array(a) and not is_array(b):
        return bool(a == b)
    return xp.equal(a, b)


def eq(a: Val, b: Val, t: T.Type) -> Leaf:
    """Whether two values are equal, per state."""
    if a is b:
        return True
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return leaf_eq(a, b)
    if isinstance(t, T.MapType):
        return conj([eq(x, y, t.value) for x, y in zip(a.items, b.items)])
    if isinstance(t, T.RecordType):
        return conj([eq(x, y, f) for (_, f), x, y in zip(t.fields, a.items, b.items)])
    if isinstance(t, T.SetType):
        u = merged_universe(a.universe, b.universe)
        return conj([leaf_eq(x, y) for x, y in zip(members_in(a, u), members_in(b, u))])
    assert isinstance(t, T.SeqType)
    if t.bag:
        u = merged_universe(a.universe, b.universe)
        return conj([leaf_eq(x, y) for x, y in zip(counts_in(a, u), counts_in(b, u))])
    n = max(len(a.slots), len(b.slots))
    same = [leaf_eq(a.length, b.length)]
    for i, (x, y) in enumerate(zip(padded(a, n, t.elem), padded(b, n, t.elem))):
        same.append(disj([less_equal(a.length, i), eq(x, y, t.elem)]))
    return conj(same)


def less_equal(a: Leaf, b: Leaf) -> Leaf:
    if not is_array(a) and not is_array(b):
        return bool(a <= b)
    return xp.less_equal(a, b)


def member(x: Val, s: SetV, elem: T.Type) -> Leaf:
    """Whether `x` is an element of `s`, per state."""
    if not s.universe:
        return False
    if is_constant(x):
        key = to_stored(x)
        for e, m in zip(s.universe, s.members):
            if e == key:
                return m
        return False
    if all(m is True for m in s.members) and isinstance(elem, (T.IntType, T.EnumType, T.BoolType)):
        return _in_constant_ints(x, s.universe)
    return disj([conj([m, eq(x, const(elem, e), elem)]) for e, m in zip(s.universe, s.members)])


def _in_constant_ints(x: Leaf, universe: tuple[Any, ...]) -> Leaf:
    lo, hi = int(universe[0]), int(universe[-1])
    if hi - lo + 1 == len(universe):
        return xp.logical_and(xp.greater_equal(x, lo), xp.less_equal(x, hi))
    return xp.isin(x, xp.asarray([int(e) for e in universe]))


def is_constant(v: Val) -> bool:
    if isinstance(v, Rec):
        return all(is_constant(x) for x in v.items)
    if isinstance(v, SetV):
        return all(not is_array(m) for m in v.members)
    if isinstance(v, SeqV):
        return not is_array(v.length) and all(is_constant(x) for x in v.slots)
    if isinstance(v, BagV):
        return all(not is_array(c) for c in v.counts)
    return not is_array(v)


def to_stored(v: Val) -> Any:
    """A constant batch value in stored form (a set or bag with constant membership)."""
    if isinstance(v, Rec):
        return tuple(to_stored(x) for x in v.items)
    if isinstance(v, SetV):
        return frozenset(e for e, m in zip(v.universe, v.members) if m)
    if isinstance(v, SeqV):
        return tuple(to_stored(x) for x in v.slots[:int(v.length)])
    if isinstance(v, BagV):
        return tuple(e for e, c in zip(v.universe, v.counts) for _ in range(int(c)))
    return v


def map_leaves(v: Val, f: Callable[[Leaf], Leaf]) -> Val:
    """The same value with `f` applied to every leaf (used to take rows of a batch)."""
    if isinstance(v, Rec):
        return Rec(tuple(map_leaves(x, f) for x in v.items))
    if isinstance(v, SetV):
        return SetV(v.universe, tuple(f(m) for m in v.members))
    if isinstance(v, SeqV):
        return SeqV(f(v.length), tuple(map_leaves(x, f) for x in v.slots))
    if isinstance(v, BagV):
        return BagV(v.universe, tuple(f(c) for c in v.counts))
    return f(v)


def contains(t: T.Type, v: Val) -> Leaf:
    """Whether the value lies in the type's domain, per state (as `types.contains`)."""
    if isinstance(t, T.IntType):
        if not t.bounded:
            return True
        return conj([less_equal(t.lo, v), less_equal(v, t.hi)])
    if isinstance(t, (T.BoolType, T.EnumType)):
        return True
    if isinstance(t, T.MapType):
        return conj([contains(t.value, x) for x in v.items])
    if isinstance(t, T.RecordType):
        return conj([contains(f, x) for (_, f), x in zip(t.fields, v.items)])
    if isinstance(t, T.SetType):
        inside = set(T.values(t.elem)) if T.is_finite(t.elem) else None
        return conj([negate(m) for e, m in zip(v.universe, v.members)
                     if not _elem_in(t.elem, e, inside)])
    assert isinstance(t, T.SeqType)
    if t.bag:
        total = sum_leaves(v.counts)
        inside = set(T.values(t.elem)) if T.is_finite(t.elem) else None
        ok = [less_equal(total, t.capacity)]
        ok += [leaf_eq(c, 0) for e, c in zip(v.universe, v.counts)
               if not _elem_in(t.elem, e, inside)]
        return conj(ok)
    ok = [less_equal(v.length, t.capacity)]
    for i, slot in enumerate(v.slots):
        ok.append(disj([less_equal(v.length, i), contains(t.elem, slot)]))
    return conj(ok)


def _elem_in(t: T.Type, e: Any, inside: Any) -> bool:
    return T.contains(t, e) if inside is None else e in inside


def sum_leaves(leaves: Sequence[Leaf]) -> Leaf:
    total: Leaf = 0
    for x in leaves:
        if is_array(x) and x.dtype == xp.bool_:
            x = x.astype(xp.int64)
        elif not is_array(x):
            x = int(x)
        total = x if (not is_array(total) and total == 0) else total + x
    return total
