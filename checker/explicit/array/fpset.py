"""The visited set of a fingerprint search (`--fingerprints`): a 64-bit fingerprint per state.

A state of several words is kept as a 64-bit hash of its row (`fingerprint`) in sorted runs
(`visited.VisitedSet`): 8 bytes a state, and two distinct states with the same fingerprint are
taken for one (the second is never explored), so the search is exact only up to fingerprint
collisions; the summary prints TLC's estimate of their probability. A state of one word is its
own key (the word itself, or the dense table when it has at most DENSE_BITS bits), so there the
set is exact and no collision is possible.
"""

from __future__ import annotations

from typing import Any

import numpy as xp

from checker.explicit.array.packing import StateLayout
from checker.explicit.array.visited import DENSE_BITS, DenseVisited, VisitedSet

Array = Any
_SEED = 0x243F6A8885A308D3
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(x: Array) -> Array:
    """splitmix64's finaliser, in place: a bijection of 64-bit words that spreads every input
    bit over the whole output."""
    x ^= x >> xp.uint64(30)
    x *= xp.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> xp.uint64(27)
    x *= xp.uint64(0x94D049BB133111EB)
    x ^= x >> xp.uint64(31)
    return x


def fingerprint(words: Array) -> Array:
    """A 64-bit fingerprint per row: each word mixed on its own (with its position), folded
    into the running hash, which is mixed again. Two rows that differ in one word never
    collide; rows that differ in several collide only when two mixed values coincide."""
    h = xp.full(words.shape[0], _SEED, dtype=xp.uint64)
    for i in range(words.shape[1]):
        w = words[:, i] + xp.uint64((_GOLDEN * (i + 1)) & 0xFFFFFFFFFFFFFFFF)
        h ^= _mix(w)
        h = _mix(h)
    return h


class FingerprintSet:
    """`fresh`/`add` as the other visited sets, on fingerprints; no ids (so no graph edges)."""

    def __init__(self, layout: StateLayout):
        self.hashed = layout.words > 1  # False: the state is its own key, exact
        self.keys: VisitedSet | DenseVisited = (
            DenseVisited(layout.bits) if not self.hashed and layout.bits <= DENSE_BITS
            else VisitedSet())
        self.has_ids = False

    def _keys(self, words: Array) -> Array:
        return fingerprint(words).reshape(-1, 1) if self.hashed else words

    def fresh(self, words: Array, keep: Array) -> Array:
        """Positions (ascending) of the kept rows whose fingerprint is not in the set and
        comes first among equal fingerprints."""
        return self.keys.fresh(self._keys(words), keep)

    def add(self, words: Array, first_id: int) -> None:
        self.keys.add(self._keys(words), first_id)

    def lookup(self, words: Array) -> Array:
        raise TypeError("a fingerprint set keeps no ids")  # has_ids is False

    @property
    def size(self) -> int:
        return self.keys.size

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes
