"""Symbolic values for the Z3 encoding: one shape per type of the spec language.

A symbolic value (`Sym`) mirrors the stored form of `checker.types`:

- bool -> a Z3 Bool; integers and enum members -> a Z3 Int (an enum member is its index);
- record -> a tuple of field values (fields sorted by name); map -> a tuple with one value per
  key, in the key type's order (maps over finite domains are unrolled);
- set -> `SymSet`: one Bool per candidate element (its universe, a tuple of stored values);
- seq/fifo -> `SymSeq`: a length and `capacity` slots; nothing reads the slots past the length
  (values the encoder builds keep them at the element type's default);
- bag -> `SymBag`: one count per candidate element.

Sets and bags carry their universe, so values of the same type built in different ways (a set
literal, a union, a state variable) can still be compared, merged and stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

import z3

from checker.ir import types as T

Sym = Any  # a symbolic value, shaped by its type as described above
Bounds = Callable[[T.IntType], Optional[tuple[Any, Any]]]  # an int type's bounds, maybe symbolic

UNIVERSE_LIMIT = 1024  # the most candidate elements a set or bag may have


class Refusal(Exception):
    """Something the encoder cannot express exactly; becomes a located E500 error."""


@dataclass(frozen=True)
class SymSet:
    elem: T.Type
    universe: tuple[T.Value, ...]
    bits: tuple[z3.BoolRef, ...]


@dataclass(frozen=True)
class SymSeq:
    length: z3.ArithRef
    slots: tuple[Sym, ...]


@dataclass(frozen=True)
class SymBag:
    elem: T.Type
    universe: tuple[T.Value, ...]
    counts: tuple[z3.ArithRef, ...]


TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


def concrete_bounds(t: T.IntType) -> Optional[tuple[Any, Any]]:
    return (t.lo, t.hi) if t.bounded else None


# ---------------------------------------------------------------- boolean helpers


def conj(items: Sequence[Any]) -> z3.BoolRef:
    """And, dropping literal truths (a literal falsity makes the whole thing false)."""
    kept = []
    for x in items:
        if z3.is_true(x):
            continue
        if z3.is_false(x):
            return FALSE
        kept.append(x)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else z3.And(*kept)


def disj(items: Sequence[Any]) -> z3.BoolRef:
    kept = []
    for x in items:
        if z3.is_false(x):
            continue
        if z3.is_true(x):
            return TRUE
        kept.append(x)
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else z3.Or(*kept)


def neg(x: Any) -> z3.BoolRef:
    if z3.is_true(x):
        return FALSE
    if z3.is_false(x):
        return TRUE
    return z3.Not(x)


def implies(a: Any, b: Any) -> z3.BoolRef:
    return disj([neg(a), b])


def if_then(c: Any, a: Any, b: Any) -> Any:
    """z3.If on scalars, short-cut when the condition is a literal or both sides are equal."""
    if z3.is_true(c):
        return a
    if z3.is_false(c):
        return b
    if a is b or (isinstance(a, z3.ExprRef) and isinstance(b, z3.ExprRef) and a.eq(b)):
        return a
    return z3.If(c, a, b)


# ---------------------------------------------------------------- universes and constants


def universe(t: T.Type) -> Optional[tuple[T.Value, ...]]:
    """Every value of a finite, small type, in the type's order; None otherwise."""
    if not T.is_finite(t) or T.size(t) > UNIVERSE_LIMIT:
        return None
    return tuple(T.values(t))


def need_universe(t: T.Type, what: str) -> tuple[T.Value, ...]:
    found = universe(t)
    if found is None:
        why = "is unbounded" if not T.is_finite(t) else f"has more than {UNIVERSE_LIMIT} values"
        raise Refusal(f"{what}: the element type {t} {why}")
    return found


def scalar(t: T.Type, v: T.Value) -> z3.ExprRef:
    if isinstance(t, T.BoolType):
        return z3.BoolVal(bool(v))
    return z3.IntVal(int(v))


def const(t: T.Type, v: T.Value) -> Sym:
    """The symbolic form of a stored value."""
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return scalar(t, v)
    if isinstance(t, T.RecordType):
        return tuple(const(ft, x) for (_, ft), x in zip(t.fields, v))
    if isinstance(t, T.MapType):
        return tuple(const(t.value, x) for x in v)
    if isinstance(t, T.SetType):
        known = universe(t.elem)
        members = known if known is not None else tuple(T.sort_values(v))
        return SymSet(t.elem, members, tuple(z3.BoolVal(m in v) for m in members))
    assert isinstance(t, T.SeqType)
    if t.bag:
        known = universe(t.elem)
        members = known if known is not None else tuple(T.sort_values(set(v)))
        return SymBag(t.elem, members, tuple(z3.IntVal(v.count(m)) for m in members))
    slots = tuple(const(t.elem, v[i]) if i < len(v) else default(t.elem)
                  for i in range(max(t.capacity, len(v))))
    return SymSeq(z3.IntVal(len(v)), slots)


def default(t: T.Type) -> Sym:
    """The value that fills unused sequence slots."""
    if isinstance(t, T.BoolType):
        return FALSE
    if isinstance(t, T.IntType):
        return z3.IntVal(t.lo if t.lo is not None else 0)
    if isinstance(t, T.EnumType):
        return z3.IntVal(0)
    if isinstance(t, T.RecordType):
        return tuple(default(ft) for _, ft in t.fields)
    if isinstance(t, T.MapType):
        return tuple(default(t.value) for _ in range(T.size(t.key)))
    if isinstance(t, T.SetType):
        return SymSet(t.elem, (), ())
    assert isinstance(t, T.SeqType)
    if t.bag:
        return SymBag(t.elem, (), ())
    return SymSeq(z3.IntVal(0), tuple(default(t.elem) for _ in range(t.capacity)))


def concrete(t: T.Type, v: Sym) -> Optional[T.Value]:
    """The stored value a symbolic value stands for, when it is a literal; None otherwise."""
    if isinstance(t, T.BoolType):
        return True if z3.is_true(v) else (False if z3.is_false(v) else None)
    if isinstance(t, (T.IntType, T.EnumType)):
        return v.as_long() if z3.is_int_value(v) else None
    if isinstance(t, (T.RecordType, T.MapType)):
        types = [ft for _, ft in t.fields] if isinstance(t, T.RecordType) else [t.value] * len(v)
        parts = [concrete(ft, x) for ft, x in zip(types, v)]
        return None if any(p is None for p in parts) else tuple(parts)
    if isinstance(t, T.SetType):
        bits = [concrete(T.BOOL, b) for b in v.bits]
        if any(b is None for b in bits):
            return None
        return frozenset(m for m, b in zip(v.universe, bits) if b)
    assert isinstance(t, T.SeqType)
    if t.bag:
        counts = [c.as_long() if z3.is_int_value(c) else None for c in v.counts]
        if any(c is None for c in counts):
            return None
        return tuple(sorted(m for m, c in zip(v.universe, counts) for _ in range(c or 0)))
    n = concrete(T.INT, v.length)
    if n is None:
        return None
    items = [concrete(t.elem, v.slots[i]) for i in range(min(n, len(v.slots)))]
    return None if any(x is None for x in items) else tuple(items)


# ---------------------------------------------------------------- fresh values and decoding


def fresh(t: T.Type, name: str) -> Sym:
    """A value made of new Z3 constants named after `name` (a state variable, say)."""
    if isinstance(t, T.BoolType):
        return z3.Bool(name)
    if isinstance(t, (T.IntType, T.EnumType)):
        return z3.Int(name)
    if isinstance(t, T.RecordType):
        return tuple(fresh(ft, f"{name}.{fn}") for fn, ft in t.fields)
    if isinstance(t, T.MapType):
        return tuple(fresh(t.value, f"{name}[{T.format_value(t.key, k)}]")
                     for k in T.values(t.key))
    if isinstance(t, T.SetType):
        members = need_universe(t.elem, "a set variable")
        return SymSet(t.elem, members, tuple(z3.Bool(f"{name}∋{T.format_value(t.elem, m)}")
                                             for m in members))
    assert isinstance(t, T.SeqType)
    if t.bag:
        members = need_universe(t.elem, "a bag variable")
        return SymBag(t.elem, members, tuple(z3.Int(f"{name}#{T.format_value(t.elem, m)}")
                                             for m in members))
    return SymSeq(z3.Int(f"{name}.len"),
                  tuple(fresh(t.elem, f"{name}[{i + 1}]") for i in range(t.capacity)))


def leaves(v: Sym) -> list[z3.ExprRef]:
    """The Z3 terms a value is made of, in a fixed order (for substitution)."""
    if isinstance(v, z3.ExprRef):
        return [v]
    if isinstance(v, SymSet):
        return list(v.bits)
    if isinstance(v, SymBag):
        return list(v.counts)
    if isinstance(v, SymSeq):
        return [v.length] + [x for s in v.slots for x in leaves(s)]
    return [x for part in v for x in leaves(part)]


def decode(t: T.Type, v: Sym, value: Callable[[z3.ExprRef], Any]) -> T.Value:
    """The stored value of `v`, given the Python value (bool or int) of each leaf."""
    if isinstance(t, T.BoolType):
        return bool(value(v))
    if isinstance(t, (T.IntType, T.EnumType)):
        return int(value(v))
    if isinstance(t, T.RecordType):
        return tuple(decode(ft, x, value) for (_, ft), x in zip(t.fields, v))
    if isinstance(t, T.MapType):
        return tuple(decode(t.value, x, value) for x in v)
    if isinstance(t, T.SetType):
        return frozenset(m for m, b in zip(v.universe, v.bits) if value(b))
    assert isinstance(t, T.SeqType)
    if t.bag:
        out = []
        for m, c in zip(v.universe, v.counts):
            out += [m] * int(value(c))
        return tuple(sorted(out))
    n = int(value(v.length))
    return tuple(decode(t.elem, v.slots[i], value) for i in range(n))


def leaf_intervals(t: T.Type, v: Sym) -> list[tuple[z3.ExprRef, int, int]]:
    """Each integer leaf of a fresh value with the interval its type allows (none if unbounded).

    Sequence slots past the length hold the default value, so every slot is bounded too.
    """
    if isinstance(t, T.BoolType):
        return []
    if isinstance(t, T.IntType):
        return [(v, t.lo, t.hi)] if t.lo is not None and t.hi is not None else []
    if isinstance(t, T.EnumType):
        return [(v, 0, max(0, len(t.members) - 1))]
    if isinstance(t, T.RecordType):
        return [x for (_, ft), part in zip(t.fields, v) for x in leaf_intervals(ft, part)]
    if isinstance(t, T.MapType):
        return [x for part in v for x in leaf_intervals(t.value, part)]
    if isinstance(t, T.SetType):
        return []
    assert isinstance(t, T.SeqType)
    if t.bag:
        return [(c, 0, t.capacity) for c in v.counts]
    return [(v.length, 0, t.capacity)] + [x for slot in v.slots
                                           for x in leaf_intervals(t.elem, slot)]


# ---------------------------------------------------------------- comparison and merging


def eq(ta: T.Type, a: Sym, tb: T.Type, b: Sym) -> z3.BoolRef:
    """Equality of two values of compatible types (integer bounds and capacities may differ)."""
    if isinstance(ta, (T.BoolType, T.IntType, T.EnumType)):
        if a is b:
            return TRUE
        return z3.simplify(a == b) if _both_literal(a, b) else a == b
    if isinstance(ta, T.RecordType):
        assert isinstance(tb, T.RecordType)
        return conj([eq(fa, x, fb, y) for (_, fa), (_, fb), x, y
                     in zip(ta.fields, tb.fields, a, b)])
    if isinstance(ta, T.MapType):
        assert isinstance(tb, T.MapType)
        return conj([eq(ta.value, x, tb.value, y) for x, y in zip(a, b)])
    if isinstance(ta, T.SetType):
        return _eq_members(a.universe, a.bits, b.universe, b.bits, FALSE)
    assert isinstance(ta, T.SeqType) and isinstance(tb, T.SeqType)
    if ta.bag:
        return _eq_members(a.universe, a.counts, b.universe, b.counts, z3.IntVal(0))
    n = min(len(a.slots), len(b.slots))
    parts = [a.length == b.length]
    parts += [implies(z3.IntVal(i) < a.length, eq(ta.elem, a.slots[i], tb.elem, b.slots[i]))
              for i in range(n)]
    return conj(parts)


def _both_literal(a: Any, b: Any) -> bool:
    return bool(z3.is_const(a) and z3.is_const(b)) and bool(
        (z3.is_int_value(a) and z3.is_int_value(b))
        or (z3.is_bool(a) and (z3.is_true(a) or z3.is_false(a))
            and (z3.is_true(b) or z3.is_false(b))))


def _eq_members(ua: Sequence[T.Value], xa: Sequence[Any], ub: Sequence[T.Value],
                xb: Sequence[Any], zero: Any) -> z3.BoolRef:
    left = dict(zip(ua, xa))
    right = dict(zip(ub, xb))
    parts = []
    for m in _merged(ua, ub):
        x, y = left.get(m, zero), right.get(m, zero)
        parts.append(TRUE if x is y else z3.simplify(x == y) if _both_literal(x, y) else x == y)
    return conj(parts)


def _merged(ua: Sequence[T.Value], ub: Sequence[T.Value]) -> list[T.Value]:
    seen = set(ua)
    return list(ua) + [m for m in ub if m not in seen]


def ite(t: T.Type, c: Any, a: Sym, b: Sym) -> Sym:
    """`if c then a else b` for two values of one type (universes may differ)."""
    if z3.is_true(c):
        return a
    if z3.is_false(c):
        return b
    if a is b:
        return a
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return if_then(c, a, b)
    if isinstance(t, T.RecordType):
        return tuple(ite(ft, c, x, y) for (_, ft), x, y in zip(t.fields, a, b))
    if isinstance(t, T.MapType):
        return tuple(ite(t.value, c, x, y) for x, y in zip(a, b))
    if isinstance(t, T.SetType):
        members = _merged(a.universe, b.universe)
        left, right = dict(zip(a.universe, a.bits)), dict(zip(b.universe, b.bits))
        return SymSet(a.elem if a.universe else b.elem, tuple(members),
                      tuple(if_then(c, left.get(m, FALSE), right.get(m, FALSE)) for m in members))
    assert isinstance(t, T.SeqType)
    if t.bag:
        members = _merged(a.universe, b.universe)
        zero = z3.IntVal(0)
        left, right = dict(zip(a.universe, a.counts)), dict(zip(b.universe, b.counts))
        return SymBag(a.elem if a.universe else b.elem, tuple(members),
                      tuple(if_then(c, left.get(m, zero), right.get(m, zero)) for m in members))
    n = max(len(a.slots), len(b.slots))
    pad = default(t.elem)
    slots = tuple(ite(t.elem, c, a.slots[i] if i < len(a.slots) else pad,
                      b.slots[i] if i < len(b.slots) else pad) for i in range(n))
    return SymSeq(if_then(c, a.length, b.length), slots)
