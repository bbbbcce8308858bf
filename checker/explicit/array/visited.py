"""The visited set of one-word states: sorted runs of words, merged like a log-structured tree
(or a dense table of flags when the states have at most DENSE_BITS bits); see hashed.py for
states of several words.

The key is the packed word itself, so membership is exact and needs no dense domain: a run is a
sorted array, a look-up a binary search in each run, and a new run is merged into the last one
while that is at most twice as large (so there are about log2(states / first run) runs), up to
MAX_RUN keys a run.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as xp

Array = Any
# Runs are merged up to this many keys (1 GiB of words): a merge briefly needs the two runs and
# their union, so an uncapped merge of the last two halves of a set of N keys needs 2N.
MAX_RUN = 1 << 27


def keys_of(words: Array) -> Array:
    """One sortable key per row: the word itself, or the row's bytes for several words."""
    if words.shape[1] == 1:
        return words[:, 0]
    rows = xp.ascontiguousarray(words)
    return rows.view(xp.dtype((xp.void, 8 * words.shape[1]))).reshape(-1)


def first_occurrences(keys: Array) -> Array:
    """A boolean mask: True at the first position of each distinct key."""
    n = keys.shape[0]
    if n == 0:
        return xp.zeros(0, dtype=xp.bool_)
    order = xp.argsort(keys, kind="stable")
    ordered = keys[order]
    head = xp.ones(n, dtype=xp.bool_)
    head[1:] = ordered[1:] != ordered[:-1]
    out = xp.zeros(n, dtype=xp.bool_)
    out[order[head]] = True
    return out


class VisitedSet:
    """One-word states as sorted runs of words; with `ids`, each word's state id beside it (for
    `lookup`, which recording the graph's edges needs)."""

    def __init__(self, ids: bool = False) -> None:
        self.runs: list[Array] = []
        self.id_runs: Optional[list[Array]] = [] if ids else None
        self.has_ids = ids
        self.size = 0

    def fresh(self, words: Array, keep: Array) -> Array:
        """Positions (ascending) of the kept rows that are not in the set and come first among
        equal rows: the candidates that are new states, in the order they get their ids."""
        keys = words[:, 0]
        at = xp.nonzero(keep)[0]
        if at.shape[0] == 0:
            return at
        k = keys[at]
        order = xp.argsort(k, kind="stable")
        ordered = k[order]
        head = xp.ones(ordered.shape[0], dtype=xp.bool_)
        head[1:] = ordered[1:] != ordered[:-1]
        distinct = ordered[head]  # sorted, so the look-ups below walk each run in order
        new = ~self.contains(distinct)
        return xp.sort(at[order[head][new]])

    def contains(self, keys: Array) -> Array:
        found = xp.zeros(keys.shape[0], dtype=xp.bool_)
        for run in self.runs:
            at = xp.searchsorted(run, keys)
            at = xp.minimum(at, run.shape[0] - 1)
            found |= run[at] == keys
        return found

    def lookup(self, words: Array) -> Array:
        """The id of each row's state, -1 where it is not in the set."""
        assert self.id_runs is not None, "a visited set without ids"
        keys = words[:, 0]
        out = xp.full(keys.shape[0], -1, dtype=xp.int64)
        for run, ids in zip(self.runs, self.id_runs):
            at = xp.minimum(xp.searchsorted(run, keys), run.shape[0] - 1)
            hit = run[at] == keys
            out[hit] = ids[at[hit]]
        return out

    def add(self, words: Array, first_id: int) -> None:
        """Add distinct rows that are not in the set yet (their ids: first_id onwards)."""
        keys = words[:, 0]
        if keys.shape[0] == 0:
            return
        ids = None
        if self.id_runs is None:
            run = xp.sort(keys)
        else:
            order = xp.argsort(keys)
            run, ids = keys[order], (order + first_id).astype(xp.int64)
        while self.runs and self.runs[-1].shape[0] <= 2 * run.shape[0] and \
                self.runs[-1].shape[0] + run.shape[0] <= MAX_RUN:
            both = xp.concatenate([self.runs.pop(), run])
            if self.id_runs is None or ids is None:
                both.sort()  # in place: a merge needs the two runs and their union only
                run = both
            else:
                merged = xp.argsort(both, kind="stable")
                run, ids = both[merged], xp.concatenate([self.id_runs.pop(), ids])[merged]
        self.runs.append(run)
        if self.id_runs is not None and ids is not None:
            self.id_runs.append(ids)
        self.size += keys.shape[0]

    @property
    def nbytes(self) -> int:
        runs = sum(int(r.nbytes) for r in self.runs)
        return runs + sum(int(r.nbytes) for r in self.id_runs or [])


class DenseVisited:
    """The visited set as one flag per possible packed state, for states of at most
    `DENSE_BITS` bits in one word (a dense domain: 2**bits bytes)."""

    def __init__(self, bits: int):
        self.table = xp.zeros(1 << bits, dtype=xp.bool_)
        self.has_ids = False
        self.size = 0

    def fresh(self, words: Array, keep: Array) -> Array:
        keys = words[:, 0]
        at = xp.nonzero(keep & ~self.table[keys])[0]
        return at[first_occurrences(keys[at])]

    def contains(self, keys: Array) -> Array:
        return self.table[keys]

    def lookup(self, words: Array) -> Array:
        raise TypeError("a dense visited set keeps no ids")  # has_ids is False

    def add(self, words: Array, first_id: int) -> None:
        self.table[words[:, 0]] = True
        self.size += words.shape[0]

    @property
    def nbytes(self) -> int:
        return int(self.table.nbytes)


DENSE_BITS = 26  # at most a 64 MiB table
