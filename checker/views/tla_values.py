"""TLA+ text for names, stored values and variable domains (used by `views.tla`).

Enumeration members become strings ("idle"); the members of a `const S = {a, b}` set become
TLC model values (declared CONSTANTS, assigned to themselves in the config); maps become
functions, bags functions from elements to counts (the Bags module).
"""

from __future__ import annotations

import re
from typing import Iterable

from checker.ir import types as T

# TLA+ keywords and the operators of the standard modules the export extends, which a spec's
# names must not shadow, and the names the export defines itself
RESERVED = frozenset("""
ASSUME ASSUMPTION AXIOM BOOLEAN CASE CHOOSE CONSTANT CONSTANTS DOMAIN ELSE ENABLED EXCEPT EXTENDS
FALSE IF IN INSTANCE LET LOCAL MODULE OTHER SF_ STRING SUBSET THEN THEOREM TRUE UNCHANGED UNION
VARIABLE VARIABLES WF_ WITH Nat Int Seq Len Head Tail Append SubSeq SelectSeq Cardinality
IsFiniteSet BagToSet SetToBag BagIn EmptyBag CopiesIn BagCardinality BagOfAll BagUnion SubBag
IsABag Print PrintT Assert JavaTime Permutations SortSeq ToString TLCGet TLCSet Any
Init Next Spec Fairness vars Domains Min Max Abs BagOf Rank
""".split())

_IDENT = re.compile(r"[^A-Za-z0-9_]")


def ident(name: str) -> str:
    """A spec name as a TLA+ identifier: `worker.stage` -> `worker_stage`; reserved -> `name_`."""
    out = _IDENT.sub("_", name)
    return out + "_" if out in RESERVED else out


def value(t: T.Type, v: T.Value) -> str:
    """A stored value as a TLA+ constant expression."""
    if isinstance(t, T.BoolType):
        return "TRUE" if v else "FALSE"
    if isinstance(t, T.IntType):
        return str(v)
    if isinstance(t, T.EnumType):
        return member(t, v)
    if isinstance(t, T.SetType):
        return "{" + ", ".join(value(t.elem, x) for x in T.sort_values(v)) + "}"
    if isinstance(t, T.MapType):
        pairs = [f"{value(t.key, k)} :> {value(t.value, x)}" for k, x in zip(T.values(t.key), v)]
        return "(" + " @@ ".join(pairs) + ")" if pairs else "<<>>"
    if isinstance(t, T.SeqType):
        items = [value(t.elem, x) for x in v]
        return f"BagOf(<<{', '.join(items)}>>)" if t.bag else f"<<{', '.join(items)}>>"
    fields = [f"{ident(n)} |-> {value(f, x)}" for (n, f), x in zip(t.fields, v)]
    return "[" + ", ".join(fields) + "]"


def member(t: T.EnumType, index: int) -> str:
    name = t.members[index]
    return ident(name) if t.symbolic else f'"{name}"'


def model_values(types: Iterable[T.Type]) -> list[str]:
    """The TLC model values: the members of every symbolic set."""
    out: list[str] = []
    for t in types:
        if isinstance(t, T.EnumType) and t.symbolic:
            out += [ident(m) for m in t.members if ident(m) not in out]
    return out


def type_set(t: T.Type) -> str:
    """The set of a scalar type's values (bool, range, enumeration)."""
    if isinstance(t, T.BoolType):
        return "BOOLEAN"
    if isinstance(t, T.IntType):
        return f"{t.lo}..{t.hi}" if t.bounded else "Int"
    assert isinstance(t, T.EnumType)
    return "{" + ", ".join(member(t, i) for i in range(len(t.members))) + "}"


def in_domain(t: T.Type, x: str, depth: int = 0) -> str:
    """A TLA+ predicate: the value `x` lies in the type `t` (checkmodel's domain check, E300)."""
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return f"{x} \\in {type_set(t)}"
    y = f"e{depth}"
    if isinstance(t, T.SetType):
        if isinstance(t.elem, (T.BoolType, T.IntType, T.EnumType)):
            return f"{x} \\subseteq {type_set(t.elem)}"
        return f"\\A {y} \\in {x}: {in_domain(t.elem, y, depth + 1)}"
    if isinstance(t, T.MapType):
        return (f"DOMAIN {x} = {type_set(t.key)} /\\ "
                f"\\A {y} \\in {type_set(t.key)}: {in_domain(t.value, f'{x}[{y}]', depth + 1)}")
    if isinstance(t, T.SeqType):
        if t.bag:
            return (f"BagCardinality({x}) <= {t.capacity} /\\ "
                    f"\\A {y} \\in BagToSet({x}): {in_domain(t.elem, y, depth + 1)}")
        return (f"Len({x}) <= {t.capacity} /\\ "
                f"\\A {y} \\in 1..Len({x}): {in_domain(t.elem, f'{x}[{y}]', depth + 1)}")
    parts = [in_domain(f, f"{x}.{ident(n)}", depth + 1) for n, f in t.fields]
    return " /\\ ".join(f"({p})" for p in parts) if parts else "TRUE"
