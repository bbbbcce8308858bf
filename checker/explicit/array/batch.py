"""A batch of packed states (rows of uint64 words) and the environment kernels evaluate in.

Variables are decoded from the words on first use; an action's assignments are kept as batch
values beside the rows (`Env.vars`) and packed back into words only for the successors kept.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as xp

from checker.explicit.array import values as V
from checker.explicit.array.packing import (BagL, Layout, RecL, ScalarL, SeqL, SetL,
                                            StateLayout, atoms_of)
from checker.ir import types as T

Array = Any  # a numpy (or CuPy) array


class Batch:
    """Packed states (n rows of `layout.words` uint64 words); variables decoded on demand."""

    def __init__(self, layout: StateLayout, words: Array,
                 source: Optional[tuple[Batch, Array]] = None):
        self.layout = layout
        self.words = words
        self.size = int(words.shape[0])
        self._decoded: dict[int, V.Val] = {}
        self._source = source  # (batch, rows) this one was taken from

    def var(self, slot: int) -> V.Val:
        found = self._decoded.get(slot)
        if found is None:
            if self._source is not None and slot in self._source[0]._decoded:
                origin, rows = self._source
                found = V.map_leaves(origin._decoded[slot], lambda x: _rows_of(x, rows))
            else:
                found = self._decode(self.layout.vars[slot])
            self._decoded[slot] = found
        return found

    def known(self, slot: int) -> Optional[V.Val]:
        """The variable's value if it has been decoded here (without decoding it)."""
        return self._decoded.get(slot)

    def take(self, rows: Array) -> Batch:
        """The batch of the given rows (variables decoded here are taken, not decoded again)."""
        return Batch(self.layout, self.words[rows], (self, rows))

    def _code(self, index: int) -> Array:
        atom = self.layout.atoms[index]
        word = self.words[:, atom.word]
        if atom.shift:
            word = xp.right_shift(word, xp.uint64(atom.shift))
        if atom.shift + atom.bits < 64:
            word = xp.bitwise_and(word, xp.uint64(atom.mask))
        return word.astype(xp.int64)

    def _decode(self, layout: Layout) -> V.Val:
        if isinstance(layout, ScalarL):
            code = self._code(layout.atom)
            if isinstance(layout.type, T.BoolType):
                return code.astype(xp.bool_)
            lo = self.layout.atoms[layout.atom].lo
            return xp.add(code, lo) if lo else code
        if isinstance(layout, RecL):
            return V.Rec(tuple(self._decode(item) for item in layout.items))
        if isinstance(layout, SetL):
            return V.SetV(layout.universe,
                          tuple(self._code(a).astype(xp.bool_) for a in layout.atoms))
        if isinstance(layout, BagL):
            return V.BagV(layout.universe, tuple(self._code(a) for a in layout.atoms))
        return V.SeqV(self._code(layout.length), tuple(self._decode(s) for s in layout.slots))


def _rows_of(x: V.Leaf, rows: Array) -> V.Leaf:
    return x[rows] if V.is_array(x) else x


class Env:
    """Where kernels read: a batch, the assignments made so far, bound names, the next state."""

    def __init__(self, batch: Batch, vars: dict[int, V.Val], locals: dict[str, V.Val],
                 faults: list[V.Leaf], next: Any = None, care: V.Leaf = True):
        self.batch = batch
        self.vars = vars
        self.locals = locals
        self.faults = faults
        self.next = next
        self.care = care  # where the expression being evaluated is evaluated (short-circuits)

    def var(self, slot: int) -> V.Val:
        found = self.vars.get(slot)
        return found if found is not None else self.batch.var(slot)

    def next_var(self, slot: int) -> V.Val:
        assert self.next is not None, "primed variable outside a transition property"
        return self.next.var(slot)

    def local(self, name: str) -> V.Val:
        return self.locals[name]

    def bind(self, name: str, value: V.Val) -> Env:
        return Env(self.batch, self.vars, {**self.locals, name: value}, self.faults, self.next,
                   self.care)

    def under(self, cond: V.Leaf) -> Env:
        """The environment of a subexpression evaluated only where `cond` holds."""
        if cond is True:
            return self
        return Env(self.batch, self.vars, self.locals, self.faults, self.next,
                   V.conj([self.care, cond]))

    def fault(self, leaf: V.Leaf) -> None:
        leaf = V.conj([self.care, leaf])
        if leaf is not False:
            self.faults.append(leaf)


# ---------------------------------------------------------------- packing values back


def pack_into(words: Array, layout: StateLayout, slot: int, value: V.Val,
              rows: Optional[Array] = None, source: Optional[V.Val] = None) -> None:
    """Overwrite variable `slot` of every row of `words` (in place) with `value`, taken at
    `rows` of the batch it was computed over (all of them when None). `source` is the
    variable's value in that batch, which `words` already hold: a field whose leaf is the
    source's own (an assignment left it alone, as the other keys of a map written at one key)
    is not rewritten."""
    var_layout = layout.vars[slot]
    codes = _codes(var_layout, value, True) if source is None else \
        _changed(var_layout, value, source)
    clear: dict[int, int] = {}
    for index, _ in codes:
        atom = layout.atoms[index]
        clear[atom.word] = clear.get(atom.word, 0) | (atom.mask << atom.shift)
    for word, bits in clear.items():
        words[:, word] &= xp.uint64(~bits & (2 ** 64 - 1))
    for index, code in codes:
        atom = layout.atoms[index]
        if not V.is_array(code):
            c = (int(code) - atom.lo) & atom.mask
            if c:
                words[:, atom.word] |= xp.uint64(c << atom.shift)
            continue
        if rows is not None:
            code = code[rows]
        u = (xp.subtract(code, atom.lo) if atom.lo else code).astype(xp.uint64)
        u &= xp.uint64(atom.mask)
        if atom.shift:
            u <<= xp.uint64(atom.shift)
        words[:, atom.word] |= u


def _codes(layout: Layout, v: V.Val, live: V.Leaf) -> list[tuple[int, V.Leaf]]:
    """(atom, leaf) pairs; a leaf is the field's value (the atom's `lo` is subtracted later).
    `live` is False where the value sits in an unused sequence slot (packed as zero)."""
    if isinstance(layout, ScalarL):
        return [(layout.atom, _live(live, v, _lo(layout.type)))]
    if isinstance(layout, RecL):
        out: list[tuple[int, V.Leaf]] = []
        for item, x in zip(layout.items, v.items):
            out += _codes(item, x, live)
        return out
    if isinstance(layout, SetL):
        members = V.members_in(v, layout.universe)
        return [(a, _live(live, m, 0)) for a, m in zip(layout.atoms, members)]
    if isinstance(layout, BagL):
        counts = V.counts_in(v, layout.universe)
        return [(a, _live(live, c, 0)) for a, c in zip(layout.atoms, counts)]
    assert isinstance(layout, SeqL)
    out = [(layout.length, _live(live, v.length, 0))]
    slots = V.padded(v, len(layout.slots), layout.type.elem)
    for i, (slot_layout, slot) in enumerate(zip(layout.slots, slots)):
        used = V.conj([live, xp.greater(v.length, i) if V.is_array(v.length)
                       else bool(int(v.length) > i)])
        out += _codes(slot_layout, slot, used)
    return out


def _changed(layout: Layout, v: V.Val, source: V.Val) -> list[tuple[int, V.Leaf]]:
    """The (atom, leaf) pairs of `v` where it is not `source` itself (fields, keys, members
    an assignment left alone are the source's own objects)."""
    if v is source:
        return []
    if isinstance(layout, RecL):
        out: list[tuple[int, V.Leaf]] = []
        for item, x, y in zip(layout.items, v.items, source.items):
            out += _changed(item, x, y)
        return out
    if isinstance(layout, SetL):
        members = V.members_in(v, layout.universe)
        before = V.members_in(source, layout.universe)
        return [(a, m) for a, m, o in zip(layout.atoms, members, before) if m is not o]
    return _codes(layout, v, True)


def _live(live: V.Leaf, code: V.Leaf, lo: int) -> V.Leaf:
    if live is True:
        return code
    if live is False:
        return lo
    return xp.where(live, code, lo)


def _lo(t: T.Type) -> int:
    return t.lo if isinstance(t, T.IntType) and t.lo is not None else 0
