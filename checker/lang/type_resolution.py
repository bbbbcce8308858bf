"""Type expressions to types: ranges with constant bounds, maps with finite keys, sequences
with a constant capacity, records; named types are resolved by the caller's `named`."""

from __future__ import annotations

from typing import Callable

from checker import errors
from checker.errors import Span, SpecError
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.lang import syntax as s
from checker.lang.stmt_checker import StmtChecker


MAX_TYPE_NESTING = 16  # `set of map[...] of seq ...`: how deeply types may nest (E103)


def resolve_type(checker: StmtChecker, t: s.TypeExpr,
                 named: Callable[[str, Span], T.Type], depth: int = 1) -> T.Type:
    """A type expression to a type; range bounds and capacities are constant expressions."""
    if depth > MAX_TYPE_NESTING:
        raise SpecError(errors.TOO_DEEP, f"type nested more than {MAX_TYPE_NESTING} levels deep",
                        t.span)

    def sub(x: s.TypeExpr) -> T.Type:
        return resolve_type(checker, x, named, depth + 1)

    if isinstance(t, s.TBool):
        return T.BOOL
    if isinstance(t, s.TInt):
        return T.INT
    if isinstance(t, s.TRange):
        lo_node, lo = int_constant(checker, t.lo)
        hi_node, hi = int_constant(checker, t.hi)
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
        capacity_node, capacity = int_constant(checker, t.capacity)
        if capacity < 0:
            raise SpecError(errors.TYPE_MISMATCH, "a capacity cannot be negative", t.capacity.span)
        return T.SeqType(sub(t.elem), capacity, t.bag, capacity_node)
    assert isinstance(t, s.TRecord)
    names = [n for n, _ in t.fields]
    for n in names:
        if names.count(n) > 1:
            raise SpecError(errors.DUPLICATE, f"field '{n}' declared twice", t.span)
    return T.record({n: sub(x) for n, x in t.fields})


def int_constant(checker: StmtChecker, e: s.Expr) -> tuple[ir.Expr, int]:
    """A constant integer and the expression it was written as (kept for symbolic proofs)."""
    node, value = checker.constant(e)
    if not isinstance(node.type, T.IntType):
        raise checker._mismatch("an integer", node.type, e.span)
    return node, int(value)
