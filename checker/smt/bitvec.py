"""Integer formulas to bit-vector formulas of a width that provably never overflows.

BMC is much faster on bit-vectors (Z3 bit-blasts them to SAT) than on linear integer
arithmetic. The encoder builds integer formulas; this module computes an interval for every
integer subterm from the bounds of the leaves (state variables lie in their declared types,
choices in their ranges), picks a width that holds every interval with a sign bit to spare,
and rebuilds the formula over signed bit-vectors of that width. When some interval is
unbounded, `width_for` returns None and the caller keeps integers: never an approximation.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import z3

Interval = tuple[int, int]
MAX_WIDTH = 62


class _Unbounded(Exception):
    pass


class BitVectors:
    """Translates integer formulas over known leaves to bit-vectors (memoised)."""

    def __init__(self, leaf_intervals: Mapping[str, Interval], formulas: Iterable[z3.ExprRef]):
        self.leaf_intervals = dict(leaf_intervals)
        self._intervals: dict[int, tuple[z3.ExprRef, Interval]] = {}
        self._terms: dict[int, tuple[z3.ExprRef, z3.ExprRef]] = {}
        self.width: Optional[int] = None
        try:
            widest = 1
            for f in formulas:
                widest = max(widest, self._widest(f))
            bits = max(abs(widest), 1).bit_length() + 2  # sign bit and one to spare
            self.width = bits if bits <= MAX_WIDTH else None
        except _Unbounded:
            self.width = None

    # ------------------------------------------------------------ intervals
    def _widest(self, e: z3.ExprRef) -> int:
        """The largest magnitude of any integer subterm of `e`."""
        seen: set[int] = set()
        stack = [e]
        widest = 0
        while stack:
            x = stack.pop()
            if x.get_id() in seen:
                continue
            seen.add(x.get_id())
            if z3.is_int(x):
                lo, hi = self.interval(x)
                widest = max(widest, abs(lo), abs(hi))
            stack.extend(x.children())
        return widest

    def interval(self, e: z3.ExprRef) -> Interval:
        known = self._intervals.get(e.get_id())
        if known is not None:
            return known[1]
        found = self._interval(e)
        self._intervals[e.get_id()] = (e, found)
        return found

    def _interval(self, e: z3.ExprRef) -> Interval:
        if z3.is_int_value(e):
            n = e.as_long()
            return n, n
        if z3.is_const(e):
            found = self.leaf_intervals.get(str(e))
            if found is None:
                raise _Unbounded(str(e))
            return found
        kind = e.decl().kind()
        args = [self.interval(c) for c in e.children() if z3.is_int(c)]
        if kind == z3.Z3_OP_ITE:
            return min(args[0][0], args[1][0]), max(args[0][1], args[1][1])
        if kind == z3.Z3_OP_ADD:
            return sum(a[0] for a in args), sum(a[1] for a in args)
        if kind == z3.Z3_OP_SUB:
            lo, hi = args[0]
            for a in args[1:]:
                lo, hi = lo - a[1], hi - a[0]
            return lo, hi
        if kind == z3.Z3_OP_UMINUS:
            return -args[0][1], -args[0][0]
        if kind == z3.Z3_OP_MUL:
            lo, hi = args[0]
            for a in args[1:]:
                corners = [lo * a[0], lo * a[1], hi * a[0], hi * a[1]]
                lo, hi = min(corners), max(corners)
            return lo, hi
        if kind in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD):
            m = max(abs(args[0][0]), abs(args[0][1]), abs(args[1][0]), abs(args[1][1]), 1)
            return -m - 1, m + 1
        raise _Unbounded(str(e.decl()))

    # ------------------------------------------------------------ translation
    def term(self, e: z3.ExprRef) -> z3.ExprRef:
        known = self._terms.get(e.get_id())
        if known is not None:
            return known[1]
        out = self._term(e)
        self._terms[e.get_id()] = (e, out)
        return out

    def leaf(self, e: z3.ExprRef) -> z3.ExprRef:
        """The bit-vector constant standing for an integer constant (Booleans stay)."""
        assert self.width is not None
        return z3.BitVec(str(e), self.width) if z3.is_int(e) else e

    def _term(self, e: z3.ExprRef) -> z3.ExprRef:
        assert self.width is not None
        if z3.is_int_value(e):
            return z3.BitVecVal(e.as_long(), self.width)
        if z3.is_true(e) or z3.is_false(e):
            return e
        if z3.is_const(e):
            return self.leaf(e)
        kind = e.decl().kind()
        a = [self.term(c) for c in e.children()]
        return _rebuild(kind, a, e)


def _rebuild(kind: int, a: list[Any], original: z3.ExprRef) -> z3.ExprRef:
    if kind == z3.Z3_OP_AND:
        return z3.And(*a)
    if kind == z3.Z3_OP_OR:
        return z3.Or(*a)
    if kind == z3.Z3_OP_NOT:
        return z3.Not(a[0])
    if kind == z3.Z3_OP_IMPLIES:
        return z3.Implies(a[0], a[1])
    if kind == z3.Z3_OP_XOR:
        return z3.Xor(a[0], a[1])
    if kind == z3.Z3_OP_EQ:
        return a[0] == a[1]
    if kind == z3.Z3_OP_DISTINCT:
        return z3.Distinct(*a)
    if kind == z3.Z3_OP_ITE:
        return z3.If(a[0], a[1], a[2])
    if kind == z3.Z3_OP_LE:
        return a[0] <= a[1]
    if kind == z3.Z3_OP_LT:
        return a[0] < a[1]
    if kind == z3.Z3_OP_GE:
        return a[0] >= a[1]
    if kind == z3.Z3_OP_GT:
        return a[0] > a[1]
    if kind in (z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_MUL):
        out = a[0]
        for x in a[1:]:
            out = out + x if kind == z3.Z3_OP_ADD else out - x if kind == z3.Z3_OP_SUB \
                else out * x
        return out
    if kind == z3.Z3_OP_UMINUS:
        return -a[0]
    if kind in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD):
        return _euclidean(kind, a[0], a[1])
    raise AssertionError(f"no bit-vector form for {original.decl()}")


def _euclidean(kind: int, a: Any, b: Any) -> Any:
    """SMT-LIB's integer div/mod (the remainder is never negative) on signed bit-vectors."""
    q0 = a / b  # bvsdiv: truncates toward zero
    r0 = z3.SRem(a, b)  # the sign of the dividend
    negative = r0 < 0
    q = z3.If(negative, z3.If(b > 0, q0 - 1, q0 + 1), q0)
    r = z3.If(negative, z3.If(b > 0, r0 + b, r0 - b), r0)
    return q if kind == z3.Z3_OP_IDIV else r


def signed_value(v: z3.ExprRef) -> Any:
    """The Python value of an evaluated leaf (integer, bit-vector or Boolean)."""
    if z3.is_bv_value(v):
        return v.as_signed_long()
    if z3.is_int_value(v):
        return v.as_long()
    return z3.is_true(v)
