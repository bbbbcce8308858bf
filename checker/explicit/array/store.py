"""The states an array search explored: packed rows and BFS parents, kept once, by id.

Ids are positions in append order (BFS order). Rows live in fixed-size blocks, so growing never
copies what is stored and a row is found from its id by arithmetic; `gather` fetches the rows of
many ids at once (the visited set compares candidates with stored rows this way, so it keeps only
hashes and ids, not the rows a second time).
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array.packing import StateLayout

Array = Any
BLOCK_BITS = 18  # 262,144 states per block


class PackedStore:
    """Rows and parents, appended level by level; ids are positions in append order."""

    def __init__(self, layout: StateLayout, block_bits: int = BLOCK_BITS):
        self.layout = layout
        self.block_bits = block_bits
        self.block = 1 << block_bits
        self.rows: list[Array] = []  # blocks of `block` rows (the last one filled up to count)
        self.parents: list[Array] = []
        self.count = 0

    def append(self, words: Array, parents: Array) -> None:
        """Store rows (with their parents' ids); they get the next ids."""
        done, n = 0, int(words.shape[0])
        while done < n:
            at = self.count & (self.block - 1)
            if at == 0:
                self.rows.append(xp.empty((self.block, self.layout.words), dtype=xp.uint64))
                self.parents.append(xp.empty(self.block, dtype=xp.int64))
            take = min(n - done, self.block - at)
            self.rows[-1][at:at + take] = words[done:done + take]
            self.parents[-1][at:at + take] = parents[done:done + take]
            done += take
            self.count += take

    def _check(self, sid: int) -> None:
        if not 0 <= sid < self.count:
            raise IndexError(sid)

    def row(self, sid: int) -> Array:
        self._check(sid)
        return self.rows[sid >> self.block_bits][sid & (self.block - 1)]

    def parent(self, sid: int) -> int:
        self._check(sid)
        return int(self.parents[sid >> self.block_bits][sid & (self.block - 1)])

    def span(self, start: int, stop: int) -> Array:
        """The rows of ids start..stop-1 (a copy when they straddle blocks)."""
        parts = []
        while start < stop:
            b, at = start >> self.block_bits, start & (self.block - 1)
            take = min(stop - start, self.block - at)
            parts.append(self.rows[b][at:at + take])
            start += take
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return xp.zeros((0, self.layout.words), dtype=xp.uint64)
        return xp.concatenate(parts)

    def gather(self, ids: Array) -> Array:
        """The rows of many ids (any order)."""
        out = xp.empty((ids.shape[0], self.layout.words), dtype=xp.uint64)
        if ids.shape[0] == 0:
            return out
        blocks = ids >> self.block_bits
        offsets = ids & (self.block - 1)
        if len(self.rows) == 1:
            out[:] = self.rows[0][offsets]
            return out
        for b in xp.unique(blocks).tolist():
            here = blocks == b
            out[here] = self.rows[b][offsets[here]]
        return out

    def find(self, row: Array) -> int | None:
        """The id of a packed row by a linear scan (for rare look-ups without a visited set
        that knows ids)."""
        want = xp.asarray(row, dtype=xp.uint64).reshape(1, -1)
        for b, rows in enumerate(self.rows):
            used = min(self.block, self.count - (b << self.block_bits))
            hits = xp.nonzero(xp.all(rows[:used] == want, axis=1))[0]
            if hits.shape[0]:
                return (b << self.block_bits) + int(hits[0])
        return None

    @property
    def nbytes(self) -> int:
        """The bytes the stored states occupy (the last block's unused tail not counted)."""
        return self.count * (8 * self.layout.words + 8)
