"""The visited set for states of several words: sorted runs of (hash, id), exact.

Rows are sorted by a 64-bit hash of their words (sorting by hash is a plain integer sort, many
times faster than sorting the rows' bytes). The set keeps the hash and the state's id only; the
row itself is kept once, in the store, and a look-up that finds the hash compares the whole row
with the stored one, so two states are never taken for one. When two different rows share a hash
(expected about once in 2**64 / N**2 searches), the look-up falls back to comparing every row with
that hash, and a chunk's duplicates are found by the rows' bytes instead.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array.store import PackedStore
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
    def __init__(self, store: PackedStore) -> None:
        self.store = store
        self.runs: list[tuple[Array, Array]] = []  # (hashes sorted, ids in that order)
        self.has_ids = True
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
        new = self.lookup(rows[head_at]) < 0
        return xp.sort(at[head_at[new]])

    def contains(self, rows: Array) -> Array:
        return self.lookup(rows) >= 0

    def lookup(self, rows: Array) -> Array:
        """The id of each row's state, -1 where it is not in the set."""
        h = row_hash(rows)
        order = xp.argsort(h)  # look up in hash order: each run is walked once, in order
        hs, rs = h[order], rows[order]
        got = xp.full(rows.shape[0], -1, dtype=xp.int64)
        for run_h, run_ids in self.runs:
            pos = xp.minimum(xp.searchsorted(run_h, hs), run_h.shape[0] - 1)
            same_hash = xp.nonzero(run_h[pos] == hs)[0]
            ids = run_ids[pos[same_hash]]
            match = xp.all(self.store.gather(ids) == rs[same_hash], axis=1)
            got[same_hash[match]] = ids[match]
            for j in same_hash[~match].tolist():  # a hash shared by two rows
                got[j] = max(int(got[j]), self._scan(run_h, run_ids, hs[j], rs[j]))
        out = xp.empty_like(got)
        out[order] = got
        return out

    def _scan(self, run_h: Array, run_ids: Array, h: Any, row: Array) -> int:
        lo = int(xp.searchsorted(run_h, h, side="left"))
        hi = int(xp.searchsorted(run_h, h, side="right"))
        ids = run_ids[lo:hi]
        hits = xp.nonzero(xp.all(self.store.gather(ids) == row, axis=1))[0]
        return int(ids[hits[0]]) if hits.shape[0] else -1

    def add(self, words: Array, first_id: int) -> None:
        """Add distinct rows that are not in the set yet, stored under ids first_id onwards
        (the store must hold them already)."""
        if words.shape[0] == 0:
            return
        h = row_hash(words)
        order = xp.argsort(h)
        run = (h[order], (order + first_id).astype(xp.int64))
        while self.runs and self.runs[-1][0].shape[0] <= 2 * run[0].shape[0]:
            old_h, old_ids = self.runs.pop()
            both_h = xp.concatenate([old_h, run[0]])
            merged = xp.argsort(both_h, kind="stable")  # a merge of two sorted runs
            run = (both_h[merged], xp.concatenate([old_ids, run[1]])[merged])
        self.runs.append(run)
        self.size += words.shape[0]

    @property
    def nbytes(self) -> int:
        return sum(int(h.nbytes) + int(i.nbytes) for h, i in self.runs)
