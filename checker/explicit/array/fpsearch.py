"""The array engine's search in fingerprint mode (`check --fingerprints`).

The same level-synchronous search (search.py: the same counts, the same order of events, the same
shortest counterexamples), with three stores swapped: the visited set keeps a 64-bit fingerprint
per state (fpset.py), only the level being expanded and the next one are kept as packed rows, and
every state keeps its parent and its ordinal among its parent's successors (frontier.py). The
states of counterexamples are rebuilt when the search ends (rebuild.py). About 14 bytes per state
and the rows of two levels, against about 100 bytes per state of an exact search of the lifecycle
model with two runs (docs/engines.md). Exact up to fingerprint collisions: the result says so,
with TLC's estimate of their probability.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as xp

from checker.ir.kinds import StopReason
from checker.explicit.array.batch import Batch
from checker.explicit.array.fpset import FingerprintSet
from checker.explicit.array.frontier import FrontierStore
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.array.rebuild import FingerprintGraph
from checker.explicit.array.search import ArraySearch
from checker.explicit.results import (Fingerprints, ProgressCallback, SearchOptions,
                                      SearchResult)
from checker.explicit.system import TransitionSystem

Array = Any


class FingerprintSearch(ArraySearch):
    def __init__(self, system: TransitionSystem, arrays: ArraySystem, options: SearchOptions,
                 on_progress: Optional[ProgressCallback]):
        assert not options.record_graph, "a fingerprint search records no graph"
        super().__init__(system, arrays, options, on_progress)
        self.frontier = FrontierStore(arrays.layout)
        self.store = self.frontier  # type: ignore[assignment]
        self.fingerprints = FingerprintSet(arrays.layout)
        self.visited = self.fingerprints  # type: ignore[assignment]
        self.rebuilt = FingerprintGraph(self.frontier, arrays, system.initial)
        self.packed = self.graph = self.rebuilt  # type: ignore[assignment]
        self._chunk_parents: tuple[Array, int] = (xp.zeros(0, dtype=xp.int64), 0)

    def _store_initial(self, rows: list[list[int]]) -> None:
        """The initial states kept, each with its position in the list of initial states."""
        first: dict[tuple[int, ...], int] = {}
        for i, s in enumerate(self.system.initial):
            first.setdefault(tuple(self.arrays.layout.encode(s)), i)
        words = xp.asarray(rows, dtype=xp.uint64).reshape(len(rows), self.arrays.layout.words)
        ordinals = xp.asarray([first[tuple(r)] for r in rows], dtype=xp.int64)
        self._keep(words, xp.full(len(rows), -1, dtype=xp.int64), ordinals)
        self.depth = 1

    def _commit_chunk(self, words: Array, parent: Array, base: int, new_at: Array) -> None:
        self._chunk_parents = (parent, base)
        firsts = xp.searchsorted(parent, parent[new_at], side="left")  # parent is sorted
        self._keep(words[new_at], (parent[new_at] + base).astype(xp.int64), new_at - firsts)

    def _keep(self, words: Array, parents: Array, ordinals: Array) -> None:
        first_id = self.frontier.count
        self.frontier.append(words, parents, ordinals)
        self.fingerprints.add(words, first_id)

    def _target_id(self, j: int, first_id: int, succ: Batch, fresh_at: Array) -> int:
        """Candidate j's id if it is a new state; else a virtual id for the step to it."""
        row = succ.words[j]
        at = int(xp.searchsorted(fresh_at, j))
        if at < fresh_at.shape[0] and int(fresh_at[at]) == j:
            self.rebuilt.saw(first_id + at, row)
            return first_id + at
        parent, base = self._chunk_parents
        p = int(parent[j])
        ordinal = j - int(xp.searchsorted(parent, p, side="left"))
        return self.rebuilt.step_to_seen(base + p, ordinal, row)

    def result(self, complete: bool, stopped: Optional[StopReason], error: Any = None,
               error_path: tuple[int, ...] = ()) -> SearchResult:
        out = super().result(complete, stopped, error, error_path)
        wanted = [v.path[-1] for v in self.violations if v.path] + list(error_path[-1:])
        self.rebuilt.rebuild(wanted)
        out.fingerprints = Fingerprints(self.fingerprints.hashed)
        return out


def fingerprint_explore(system: TransitionSystem, arrays: ArraySystem,
                        options: SearchOptions = SearchOptions(),
                        on_progress: Optional[ProgressCallback] = None) -> SearchResult:
    """The array engine's search with fingerprints; the same counts as `array_explore`."""
    return FingerprintSearch(system, arrays, options, on_progress).run()
