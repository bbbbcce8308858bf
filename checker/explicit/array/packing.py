"""Packed states: every state variable as a few bits of one row of uint64 words.

A type's encoding is a layout tree of atoms (an atom is a small unsigned field of at most 64 bits
that never straddles two words):

| type              | atoms                                                           |
| ----------------- | --------------------------------------------------------------- |
| bool, enum, lo..hi| one atom holding `value - lo` (an enum member's index)          |
| set[E]            | one 1-bit atom per element of E (E's values in sorted order)    |
| map[K, V]         | the layouts of V side by side, one per key                      |
| record            | the layouts of its fields side by side                          |
| seq[E, n]         | a length atom, then n slots of E's layout (unused slots zero)   |
| bag[E, n]         | one count atom (0..n) per element of E                          |

`encode`/`decode` convert between a state in stored form (the tuple engine's tuples, see
checker.types) and one packed row; they are exact inverses on every value of the types.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence, Union

import numpy as xp

from checker.ir import types as T
from checker.explicit.array.unsupported import Unsupported

SET_UNIVERSE_LIMIT = 4096  # sets over larger element types are not packed
BAG_UNIVERSE_LIMIT = 256


@dataclass(frozen=True)
class Atom:
    lo: int  # the value an all-zero atom stands for
    bits: int
    word: int
    shift: int

    @property
    def mask(self) -> int:
        return (1 << self.bits) - 1


@dataclass(frozen=True)
class ScalarL:
    type: T.Type  # BoolType, IntType (bounded) or EnumType
    atom: int


@dataclass(frozen=True)
class RecL:
    """A record's fields or a map's values (in key order), side by side."""

    type: T.Type
    items: tuple[Layout, ...]


@dataclass(frozen=True)
class SetL:
    type: T.SetType
    universe: tuple[Any, ...]  # the element values, sorted
    atoms: tuple[int, ...]


@dataclass(frozen=True)
class SeqL:
    type: T.SeqType
    length: int
    slots: tuple[Layout, ...]


@dataclass(frozen=True)
class BagL:
    type: T.SeqType
    universe: tuple[Any, ...]
    atoms: tuple[int, ...]  # count of each universe element


Layout = Union[ScalarL, RecL, SetL, SeqL, BagL]


def universe(t: T.Type, limit: int) -> tuple[Any, ...]:
    """The values of a finite element type in sorted order (the order set iteration uses)."""
    if not T.is_finite(t):
        raise Unsupported(f"a set or bag over the unbounded type {t}")
    if T.size(t) > limit:
        raise Unsupported(f"a set or bag over {t} ({T.size(t):,} elements; at most {limit:,})")
    return tuple(T.sort_values(list(T.values(t))))


def bits_for(count: int) -> int:
    return max(1, (count - 1).bit_length())


class _Builder:
    def __init__(self) -> None:
        self.atoms: list[tuple[int, int]] = []  # (lo, bits)

    def atom(self, lo: int, count: int) -> int:
        bits = bits_for(count)
        if bits > 64:
            raise Unsupported(f"a value with {bits} bits")
        self.atoms.append((lo, bits))
        return len(self.atoms) - 1

    def layout(self, t: T.Type) -> Layout:
        if isinstance(t, T.BoolType):
            return ScalarL(t, self.atom(0, 2))
        if isinstance(t, T.IntType):
            if not t.bounded:
                raise Unsupported("a state variable of unbounded integer type")
            assert t.lo is not None and t.hi is not None
            return ScalarL(t, self.atom(t.lo, t.hi - t.lo + 1))
        if isinstance(t, T.EnumType):
            return ScalarL(t, self.atom(0, len(t.members)))
        if isinstance(t, T.SetType):
            elems = universe(t.elem, SET_UNIVERSE_LIMIT)
            return SetL(t, elems, tuple(self.atom(0, 2) for _ in elems))
        if isinstance(t, T.MapType):
            return RecL(t, tuple(self.layout(t.value) for _ in range(T.size(t.key))))
        if isinstance(t, T.SeqType) and t.bag:
            elems = universe(t.elem, BAG_UNIVERSE_LIMIT)
            return BagL(t, elems, tuple(self.atom(0, t.capacity + 1) for _ in elems))
        if isinstance(t, T.SeqType):
            length = self.atom(0, t.capacity + 1)
            return SeqL(t, length, tuple(self.layout(t.elem) for _ in range(t.capacity)))
        assert isinstance(t, T.RecordType)
        return RecL(t, tuple(self.layout(f) for _, f in t.fields))


def _place(sizes: Sequence[tuple[int, int]]) -> tuple[tuple[Atom, ...], int]:
    """Atoms in order into 64-bit words, a new word when the next atom does not fit."""
    out: list[Atom] = []
    word, used = 0, 0
    for lo, bits in sizes:
        if used + bits > 64:
            word, used = word + 1, 0
        out.append(Atom(lo, bits, word, used))
        used += bits
    return tuple(out), (word + 1 if sizes else 1)


@dataclass(frozen=True)
class StateLayout:
    """The packed layout of a whole state: one layout per state variable."""

    vars: tuple[Layout, ...]
    atoms: tuple[Atom, ...]
    words: int

    @staticmethod
    def of(types: Sequence[T.Type]) -> StateLayout:
        builder = _Builder()
        layouts = tuple(builder.layout(t) for t in types)
        atoms, words = _place(builder.atoms)
        return StateLayout(layouts, atoms, words)

    @cached_property
    def is_bool(self) -> tuple[bool, ...]:
        """Per atom, whether it decodes to a bool (a bool variable's, a set member's)."""
        flags = [False] * len(self.atoms)
        for layout in self.vars:
            for index in _bool_atoms(layout):
                flags[index] = True
        return tuple(flags)

    @cached_property
    def word_atoms(self) -> tuple[tuple[int, ...], ...]:
        """The atoms of each word, in order."""
        out: list[list[int]] = [[] for _ in range(self.words)]
        for index, atom in enumerate(self.atoms):
            out[atom.word].append(index)
        return tuple(tuple(w) for w in out)

    @cached_property
    def word_fields(self) -> tuple[tuple[Any, Any, Any], ...]:
        """Per word, the shifts, masks and offsets (None if all zero) of its atoms, as columns
        (arrays of one row per atom) to decode them all at once."""
        out = []
        for indexes in self.word_atoms:
            atoms = [self.atoms[i] for i in indexes]
            out.append((xp.asarray([[a.shift] for a in atoms], dtype=xp.uint64),
                        xp.asarray([[a.mask] for a in atoms], dtype=xp.uint64),
                        xp.asarray([[a.lo] for a in atoms], dtype=xp.int64)
                        if any(a.lo for a in atoms) else None))
        return tuple(out)

    @property
    def bits(self) -> int:
        return sum(a.bits for a in self.atoms)

    def encode(self, state: Sequence[Any]) -> list[int]:
        """One state (stored form) as its packed words."""
        row = [0] * self.words
        for layout, value in zip(self.vars, state):
            for index, code in _codes(layout, value):
                atom = self.atoms[index]
                assert 0 <= code <= atom.mask, (value, layout)
                row[atom.word] |= code << atom.shift
        return row

    def decode(self, row: Sequence[int]) -> tuple[Any, ...]:
        """Packed words back to a state in stored form."""
        def code(index: int) -> int:
            atom = self.atoms[index]
            return (int(row[atom.word]) >> atom.shift) & atom.mask
        return tuple(_value(layout, code, self.atoms) for layout in self.vars)


def _codes(layout: Layout, v: Any) -> list[tuple[int, int]]:
    """(atom, code) pairs of one value."""
    if isinstance(layout, ScalarL):
        return [(layout.atom, int(v) - _lo(layout.type))]
    if isinstance(layout, RecL):
        out: list[tuple[int, int]] = []
        for item, x in zip(layout.items, v):
            out += _codes(item, x)
        return out
    if isinstance(layout, SetL):
        return [(a, int(e in v)) for a, e in zip(layout.atoms, layout.universe)]
    if isinstance(layout, BagL):
        return [(a, v.count(e)) for a, e in zip(layout.atoms, layout.universe)]
    out = [(layout.length, len(v))]
    for i, slot in enumerate(layout.slots):
        out += _codes(slot, v[i]) if i < len(v) else [(a, 0) for a in atoms_of(slot)]
    return out


def _value(layout: Layout, code: Any, atoms: tuple[Atom, ...]) -> Any:
    if isinstance(layout, ScalarL):
        raw = code(layout.atom)
        if isinstance(layout.type, T.BoolType):
            return bool(raw)
        return raw + _lo(layout.type)
    if isinstance(layout, RecL):
        return tuple(_value(item, code, atoms) for item in layout.items)
    if isinstance(layout, SetL):
        return frozenset(e for a, e in zip(layout.atoms, layout.universe) if code(a))
    if isinstance(layout, BagL):
        return tuple(e for a, e in zip(layout.atoms, layout.universe) for _ in range(code(a)))
    n = code(layout.length)
    return tuple(_value(slot, code, atoms) for slot in layout.slots[:n])


def _lo(t: T.Type) -> int:
    return t.lo if isinstance(t, T.IntType) and t.lo is not None else 0


def _bool_atoms(layout: Layout) -> list[int]:
    if isinstance(layout, ScalarL):
        return [layout.atom] if isinstance(layout.type, T.BoolType) else []
    if isinstance(layout, SetL):
        return list(layout.atoms)
    if isinstance(layout, BagL):
        return []
    if isinstance(layout, SeqL):
        return [a for slot in layout.slots for a in _bool_atoms(slot)]
    return [a for item in layout.items for a in _bool_atoms(item)]


def atoms_of(layout: Layout) -> list[int]:
    if isinstance(layout, ScalarL):
        return [layout.atom]
    if isinstance(layout, (SetL, BagL)):
        return list(layout.atoms)
    if isinstance(layout, SeqL):
        out = [layout.length]
        for slot in layout.slots:
            out += atoms_of(slot)
        return out
    out = []
    for item in layout.items:
        out += atoms_of(item)
    return out
