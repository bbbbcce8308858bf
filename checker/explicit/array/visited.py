"""The visited set: packed states as sorted runs of keys, merged like a log-structured tree.

A key is the packed row itself (one uint64 word, or the row's bytes when a state needs several
words), so membership is exact and needs no dense domain: a run is a sorted array, a lookup is a
binary search in each run, and a new run is merged into the last one while it is at least half
as large (so there are at most about log2(states / first run) runs).
"""

from __future__ import annotations

from typing import Any

import numpy as xp

Array = Any


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
    def __init__(self) -> None:
        self.runs: list[Array] = []
        self.size = 0

    def contains(self, keys: Array) -> Array:
        found = xp.zeros(keys.shape[0], dtype=xp.bool_)
        for run in self.runs:
            at = xp.searchsorted(run, keys)
            at = xp.minimum(at, run.shape[0] - 1)
            found |= run[at] == keys
        return found

    def add(self, keys: Array) -> None:
        """Add distinct keys that are not in the set yet."""
        if keys.shape[0] == 0:
            return
        run = xp.sort(keys)
        while self.runs and self.runs[-1].shape[0] <= 2 * run.shape[0]:
            run = xp.sort(xp.concatenate([self.runs.pop(), run]))
        self.runs.append(run)
        self.size += keys.shape[0]

    @property
    def nbytes(self) -> int:
        return sum(int(r.nbytes) for r in self.runs)
