"""A batch of packed states (rows of uint64 words) and the environment kernels evaluate in.

Variables are decoded from the words on first use; an action's assignments are kept as batch
values beside the rows (`Env.vars`) and packed back into words only for the successors kept.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as xp

from checker.explicit.array import values as V
from checker.explicit.array.packing import (BagL, Layout, RecL, ScalarL, SeqL, SetL,
                                            StateLayout)

Array = Any  # a numpy (or CuPy) array
# a batch of at most this many rows decodes a whole word's atoms at once (fewer operations);
# a larger one each atom alone (a matrix operation broadcasting over atoms is slower per
# element than one over a single row of atoms)
MATRIX_ROWS = 512


class Decoding:
    """Variables decoded from atoms on first use, each once: what a batch of packed rows and a
    batch being traced share. A subclass sets `layout` and `_decoded` and defines `atom`."""

    layout: StateLayout
    _decoded: dict[int, V.Val]

    def atom(self, index: int) -> Any:
        raise NotImplementedError

    def var(self, slot: int) -> V.Val:
        found = self._decoded.get(slot)
        if found is None:
            found = value_of(self.layout.vars[slot], self.atom)
            self._decoded[slot] = found
        return found

    def known(self, slot: int) -> Optional[V.Val]:
        """The variable's value if it has been decoded here (without decoding it)."""
        return self._decoded.get(slot)


class Batch(Decoding):
    """Packed states (n rows of `layout.words` uint64 words); atoms and variables decoded on
    demand, each once."""

    def __init__(self, layout: StateLayout, words: Array,
                 source: Optional[tuple[Batch, Array]] = None):
        self.layout = layout
        self.words = words
        self.size = int(words.shape[0])
        self._atoms: dict[int, Array] = {}
        self._matrices: dict[int, tuple[Array, Optional[Array]]] = {}  # per decoded word
        self._decoded: dict[int, V.Val] = {}
        self._source = source  # (batch, rows) this one was taken from

    def take(self, rows: Array) -> Batch:
        """The batch of the given rows (atoms decoded here are taken, not decoded again)."""
        return Batch(self.layout, self.words[rows], (self, rows))

    def atom(self, index: int) -> Array:
        """Atom `index` of every row as the value it stands for (bool, or int with its lo)."""
        found = self._atoms.get(index)
        if found is not None:
            return found
        word = self.layout.atoms[index].word
        source = self._source
        if source is not None and word in source[0]._matrices:
            self._take_word(word, *source)
        elif source is not None and index in source[0]._atoms:
            self._atoms[index] = source[0]._atoms[index][source[1]]
        elif self.size <= MATRIX_ROWS:
            self._decode_word(word)
        else:
            self._atoms[index] = self._decode_atom(index)
        return self._atoms[index]

    def col(self, word: int) -> Array:
        """Packed word `word` of every row."""
        return self.words[:, word]

    def _decode_atom(self, index: int) -> Array:
        atom = self.layout.atoms[index]
        word = self.words[:, atom.word]
        if atom.shift:
            word = xp.right_shift(word, xp.uint64(atom.shift))
        if atom.shift + atom.bits < 64:
            word = xp.bitwise_and(word, xp.uint64(atom.mask))
        code = word.astype(xp.int64)
        if self.layout.is_bool[index]:
            return code.astype(xp.bool_)
        return xp.add(code, atom.lo) if atom.lo else code

    def _decode_word(self, word: int) -> None:
        """Decode every atom of a word at once (a matrix with a row per atom)."""
        shifts, masks, los = self.layout.word_fields[word]
        codes = xp.bitwise_and(xp.right_shift(self.words[:, word][None, :], shifts), masks)
        values = codes.astype(xp.int64)
        if los is not None:
            values += los
        flags = self.layout.is_bool
        bools = xp.not_equal(codes, 0) if any(flags[i] for i in self.layout.word_atoms[word]) \
            else None
        self._keep_word(word, values, bools)

    def _take_word(self, word: int, origin: Batch, rows: Array) -> None:
        values, bools = origin._matrices[word]
        self._keep_word(word, values[:, rows], None if bools is None else bools[:, rows])

    def _keep_word(self, word: int, values: Array, bools: Optional[Array]) -> None:
        self._matrices[word] = (values, bools)
        flags = self.layout.is_bool
        for row, index in enumerate(self.layout.word_atoms[word]):
            if index not in self._atoms:
                self._atoms[index] = bools[row] if flags[index] and bools is not None \
                    else values[row]


def value_of(layout: Layout, atom: Callable[[int], V.Leaf]) -> V.Val:
    """A variable's batch value, its leaves the decoded atoms `atom` gives."""
    if isinstance(layout, ScalarL):
        return atom(layout.atom)
    if isinstance(layout, RecL):
        return V.Rec(tuple(value_of(item, atom) for item in layout.items))
    if isinstance(layout, SetL):
        return V.SetV(layout.universe, tuple(atom(a) for a in layout.atoms))
    if isinstance(layout, BagL):
        return V.BagV(layout.universe, tuple(atom(a) for a in layout.atoms))
    return V.SeqV(atom(layout.length), tuple(value_of(s, atom) for s in layout.slots))


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


Code = tuple[int, V.Leaf, V.Leaf]  # (atom, value, live): live is False in unused sequence slots


def pack_into(words: Array, layout: StateLayout, slot: int, value: V.Val,
              rows: Optional[Array] = None, source: Optional[V.Val] = None) -> None:
    """Overwrite variable `slot` of every row of `words` (in place) with `value`, taken at
    `rows` of the batch it was computed over (all of them when None). `source` is the
    variable's value in that batch, which `words` already hold: a field whose leaf is the
    source's own (an assignment left it alone, as the other keys of a map written at one key)
    is not rewritten."""
    codes = changed_codes(layout, slot, value, source)
    clear: dict[int, int] = {}
    for index, _, _ in codes:
        atom = layout.atoms[index]
        clear[atom.word] = clear.get(atom.word, 0) | (atom.mask << atom.shift)
    for word, bits in clear.items():
        words[:, word] &= xp.uint64(~bits & (2 ** 64 - 1))
    for index, code, live in codes:
        atom = layout.atoms[index]
        code = _live(live, code, atom.lo)
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


def changed_codes(layout: StateLayout, slot: int, value: V.Val,
                  source: Optional[V.Val]) -> list[Code]:
    """The fields to pack for variable `slot`'s new `value`: those where it is not `source`
    itself (all of them without a source)."""
    var_layout = layout.vars[slot]
    return _codes(var_layout, value, True) if source is None else \
        _changed(var_layout, value, source)


def _codes(layout: Layout, v: V.Val, live: V.Leaf) -> list[Code]:
    """(atom, leaf, live) triples; a leaf is the field's value (the atom's `lo` is subtracted
    later). `live` is False where the value sits in an unused sequence slot (packed as zero)."""
    if isinstance(layout, ScalarL):
        return [(layout.atom, v, live)]
    if isinstance(layout, RecL):
        out: list[Code] = []
        for item, x in zip(layout.items, v.items):
            out += _codes(item, x, live)
        return out
    if isinstance(layout, SetL):
        members = V.members_in(v, layout.universe)
        return [(a, m, live) for a, m in zip(layout.atoms, members)]
    if isinstance(layout, BagL):
        counts = V.counts_in(v, layout.universe)
        return [(a, c, live) for a, c in zip(layout.atoms, counts)]
    assert isinstance(layout, SeqL)
    out = [(layout.length, v.length, live)]
    slots = V.padded(v, len(layout.slots), layout.type.elem)
    for i, (slot_layout, slot) in enumerate(zip(layout.slots, slots)):
        used = V.conj([live, xp.greater(v.length, i) if V.is_array(v.length)
                       else bool(int(v.length) > i)])
        out += _codes(slot_layout, slot, used)
    return out


def _changed(layout: Layout, v: V.Val, source: V.Val) -> list[Code]:
    """The fields of `v` where it is not `source` itself (fields, keys, members an assignment
    left alone are the source's own objects)."""
    if v is source:
        return []
    if isinstance(layout, RecL):
        out: list[Code] = []
        for item, x, y in zip(layout.items, v.items, source.items):
            out += _changed(item, x, y)
        return out
    if isinstance(layout, SetL):
        members = V.members_in(v, layout.universe)
        before = V.members_in(source, layout.universe)
        return [(a, m, True) for a, m, o in zip(layout.atoms, members, before) if m is not o]
    return _codes(layout, v, True)


def _live(live: V.Leaf, code: V.Leaf, lo: int) -> V.Leaf:
    if live is True:
        return code
    if live is False:
        return lo
    return xp.where(live, code, lo)
