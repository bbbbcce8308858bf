"""The visited set for states of several words: sorted runs of (hash, row), exact.

Rows are sorted by a 64-bit hash of their words (sorting by hash is a plain integer sort, many
times faster than sorting the rows' bytes). A look-up finds the hash by binary search and then
compares the whole row, so two states are never taken for one: when two different rows share a
hash (expected about once in 2**64 / N**2 searches), the look-up falls back to comparing every
row with that hash, and a chunk's duplicates are found by the rows' bytes instead.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array.visited import first_occurrences, keys_of

Array = Any
_MIX = xp.uint64(0x9E3779B97F4A7C15)


def row_hash(words: Array) -> Array:
    """A 64-bit hash per row (multiply-xorshift over the words)."""
    h = xp.full(words.shape[0], 0x243F6A8885A308D3, dtype=xp.uint64)
    for i in range(words.shape[1]):
        h = xp.multiply(xp.bitwise_xor(h, words[:, i]), _MIX)
        h = xp.bitwise_xor(h, xp.right_shift(h, xp.uint64(29)))
    return h


class HashedRuns:
    def __init__(self) -> None:
        self.runs: list[tuple[Array, Array]] = []  # (hashes sorted, rows in that order)
        self.size = 0

    def fresh(self, words: Array, keep: Array) -> Array:
        """Positions (ascending) of the kept rows that are new and first among equal rows."""
        at = xp.nonzero(keep)[0]
        if at.shape[0] == 0:
            return at
        rows = words[at]
        h = row_hash(rows)
        order = xp.argsort(h, kind="stable")
        hs, rs = h[order], rows[order]
        same_hash = hs[1:] == hs[:-1]
        same_row = xp.all(rs[1:] == rs[:-1], axis=1)
        if bool(xp.any(same_hash & ~same_row)):  # two rows share a hash: compare bytes
            first = first_occurrences(keys_of(rows))
            head_at = xp.nonzero(first)[0]
        else:
            head = xp.ones(hs.shape[0], dtype=xp.bool_)
            head[1:] = ~same_row
            head_at = order[head]
        new = ~self.contains(rows[head_at])
        return xp.sort(at[head_at[new]])

    def contains(self, rows: Array) -> Array:
        h = row_hash(rows)
        order = xp.argsort(h)  # look up in hash order: each run is walked once, in order
        found = xp.zeros(rows.shape[0], dtype=xp.bool_)
        hs, rs = h[order], rows[order]
        hit = xp.zeros(rows.shape[0], dtype=xp.bool_)
        for run_h, run_rows in self.runs:
            pos = xp.minimum(xp.searchsorted(run_h, hs), run_h.shape[0] - 1)
            same_hash = run_h[pos] == hs
            match = same_hash & xp.all(run_rows[pos] == rs, axis=1)
            hit |= match
            for j in xp.nonzero(same_hash & ~match)[0].tolist():  # a hash shared by two rows
                hit[j] |= self._scan(run_h, run_rows, hs[j], rs[j])
        found[order] = hit
        return found

    @staticmethod
    def _scan(run_h: Array, run_rows: Array, h: Any, row: Array) -> bool:
        lo = int(xp.searchsorted(run_h, h, side="left"))
        hi = int(xp.searchsorted(run_h, h, side="right"))
        return bool(xp.any(xp.all(run_rows[lo:hi] == row, axis=1)))

    def add(self, words: Array) -> None:
        """Add distinct rows that are not in the set yet."""
        if words.shape[0] == 0:
            return
        h = row_hash(words)
        order = xp.argsort(h)
        run = (h[order], words[order])
        while self.runs and self.runs[-1][0].shape[0] <= 2 * run[0].shape[0]:
            old_h, old_rows = self.runs.pop()
            both_h = xp.concatenate([old_h, run[0]])
            order = xp.argsort(both_h, kind="stable")  # a merge of two sorted runs
            run = (both_h[order], xp.concatenate([old_rows, run[1]])[order])
        self.runs.append(run)
        self.size += words.shape[0]

    @property
    def nbytes(self) -> int:
        return sum(int(h.nbytes) + int(r.nbytes) for h, r in self.runs)
