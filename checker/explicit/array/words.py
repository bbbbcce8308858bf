"""The packed words an action's assignments produce, as arithmetic over batch leaves: the form
the generated kernels (compiled.py) compute them in, with few array operations per field.

A word's fields are summed as 64-bit integers: a field's contribution is its value shifted to
its place (a bool one selects its bit), or, for a word of many varying fields, the fields are
stacked and multiplied by their places' powers of two in one matrix product; the atoms' `lo`
offsets are subtracted once per word, and a field in a sequence slot not in use takes its `lo`
(so it packs as zero). Field values of the candidates kept lie in their
domains (a value outside one is an evaluation error, reported by the tuple engine before any
candidate of that state is kept), so the fields' bits never overlap and the sum is the word
`batch.pack_into` writes.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array import values as V
from checker.explicit.array.batch import changed_codes
from checker.explicit.array.packing import Atom, StateLayout

ALL_BITS = 2 ** 64 - 1


def signed(x: int) -> Any:
    """A 64-bit pattern as the int64 scalar with the same bits."""
    x &= ALL_BITS
    return xp.int64(x - (1 << 64) if x >> 63 else x)


STACKED = 4  # a word with at least this many varying fields is summed as one matrix product


class _Word:
    """The fields of one word an assignment rewrites."""

    def __init__(self) -> None:
        self.clear = 0
        self.constant = 0  # the constant fields, packed
        self.terms: list[tuple[V.Leaf, int, int]] = []  # (value, shift, lo) of the others

    def add(self, atom: Atom, code: V.Leaf, live: V.Leaf) -> None:
        self.clear |= atom.mask << atom.shift
        if live is False:
            return
        if live is not True:
            code = xp.where(live, code, atom.lo) if V.is_array(code) or V.is_array(live) \
                else code
        if not V.is_array(code):
            self.constant += ((int(code) - atom.lo) & atom.mask) << atom.shift
        else:
            self.terms.append((code, atom.shift, atom.lo))

    def value(self, old: V.Leaf) -> V.Leaf:
        """The word: the old one with the fields cleared, their new values put in."""
        kept = xp.bitwise_and(old, xp.uint64(~self.clear & ALL_BITS))
        constant = self.constant - sum(lo << shift for _, shift, lo in self.terms)
        if not self.terms:
            return xp.bitwise_or(kept, xp.uint64(constant & ALL_BITS)) if constant & ALL_BITS \
                else kept
        if len(self.terms) >= STACKED:
            weights = xp.asarray([signed(1 << shift) for _, shift, _ in self.terms],
                                 dtype=xp.int64)
            total = xp.matmul(weights, xp.stack([code for code, _, _ in self.terms]))
        else:
            total = None
            for code, shift, _ in self.terms:
                if code.dtype == xp.bool_:
                    part = xp.where(code, signed(1 << shift), signed(0))
                else:
                    part = xp.left_shift(code, xp.int64(shift)) if shift else code
                total = part if total is None else xp.add(total, part)
        if constant & ALL_BITS:
            total = xp.add(total, signed(constant))
        return xp.bitwise_or(kept, total.astype(xp.uint64))


def new_words(layout: StateLayout, sub: Any, assigned: dict[int, V.Val]) -> dict[int, V.Leaf]:
    """The packed words a path's assignments change, as leaves over the rows of `sub` (the
    bits of the fields not assigned are the old word's, as `batch.pack_into` leaves them)."""
    words: dict[int, _Word] = {}
    for slot, value in assigned.items():
        for index, code, live in changed_codes(layout, slot, value, sub.known(slot)):
            atom = layout.atoms[index]
            words.setdefault(atom.word, _Word()).add(atom, code, live)
    return {w: word.value(sub.col(w)) for w, word in words.items()}
