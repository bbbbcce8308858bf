"""Which symbolic constants an expression or a type reads, and the uses that fix the shape of
the encoding (a map's keys, the candidates of a set, a capacity), which cannot be symbolic.

When collecting (`checker.smt.symbolic` probing which constants may stay symbolic), a shaping
use is recorded in `shaping`; otherwise it is refused.
"""

from __future__ import annotations

from typing import Mapping

import z3

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.smt.ops import has_int
from checker.smt.values import Refusal, need_universe


class ConstantUses:
    """`symbols` maps the names of symbolic constants to Z3 integers."""

    def __init__(self, symbols: Mapping[str, z3.ArithRef], collecting: bool = False):
        self.symbols = dict(symbols)
        self.collecting = collecting  # record shaping uses of symbols instead of refusing them
        self.shaping: dict[str, str] = {}  # symbolic constant -> the first use that shapes
        self._taint: dict[int, tuple[T.Type, frozenset[str]]] = {}

    def names_in(self, e: ir.Expr) -> frozenset[str]:
        """The symbolic constants an expression reads, directly or through a type's bounds."""
        if not self.symbols:
            return frozenset()
        if isinstance(e, ir.Lit):
            own = frozenset({e.const}) if e.const in self.symbols else frozenset()
            return own | self.names_in_type(e.type)
        if isinstance(e, (ir.Var, ir.Local)):
            return self.names_in_type(e.type)
        if isinstance(e, ir.Op):
            found = self.names_in_type(e.type)
            for a in e.args:
                found |= self.names_in(a)
            return found
        found = self.names_in(e.domain) | self.names_in(e.body) | self.names_in_type(e.var_type)
        return found | (self.names_in(e.cond) if e.cond is not None else frozenset())

    def mentions(self, e: ir.Expr) -> bool:
        return bool(self.names_in(e))

    def names_in_type(self, t: T.Type) -> frozenset[str]:
        """The symbolic constants a type's integer bounds or capacities are written with."""
        if not self.symbols:
            return frozenset()
        # keyed by identity: equal types may be written differently (`0..3` and `0..T`)
        known = self._taint.get(id(t))
        if known is None:
            known = (t, self._names_in_type(t))
            self._taint[id(t)] = known
        return known[1]

    def _names_in_type(self, t: T.Type) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        if isinstance(t, T.IntType):
            for x in (t.lo_expr, t.hi_expr):
                if x is not None:
                    found |= self.names_in(x)
        elif isinstance(t, T.RecordType):
            for _, f in t.fields:
                found |= self.names_in_type(f)
        elif isinstance(t, T.MapType):
            found = self.names_in_type(t.key) | self.names_in_type(t.value)
        elif isinstance(t, T.SetType):
            found = self.names_in_type(t.elem)
        elif isinstance(t, T.SeqType):
            found = self.names_in_type(t.elem)
            if t.capacity_expr is not None:
                found |= self.names_in(t.capacity_expr)
        return found

    def needs_concrete(self, names: frozenset[str], what: str) -> None:
        """A use of symbolic constants that fixes the shape of the encoding (a map's keys, the
        candidates of a set, a capacity): recorded when collecting, refused otherwise."""
        if not names:
            return
        if self.collecting:
            for name in names:
                self.shaping.setdefault(name, what)
            return
        shown = ", ".join(sorted(names))
        raise Refusal(f"{what}, which depends on the symbolic constant(s) {shown} (give them "
                      "values with --const to prove for one value)")

    def structural(self, t: T.Type, e: ir.Expr, what: str) -> tuple[T.Value, ...]:
        """The candidate elements of a set or bag built by `e`, which must not depend on a
        symbolic constant."""
        if has_int(t):
            self.needs_concrete(self.names_in(e), f"{what} over {t}")
        return need_universe(t, what)
