"""Whether a symbolic value lies in its type's domain, and values reshaped from one type to a
compatible one (a narrower integer range, another capacity, a set over another universe), with
the condition under which the value fits.

Integer bounds may be written with symbolic constants (`0..T`): `Bounds` gives them as Z3 terms.
"""

from __future__ import annotations

from typing import Any

import z3

from checker.ir import types as T
from checker.smt.values import (FALSE, TRUE, Bounds, Sym, SymBag, SymSeq, SymSet, conj, default,
                                disj, implies, ite, neg, need_universe)


def int_in(t: T.IntType, v: Any, bounds: Bounds) -> z3.BoolRef:
    found = bounds(t)
    if found is None:
        return TRUE
    lo, hi = found
    if z3.is_int_value(v) and isinstance(lo, int) and isinstance(hi, int):
        return z3.BoolVal(lo <= v.as_long() <= hi)
    return conj([_le(lo, v), _le(v, hi)])


def _le(a: Any, b: Any) -> z3.BoolRef:
    if isinstance(a, int) and isinstance(b, int):
        return z3.BoolVal(a <= b)
    result: z3.BoolRef = a <= b
    return result


def coerce(src: T.Type, dst: T.Type, v: Sym, bounds: Bounds) -> tuple[Sym, z3.BoolRef]:
    """`v` (of type `src`) reshaped as a value of `dst`, and whether it lies in `dst`'s domain.

    The reshaped value is canonical: sets and bags over `dst`'s universe, sequence slots past
    the length at their default.
    """
    if isinstance(dst, T.BoolType):
        return v, TRUE
    if isinstance(dst, T.IntType):
        return v, int_in(dst, v, bounds)
    if isinstance(dst, T.EnumType):
        return v, TRUE
    if isinstance(dst, T.RecordType):
        assert isinstance(src, T.RecordType)
        pairs = [coerce(fs, fd, x, bounds) for (_, fs), (_, fd), x
                 in zip(src.fields, dst.fields, v)]
        return tuple(p[0] for p in pairs), conj([p[1] for p in pairs])
    if isinstance(dst, T.MapType):
        assert isinstance(src, T.MapType)
        pairs = [coerce(src.value, dst.value, x, bounds) for x in v]
        return tuple(p[0] for p in pairs), conj([p[1] for p in pairs])
    if isinstance(dst, T.SetType):
        return _coerce_set(dst, v)
    assert isinstance(dst, T.SeqType) and isinstance(src, T.SeqType)
    if dst.bag:
        return _coerce_bag(dst, v)
    return _coerce_seq(src, dst, v, bounds)


def _coerce_set(dst: T.SetType, v: SymSet) -> tuple[Sym, z3.BoolRef]:
    members = need_universe(dst.elem, "a set")
    have = dict(zip(v.universe, v.bits))
    wanted = set(members)
    outside = [b for m, b in zip(v.universe, v.bits) if m not in wanted]
    return SymSet(dst.elem, members, tuple(have.get(m, FALSE) for m in members)), neg(disj(outside))


def _coerce_bag(dst: T.SeqType, v: SymBag) -> tuple[Sym, z3.BoolRef]:
    members = need_universe(dst.elem, "a bag")
    have = dict(zip(v.universe, v.counts))
    wanted = set(members)
    zero = z3.IntVal(0)
    counts = tuple(have.get(m, zero) for m in members)
    outside = [c == 0 for m, c in zip(v.universe, v.counts) if m not in wanted]
    total = z3.Sum(*counts) if counts else zero
    return SymBag(dst.elem, members, counts), conj(outside + [_le(total, dst.capacity)])


def _coerce_seq(src: T.SeqType, dst: T.SeqType, v: SymSeq,
                bounds: Bounds) -> tuple[Sym, z3.BoolRef]:
    slots = []
    fits = [_le(v.length, dst.capacity)]
    pad = default(dst.elem)
    for i in range(dst.capacity):
        if i >= len(v.slots):
            slots.append(pad)
            continue
        x, ok = coerce(src.elem, dst.elem, v.slots[i], bounds)
        alive = z3.IntVal(i) < v.length
        slots.append(ite(dst.elem, alive, x, pad))
        fits.append(implies(alive, ok))
    return SymSeq(v.length, tuple(slots)), conj(fits)


def domain(t: T.Type, v: Sym, bounds: Bounds) -> z3.BoolRef:
    """Whether a value built from fresh constants is a value of type `t` (sequence slots past
    the length are free: nothing reads them)."""
    if isinstance(t, T.BoolType):
        return TRUE
    if isinstance(t, T.IntType):
        return int_in(t, v, bounds)
    if isinstance(t, T.EnumType):
        return conj([v >= 0, v < len(t.members)])
    if isinstance(t, T.RecordType):
        return conj([domain(ft, x, bounds) for (_, ft), x in zip(t.fields, v)])
    if isinstance(t, T.MapType):
        return conj([domain(t.value, x, bounds) for x in v])
    if isinstance(t, T.SetType):
        return TRUE
    assert isinstance(t, T.SeqType)
    if t.bag:
        counts = list(v.counts)
        total = z3.Sum(*counts) if counts else z3.IntVal(0)
        return conj([c >= 0 for c in counts] + [_le(total, t.capacity)])
    parts = [v.length >= 0, _le(v.length, t.capacity)]
    for i, slot in enumerate(v.slots):
        parts.append(implies(z3.IntVal(i) < v.length, domain(t.elem, slot, bounds)))
    return conj(parts)
