"""The types of operator results: joins of two types, integer bounds of arithmetic, builtins."""

from __future__ import annotations

from checker.ir import types as T

BUILTINS = {"min": 2, "max": 2, "abs": 1, "card": 1, "len": 1, "head": 1, "tail": 1,
            "append": 2, "count": 2, "keys": 1}

OP_TEXT = {"and": "and", "or": "or", "implies": "=>", "equiv": "<=>", "in": "in",
           "notin": "not in"}

def join(a: T.Type, b: T.Type) -> T.Type:
    """The smallest type holding values of both (only integer bounds and capacities differ)."""
    if isinstance(a, T.IntType) and isinstance(b, T.IntType):
        if a.bounded and b.bounded:
            return T.IntType(min(a.lo, b.lo), max(a.hi, b.hi))  # type: ignore[type-var]
        return T.INT
    if isinstance(a, T.SetType) and isinstance(b, T.SetType):
        return T.SetType(join(a.elem, b.elem))
    if isinstance(a, T.SeqType) and isinstance(b, T.SeqType):
        return T.SeqType(join(a.elem, b.elem), max(a.capacity, b.capacity), a.bag)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        return T.MapType(a.key, join(a.value, b.value))
    if isinstance(a, T.RecordType) and isinstance(b, T.RecordType):
        return T.RecordType(tuple((n, join(x, y)) for (n, x), (_, y) in zip(a.fields, b.fields)))
    return a


def arith_type(op: str, a: T.Type, b: T.Type) -> T.Type:
    assert isinstance(a, T.IntType) and isinstance(b, T.IntType)
    if not (a.bounded and b.bounded):
        return T.INT
    assert a.lo is not None and a.hi is not None and b.lo is not None and b.hi is not None
    if op == "add":
        return T.IntType(a.lo + b.lo, a.hi + b.hi)
    if op == "sub":
        return T.IntType(a.lo - b.hi, a.hi - b.lo)
    if op == "mul":
        corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        return T.IntType(min(corners), max(corners))
    if op == "mod" and b.lo > 0:
        return T.IntType(0, b.hi - 1)
    return T.INT


def minmax_type(f: str, a: T.Type, b: T.Type) -> T.Type:
    assert isinstance(a, T.IntType) and isinstance(b, T.IntType)
    if not (a.bounded and b.bounded):
        return T.INT
    pick = min if f == "min" else max
    return T.IntType(pick(a.lo, b.lo), pick(a.hi, b.hi))  # type: ignore[type-var]
