"""Which integer constants stay symbolic in a Z3 check (proofs, `bmc --symbolic`), and why the
others keep their values.

Integer constants (`const T: int = 3 where T > 0;` and ranged ones such as `const T: 2..10 = 3;`)
are symbolic unless given with --const or `set` by the spec, or unless they fix the shape of the
encoding (a map's keys, a queue's capacity): those keep their value, and so do the constants
their value is computed from. A symbolic constant computed from others stays tied to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import z3

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import ConstSource
from checker.ir.printer import Printer
from checker.smt.system import SymbolicSystem, encode
from checker.smt.values import conj


@dataclass(frozen=True)
class SymbolicConstant:
    name: str
    condition: str  # `2 <= RunTimeout <= 10`, `T > 0`


@dataclass(frozen=True)
class FixedConstant:
    name: str
    value: str
    why: str  # "given with --const", "it fixes the capacity of variable 'q'", ...


_GIVEN = {ConstSource.COMMAND_LINE: "given with --const", ConstSource.SPEC: "set by the spec"}


def symbolic_system(spec: ir.Spec) -> tuple[SymbolicSystem, list[SymbolicConstant],
                                            list[FixedConstant]]:
    """Encode with as many symbolic constants as the spec's shape allows."""
    candidates = _candidates(spec)
    symbols = {c.name: z3.Int(c.name) for c in candidates}
    probe = encode(spec, symbols, collecting=True)
    shaping = dict(probe.exprs.uses.shaping)  # constant -> what in the encoding it sizes
    feeds = _feeding(spec, set(symbols), shaping)  # constant -> the fixed one it is used by
    kept = {n: v for n, v in symbols.items() if n not in shaping and n not in feeds}
    system = encode(spec, kept) if shaping else probe
    ties = [kept[c.name] == system.exprs.constant(c.definition) for c in candidates
            if c.name in kept and c.definition is not None and _constants_in(c.definition)]
    ranges = [_in_range(c, kept[c.name]) for c in candidates if c.name in kept]
    system.assumptions = conj([system.assumptions] + ranges + ties)
    symbolic = [SymbolicConstant(c.name, _condition(spec, c)) for c in candidates
                if c.name in kept]
    fixed = [FixedConstant(c.name, T.format_value(c.type, c.value),
                           f"it fixes {shaping[c.name]}" if c.name in shaping else
                           f"it gives the value of {feeds[c.name]}, which is fixed")
             for c in candidates if c.name in shaping or c.name in feeds]
    fixed += [FixedConstant(c.name, T.format_value(c.type, c.value), _GIVEN[c.source])
              for c in spec.constants if isinstance(c.type, T.IntType) and not c.switch
              and c.source in _GIVEN]
    return system, symbolic, fixed


def _candidates(spec: ir.Spec) -> list[ir.Constant]:
    """Integer constants that may be symbolic: at their declared default (a value given with
    `set NAME = v;` in the spec is part of the design, one given with --const is chosen)."""
    return [c for c in spec.constants if isinstance(c.type, T.IntType) and not c.switch
            and c.source == ConstSource.DEFAULT]


def _feeding(spec: ir.Spec, symbols: set[str], shaping: dict[str, str]) -> dict[str, str]:
    """The symbolic constants that a fixed constant's value is computed from (transitively),
    each with the first fixed constant found to use it."""
    by_name = {c.name: c for c in spec.constants}
    feeds: dict[str, str] = {}
    grown = True
    while grown:
        grown = False
        for name in [*shaping, *feeds]:
            for used in _constants_in(by_name[name].definition):
                if used in symbols and used not in shaping and used not in feeds:
                    feeds[used] = name
                    grown = True
    return feeds


def _constants_in(e: Optional[ir.Expr]) -> set[str]:
    """The constants an expression names."""
    if e is None:
        return set()
    if isinstance(e, ir.Lit):
        return {e.const} if e.const is not None else set()
    if isinstance(e, ir.Op):
        return set().union(*[_constants_in(a) for a in e.args]) if e.args else set()
    if isinstance(e, ir.Bind):
        return _constants_in(e.domain) | _constants_in(e.body) | _constants_in(e.cond)
    return set()


def _in_range(c: ir.Constant, symbol: z3.ArithRef) -> z3.BoolRef:
    t = c.type
    if isinstance(t, T.IntType) and t.lo is not None and t.hi is not None:
        return conj([t.lo <= symbol, symbol <= t.hi])
    return conj([])


def _condition(spec: ir.Spec, c: ir.Constant) -> str:
    parts = []
    if isinstance(c.type, T.IntType) and c.type.bounded:
        parts.append(f"{c.type.lo} <= {c.name} <= {c.type.hi}")
    if c.where is not None:
        parts.append(Printer(spec).text(c.where))
    if c.definition is not None and _constants_in(c.definition):
        parts.append(f"{c.name} = {Printer(spec).text(c.definition)}")
    return " and ".join(parts) if parts else f"{c.name} any integer"
