"""The finite types of the spec language, and how their values are stored in a state.

Values are stored compactly so that states are hashable tuples:
bool -> bool, int -> int, enum member -> its index, record -> tuple (fields sorted by name),
map -> tuple indexed by the key's position in the key type, set -> frozenset,
seq -> tuple, bag -> sorted tuple.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Union

Value = Any  # a stored value, as above


@dataclass(frozen=True, slots=True)
class BoolType:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True, slots=True)
class IntType:
    """Integers in lo..hi; None for an unknown bound (results of arithmetic, `int` constants).

    `lo_expr`/`hi_expr` keep the constant expressions a declared range was written with (when
    they name constants), so that `checkmodel prove` can treat `0..T` symbolically; they take
    no part in equality.
    """

    lo: Optional[int] = None
    hi: Optional[int] = None
    lo_expr: Any = field(default=None, compare=False, repr=False)
    hi_expr: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if self.lo is None or self.hi is None:
            return "int"
        return f"{self.lo}..{self.hi}"

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None


@dataclass(frozen=True, slots=True)
class EnumType:
    name: str
    members: tuple[str, ...]
    symbolic: bool = False  # a `const S = {a, b}` set of model values

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class SetType:
    elem: Type

    def __str__(self) -> str:
        return f"set[{self.elem}]"


@dataclass(frozen=True, slots=True)
class MapType:
    key: Type
    value: Type

    def __str__(self) -> str:
        return f"map[{self.key}, {self.value}]"


@dataclass(frozen=True, slots=True)
class SeqType:
    elem: Type
    capacity: int
    bag: bool = False
    capacity_expr: Any = field(default=None, compare=False, repr=False)  # as for IntType

    def __str__(self) -> str:
        return f"{'bag' if self.bag else 'seq'}[{self.elem}, {self.capacity}]"


@dataclass(frozen=True, slots=True)
class RecordType:
    fields: tuple[tuple[str, Type], ...]  # sorted by name

    def __str__(self) -> str:
        return "record { " + ", ".join(f"{n}: {t}" for n, t in self.fields) + " }"

    def index(self, name: str) -> int:
        for i, (field_name, _) in enumerate(self.fields):
            if field_name == name:
                return i
        raise KeyError(name)

    def field_type(self, name: str) -> Type:
        return self.fields[self.index(name)][1]


Type = Union[BoolType, IntType, EnumType, SetType, MapType, SeqType, RecordType]

BOOL = BoolType()
INT = IntType()


def record(fields: dict[str, Type]) -> RecordType:
    return RecordType(tuple(sorted(fields.items())))


def compatible(a: Type, b: Type) -> bool:
    """Same type up to integer bounds and capacities (what `==` and assignment require)."""
    if isinstance(a, IntType) and isinstance(b, IntType):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, SetType):
        return compatible(a.elem, b.elem)  # type: ignore[union-attr]
    if isinstance(a, MapType):
        assert isinstance(b, MapType)
        return a.key == b.key and compatible(a.value, b.value)
    if isinstance(a, SeqType):
        assert isinstance(b, SeqType)
        return a.bag == b.bag and compatible(a.elem, b.elem)
    if isinstance(a, RecordType):
        assert isinstance(b, RecordType)
        return [n for n, _ in a.fields] == [n for n, _ in b.fields] and all(
            compatible(x, y) for (_, x), (_, y) in zip(a.fields, b.fields))
    return a == b


def is_finite(t: Type) -> bool:
    if isinstance(t, IntType):
        return t.bounded
    if isinstance(t, (SetType,)):
        return is_finite(t.elem)
    if isinstance(t, MapType):
        return is_finite(t.key) and is_finite(t.value)
    if isinstance(t, SeqType):
        return is_finite(t.elem)
    if isinstance(t, RecordType):
        return all(is_finite(f) for _, f in t.fields)
    return True


def size(t: Type) -> int:
    """How many values the type has (may be astronomically large; used for limits)."""
    if isinstance(t, BoolType):
        return 2
    if isinstance(t, IntType):
        assert t.lo is not None and t.hi is not None
        return max(0, t.hi - t.lo + 1)
    if isinstance(t, EnumType):
        return len(t.members)
    if isinstance(t, SetType):
        return int(2 ** size(t.elem))
    if isinstance(t, MapType):
        return int(size(t.value) ** size(t.key))
    if isinstance(t, SeqType):
        n = size(t.elem)
        if t.bag:
            return sum(_multichoose(n, k) for k in range(t.capacity + 1))
        return sum(n ** k for k in range(t.capacity + 1))
    total = 1
    for _, f in t.fields:
        total *= size(f)
    return total


def _multichoose(n: int, k: int) -> int:
    from math import comb
    return comb(n + k - 1, k) if n > 0 else (1 if k == 0 else 0)


def values(t: Type) -> Iterator[Value]:
    """Every stored value of a finite type, in a fixed order."""
    if isinstance(t, BoolType):
        yield from (False, True)
    elif isinstance(t, IntType):
        assert t.lo is not None and t.hi is not None
        yield from range(t.lo, t.hi + 1)
    elif isinstance(t, EnumType):
        yield from range(len(t.members))
    elif isinstance(t, SetType):
        elems = list(values(t.elem))
        for n in range(len(elems) + 1):
            for combo in itertools.combinations(elems, n):
                yield frozenset(combo)
    elif isinstance(t, MapType):
        keys = list(values(t.key))
        yield from itertools.product(*[list(values(t.value)) for _ in keys])
    elif isinstance(t, SeqType):
        elems = list(values(t.elem))
        for n in range(t.capacity + 1):
            if t.bag:
                yield from itertools.combinations_with_replacement(elems, n)
            else:
                yield from itertools.product(elems, repeat=n)
    else:
        yield from itertools.product(*[list(values(f)) for _, f in t.fields])


def key_offset(t: Type) -> int:
    """A map key's position in its type is `value - key_offset` (0 for bool and enums)."""
    if isinstance(t, IntType):
        assert t.lo is not None
        return t.lo
    return 0


def contains(t: Type, v: Value) -> bool:
    """Whether a stored value lies in the type's domain (bounds and capacities included)."""
    if isinstance(t, BoolType):
        return isinstance(v, bool)
    if isinstance(t, IntType):
        return isinstance(v, int) and not isinstance(v, bool) and (
            t.lo is None or v >= t.lo) and (t.hi is None or v <= t.hi)
    if isinstance(t, EnumType):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(t.members)
    if isinstance(t, SetType):
        return isinstance(v, frozenset) and all(contains(t.elem, x) for x in v)
    if isinstance(t, MapType):
        return isinstance(v, tuple) and len(v) == size(t.key) and all(
            contains(t.value, x) for x in v)
    if isinstance(t, SeqType):
        return isinstance(v, tuple) and len(v) <= t.capacity and all(
            contains(t.elem, x) for x in v)
    return isinstance(v, tuple) and len(v) == len(t.fields) and all(
        contains(f, x) for (_, f), x in zip(t.fields, v))


def needs_check(value_type: Type, target: Type) -> bool:
    """Whether assigning a value of `value_type` to `target` needs a run-time domain check."""
    if isinstance(target, IntType):
        if not target.bounded:
            return False
        return not (isinstance(value_type, IntType) and value_type.bounded
                    and value_type.lo >= target.lo and value_type.hi <= target.hi)  # type: ignore[operator]
    if isinstance(target, (BoolType, EnumType)):
        return False
    if isinstance(target, SetType):
        return not isinstance(value_type, SetType) or needs_check(value_type.elem, target.elem)
    if isinstance(target, MapType):
        return not isinstance(value_type, MapType) or needs_check(value_type.value, target.value)
    if isinstance(target, SeqType):
        return not (isinstance(value_type, SeqType) and value_type.capacity <= target.capacity
                    and not needs_check(value_type.elem, target.elem))
    if isinstance(target, RecordType):
        return not isinstance(value_type, RecordType) or any(
            needs_check(a, b) for (_, a), (_, b) in zip(value_type.fields, target.fields))
    return True


# ---------------------------------------------------------------- display and plain values


def format_value(t: Type, v: Value) -> str:
    """TLA+-like text: 3, TRUE, lost, {r1, r2}, [r1 |-> lost], <<a, b>>, [kind |-> start]."""
    if isinstance(t, BoolType):
        return "TRUE" if v else "FALSE"
    if isinstance(t, IntType):
        return str(v)
    if isinstance(t, EnumType):
        return t.members[v] if isinstance(v, int) and 0 <= v < len(t.members) else f"?{v}"
    if isinstance(t, SetType):
        return "{" + ", ".join(format_value(t.elem, x) for x in sort_values(v)) + "}"
    if isinstance(t, MapType):
        keys = list(values(t.key))
        return "[" + ", ".join(f"{format_value(t.key, k)} |-> {format_value(t.value, x)}"
                               for k, x in zip(keys, v)) + "]"
    if isinstance(t, SeqType):
        inner = ", ".join(format_value(t.elem, x) for x in v)
        return ("{|" + inner + "|}") if t.bag else ("<<" + inner + ">>")
    return "[" + ", ".join(f"{n} |-> {format_value(f, x)}" for (n, f), x in zip(t.fields, v)) + "]"


def sort_values(vs: Any) -> list[Value]:
    """Values of one type in a deterministic order (frozensets compared by their sorted content)."""
    return sorted(vs, key=_sort_key)


def typed_key(v: Value) -> Any:
    """A key equal for two stored values only when they are equal and of the same Python types
    throughout: Python has `True == 1` and `(True,) == (1,)`, which must never merge a boolean
    with an integer (a constant table, a cache)."""
    if isinstance(v, tuple):
        return (tuple, tuple(typed_key(x) for x in v))
    if isinstance(v, frozenset):
        return (frozenset, frozenset(typed_key(x) for x in v))
    return (type(v), v)


def identical(a: Value, b: Value) -> bool:
    """Equal and of the same types throughout (see `typed_key`)."""
    return bool(typed_key(a) == typed_key(b))


def sort_key(v: Value) -> Any:
    """The key `sort_values` orders by."""
    return _sort_key(v)


def _sort_key(v: Value) -> Any:
    if isinstance(v, frozenset):
        return (2, sorted(_sort_key(x) for x in v))
    if isinstance(v, tuple):
        return (1, tuple(_sort_key(x) for x in v))
    return (0, v)
