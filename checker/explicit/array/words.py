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
        self.slotted: list[tuple[V.Leaf, int, int, V.Leaf]] = []  # (..., live) in a sequence

    def add(self, atom: Atom, code: V.Leaf, live: V.Leaf) -> None:
        self.clear |= atom.mask << atom.shift
        if live is False:
            return
        if live is not True:
            if V.is_array(code):
                self.slotted.append((code, atom.shift, atom.lo, live))
                return
            if not (int(code) - atom.lo) & atom.mask:
                return  # packs as zero, in a slot in use or not
            code = xp.where(live, code, atom.lo)
        if not V.is_array(code):
            self.constant += ((int(code) - atom.lo) & atom.mask) << atom.shift
        else:
            self.terms.append((code, atom.shift, atom.lo))

    def value(self, old: V.Leaf) -> V.Leaf:
        """The word: the old one with the fields cleared, their new values put in."""
        kept = xp.bitwise_and(old, xp.uint64(~self.clear & ALL_BITS))
        terms, parts = self.terms, []
        if len(self.slotted) >= STACKED:
            live = xp.stack([x[3] for x in self.slotted])
            los = xp.asarray([[x[2]] for x in self.slotted], dtype=xp.int64)
            codes = xp.where(live, xp.stack([x[0] for x in self.slotted]), los)
            parts.append(_product(codes, [x[1] for x in self.slotted]))
        else:
            terms = terms + [(xp.where(live, code, lo), shift, lo)
                             for code, shift, lo, live in self.slotted]
        constant = self.constant - sum(lo << shift for _, shift, lo in terms) \
            - sum(x[2] << x[1] for x in self.slotted if len(self.slotted) >= STACKED)
        if len(terms) >= STACKED:
            parts.append(_product(xp.stack([code for code, _, _ in terms]),
                                  [shift for _, shift, _ in terms]))
        else:
            for code, shift, _ in terms:
                if code.dtype == xp.bool_:
                    parts.append(xp.where(code, signed(1 << shift), signed(0)))
                else:
                    parts.append(xp.left_shift(code, xp.int64(shift)) if shift else code)
        if not parts:
            return xp.bitwise_or(kept, xp.uint64(constant & ALL_BITS)) if constant & ALL_BITS \
                else kept
        total = parts[0]
        for part in parts[1:]:
            total = xp.add(total, part)
        if constant & ALL_BITS:
            total = xp.add(total, signed(constant))
        return xp.bitwise_or(kept, total.astype(xp.uint64))


def _product(codes: V.Leaf, shifts: list[int]) -> V.Leaf:
    """Stacked field values (one row each) times their places' powers of two."""
    weights = xp.asarray([signed(1 << shift) for shift in shifts], dtype=xp.int64)
    return xp.matmul(weights, codes)


def new_words(layout: StateLayout, sub: Any, assigned: dict[int, V.Val]) -> dict[int, V.Leaf]:
    """The packed words a path's assignments change, as leaves over the rows of `sub` (the
    bits of the fields not assigned are the old word's, as `batch.pack_into` leaves them)."""
    words: dict[int, _Word] = {}
    for slot, value in assigned.items():
        for index, code, live in changed_codes(layout, slot, value, sub.known(slot)):
            atom = layout.atoms[index]
            words.setdefault(atom.word, _Word()).add(atom, code, live)
    return {w: word.value(sub.col(w)) for w, word in words.items()}
