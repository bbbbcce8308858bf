"""The packed words an action's assignments produce, as arithmetic over batch leaves: the form
the generated kernels (compiled.py) compute them in, with few array operations per field.

A word's fields are summed as 64-bit integers: a field's contribution is its value shifted to
its place (a bool one selects its bit), the atoms' `lo` offsets are subtracted once per word,
and a sequence slot not in use (its fields packed as zero) selects its fields' sum or nothing
once per slot rather than once per field. Field values of the candidates kept lie in their
domains (a value outside one is an evaluation error, reported by the tuple engine before any
candidate of that state is kept), so the fields' bits never overlap and the sum is the word
`batch.pack_into` writes.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array import values as V
from checker.explicit.array.batch import changed_codes
from checker.explicit.array.packing import StateLayout

ALL_BITS = 2 ** 64 - 1


def signed(x: int) -> Any:
    """A 64-bit pattern as the int64 scalar with the same bits."""
    x &= ALL_BITS
    return xp.int64(x - (1 << 64) if x >> 63 else x)


class _Word:
    """The fields of one word an assignment rewrites, grouped by the slot liveness leaf."""

    def __init__(self) -> None:
        self.clear = 0
        self.groups: dict[int, tuple[V.Leaf, list[V.Leaf], list[int]]] = {}

    def add(self, live: V.Leaf, term: V.Leaf, constant: int, lo: int) -> None:
        found = self.groups.get(id(live))
        if found is None:
            found = self.groups[id(live)] = (live, [], [0, 0])
        if term is not None:
            found[1].append(term)
        found[2][0] += constant
        found[2][1] += lo

    def value(self, old: V.Leaf) -> V.Leaf:
        """The word: the old one with the fields cleared, their new values put in."""
        terms: list[V.Leaf] = []
        constant = 0
        for live, arrays, (raw, lo) in self.groups.values():
            if live is False:
                continue
            if live is True:
                terms += arrays
                constant += raw - lo
                continue
            total = _sum(arrays, raw)
            terms.append(xp.where(live, total, signed(lo)) if V.is_array(total)
                         else xp.where(live, signed(raw), signed(lo)))
            constant -= lo
        kept = xp.bitwise_and(old, xp.uint64(~self.clear & ALL_BITS))
        if not terms:
            return xp.bitwise_or(kept, xp.uint64(constant & ALL_BITS)) if constant & ALL_BITS \
                else kept
        new = _sum(terms, constant)
        return xp.bitwise_or(kept, new.astype(xp.uint64))


def _sum(arrays: list[V.Leaf], constant: int) -> V.Leaf:
    if not arrays:
        return constant
    total = arrays[0]
    for a in arrays[1:]:
        total = xp.add(total, a)
    if constant & ALL_BITS:
        total = xp.add(total, signed(constant))
    return total


def new_words(layout: StateLayout, sub: Any, assigned: dict[int, V.Val]) -> dict[int, V.Leaf]:
    """The packed words a path's assignments change, as leaves over the rows of `sub` (the
    bits of the fields not assigned are the old word's, as `batch.pack_into` leaves them)."""
    words: dict[int, _Word] = {}
    for slot, value in assigned.items():
        for index, code, live in changed_codes(layout, slot, value, sub.known(slot)):
            atom = layout.atoms[index]
            word = words.setdefault(atom.word, _Word())
            word.clear |= atom.mask << atom.shift
            lo = atom.lo << atom.shift
            if not V.is_array(code):
                word.add(live, None, ((int(code) - atom.lo) & atom.mask) << atom.shift, 0)
            elif code.dtype == xp.bool_:
                word.add(live, xp.where(code, signed(1 << atom.shift), signed(0)), 0, 0)
            else:
                shifted = xp.left_shift(code, xp.int64(atom.shift)) if atom.shift else code
                word.add(live, shifted, 0, lo)
    return {w: word.value(sub.col(w)) for w, word in words.items()}
