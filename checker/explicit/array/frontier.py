"""The states of a fingerprint search (`--fingerprints`): rows of two levels only, and per state
its BFS parent and its position among the parent's successors.

Ids are positions in append order (BFS order), as in `PackedStore`. Only the level being expanded
and the one being found are kept as packed rows; once the search asks for the rows of the next
level, the level before is dropped. Every state keeps its parent's id (plus one, so that 0 means
an initial state; uint32 while ids fit, int64 beyond) and its ordinal: its position in the list
of its parent's successors as the kernels produce it (for an initial state, its position in the
list of initial states), uint16 until an ordinal needs more. From these a trace is rebuilt
(rebuild.py) by running successor generation again along the chain of parents: 6 bytes per state
instead of the row and an 8-byte parent.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array.packing import StateLayout

Array = Any
BLOCK_BITS = 16  # 65,536 states per block of parents and ordinals (384 KiB)
_U32_LIMIT = (1 << 32) - 1


class _Column:
    """A per-state integer column in fixed-size blocks (never copied when it grows)."""

    def __init__(self, block_bits: int, dtype: Any):
        self.block_bits, self.block = block_bits, 1 << block_bits
        self.dtype = xp.dtype(dtype)
        self.blocks: list[Array] = []
        self.count = 0

    def append(self, values: Array, dtype: Any = None) -> None:
        done, n = 0, int(values.shape[0])
        while done < n:
            at = self.count & (self.block - 1)
            if at == 0:
                self.blocks.append(xp.empty(self.block, dtype=dtype or self.dtype))
            take = min(n - done, self.block - at)
            self.blocks[-1][at:at + take] = values[done:done + take]
            done += take
            self.count += take

    def widen(self, dtype: Any) -> None:
        """Store wider values from now on (the blocks so far are converted)."""
        self.dtype = xp.dtype(dtype)
        self.blocks = [b.astype(self.dtype) for b in self.blocks]

    def __getitem__(self, i: int) -> int:
        return int(self.blocks[i >> self.block_bits][i & (self.block - 1)])

    @property
    def nbytes(self) -> int:
        return sum(int(b.nbytes) for b in self.blocks)


class FrontierStore:
    """Rows of the current and the next BFS level; parents and ordinals of every state."""

    def __init__(self, layout: StateLayout, block_bits: int = BLOCK_BITS):
        self.layout = layout
        self.block = 1 << block_bits
        self.parents = _Column(block_bits, xp.uint32)  # parent id + 1 (0: an initial state)
        self.ordinals = _Column(block_bits, xp.uint16)
        self.count = 0
        self.level_start = 0  # id of the first row of `level`
        self.level: list[Array] = []  # the rows of the level being expanded, in parts
        self.level_ends: list[int] = []  # the id after each part
        self.next_start = 0
        self.next: list[Array] = []  # the rows found so far for the next level
        self.next_ends: list[int] = []

    def append(self, words: Array, parents: Array, ordinals: Array) -> None:
        """Store new states of the next level (rows, parents' ids, ordinals); they get the
        next ids."""
        n = int(words.shape[0])
        if n == 0:
            return
        if int(ordinals.max()) > 0xFFFF and self.ordinals.dtype == xp.uint16:
            self.ordinals.widen(xp.uint32)
        start = self.count
        # a parent's id is below its child's: uint32 holds parent + 1 in blocks that end below
        wide = start + n + self.parents.block >= _U32_LIMIT
        self.parents.append(parents.astype(xp.int64) + 1, xp.int64 if wide else None)
        self.ordinals.append(ordinals)
        self.next.append(xp.ascontiguousarray(words))
        self.count += n
        self.next_ends.append(self.count)

    def parent(self, sid: int) -> int:
        self._check(sid)
        return self.parents[sid] - 1

    def ordinal(self, sid: int) -> int:
        self._check(sid)
        return self.ordinals[sid]

    def _check(self, sid: int) -> None:
        if not 0 <= sid < self.count:
            raise IndexError(sid)

    def span(self, start: int, stop: int) -> Array:
        """The rows of ids start..stop-1, which must lie in one level still kept: asking for
        the next level's rows makes it the current one (and drops the current one)."""
        if start >= self.next_start and self.next:
            self.level, self.level_ends = self.next, self.next_ends
            self.level_start = self.next_start
            self.next, self.next_ends, self.next_start = [], [], self.count
        if stop <= start:
            return xp.zeros((0, self.layout.words), dtype=xp.uint64)
        if start < self.level_start or stop > self.next_start:
            raise IndexError(f"rows {start}..{stop - 1} are not in the level kept")
        parts, begin = [], self.level_start
        for part, end in zip(self.level, self.level_ends):
            lo, hi = max(start, begin), min(stop, end)
            if lo < hi:
                parts.append(part[lo - begin:hi - begin])
            begin = end
        return parts[0] if len(parts) == 1 else xp.concatenate(parts)

    @property
    def nbytes(self) -> int:
        """The bytes kept: the rows of the two levels, every state's parent and ordinal."""
        rows = sum(int(p.nbytes) for p in self.level + self.next)
        return rows + self.parents.nbytes + self.ordinals.nbytes
