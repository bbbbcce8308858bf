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
# Long-lived arrays come in blocks of 32 MiB, which malloc maps on their own, so a dropped level's
# rows go back to the system; smaller ones live in malloc's heap among the chunks' short-lived
# arrays (a search of the lifecycle model with two runs, with 4 MiB blocks and a part per chunk,
# had 8.6 GB of heap at 255 million states, where its rows, parents and ordinals came to about
# 4 GB). A block's pages take memory only once written.
BLOCK = 32 << 20  # bytes per block: of a level's rows, of parents, of ordinals
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
        """The bytes of the values stored (not of the blocks' unused tails)."""
        return self.count * int(self.dtype.itemsize)


class _Level:
    """The rows of one BFS level (ids from `start` on), in blocks of `rows` rows."""

    def __init__(self, words: int, start: int, rows: int):
        self.words, self.start, self.rows = words, start, rows
        self.blocks: list[Array] = []
        self.count = 0

    def append(self, words: Array) -> None:
        done, n = 0, int(words.shape[0])
        while done < n:
            at = self.count % self.rows
            if at == 0:
                self.blocks.append(xp.empty((self.rows, self.words), dtype=xp.uint64))
            take = min(n - done, self.rows - at)
            self.blocks[-1][at:at + take] = words[done:done + take]
            done += take
            self.count += take

    @property
    def stop(self) -> int:
        return self.start + self.count

    def span(self, start: int, stop: int) -> Array:
        """The rows of ids start..stop-1 (a copy when they straddle blocks)."""
        if start < self.start or stop > self.stop:
            raise IndexError(f"rows {start}..{stop - 1} are not in the level kept")
        parts, lo, hi = [], start - self.start, stop - self.start
        while lo < hi:
            b, at = divmod(lo, self.rows)
            take = min(hi - lo, self.rows - at)
            parts.append(self.blocks[b][at:at + take])
            lo += take
        return parts[0] if len(parts) == 1 else xp.concatenate(parts)

    @property
    def nbytes(self) -> int:
        return self.count * 8 * self.words


class FrontierStore:
    """Rows of the current and the next BFS level; parents and ordinals of every state."""

    def __init__(self, layout: StateLayout, block: int = BLOCK):
        self.layout = layout
        bits = max(1, (block // 4).bit_length() - 1)  # entries of 4 bytes per block
        self.parents = _Column(bits, xp.uint32)  # parent id + 1 (0: an initial state)
        self.ordinals = _Column(bits + 1, xp.uint16)
        self.rows = max(1, block // (8 * layout.words))  # rows per block of a level
        self.count = 0
        self.level = _Level(layout.words, 0, self.rows)  # the level being expanded
        self.next = _Level(layout.words, 0, self.rows)  # the rows found so far for the next

    def append(self, words: Array, parents: Array, ordinals: Array) -> None:
        """Store new states of the next level (rows, parents' ids, ordinals); they get the
        next ids."""
        n = int(words.shape[0])
        if n == 0:
            return
        if int(ordinals.max()) > 0xFFFF and self.ordinals.dtype == xp.uint16:
            self.ordinals.widen(xp.uint32)
        # a parent's id is below its child's: uint32 holds parent + 1 in blocks that end below
        wide = self.count + n + self.parents.block >= _U32_LIMIT
        self.parents.append(parents.astype(xp.int64) + 1, xp.int64 if wide else None)
        self.ordinals.append(ordinals)
        self.next.append(words)
        self.count += n

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
        if start >= self.next.start and self.next.count:
            self.level = self.next  # the level before is dropped here
            self.next = _Level(self.layout.words, self.count, self.rows)
        if stop <= start:
            return xp.zeros((0, self.layout.words), dtype=xp.uint64)
        return self.level.span(start, stop)

    @property
    def nbytes(self) -> int:
        """The bytes kept: the rows of the two levels, every state's parent and ordinal."""
        return self.level.nbytes + self.next.nbytes + self.parents.nbytes + \
            self.ordinals.nbytes
