"""The states of a fingerprint search, rebuilt on demand: TLC's way of recovering a trace.

A fingerprint search (`--fingerprints`) keeps no state beyond the two levels it works on, only
each state's parent and ordinal (frontier.py). To show the states of a trace, the chain of
parents is walked back to an initial state, then successor generation is run again forwards, level
by level, from the initial states: the state at each step is the successor at its ordinal among
its parent's successors (the same kernels, so the same order). TLC walks the same chain and picks
the successor whose fingerprint is the next one; the ordinal names it without a fingerprint per
state. The paths of all the search's counterexamples are rebuilt together, one batch per level.

Where the search saw the state itself (the last state of a counterexample), the rebuilt row is
compared with it, so a rebuild that went astray is an error, never a wrong trace. The target of a
step to a state seen before (a transition property's counterexample) has no id of its own: it is
given a virtual id, above every state's, standing for (parent, ordinal).
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence, overload

import numpy as xp

from checker.explicit.array.batch import Batch
from checker.explicit.array.frontier import FrontierStore
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.system import State

Array = Any
VIRTUAL = 1 << 62  # virtual ids start here


class RebuildError(AssertionError):
    """A rebuilt trace does not match what the search saw: a defect, never a result."""


class _States(Sequence[State]):
    def __init__(self, graph: FingerprintGraph):
        self.graph = graph

    def __len__(self) -> int:
        return self.graph.store.count

    @overload
    def __getitem__(self, i: int) -> State: ...
    @overload
    def __getitem__(self, i: slice) -> list[State]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.graph.state(i if i >= 0 else i + len(self))

    def __iter__(self) -> Iterator[State]:
        raise TypeError("a fingerprint search keeps no states to iterate over")


class _Parents(Sequence[int]):
    def __init__(self, graph: FingerprintGraph):
        self.graph = graph

    def __len__(self) -> int:
        return self.graph.store.count

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.graph.parent_of(i if i >= 0 else i + len(self))


class FingerprintGraph:
    """What `SearchResult.graph` offers after a fingerprint search: the count of states, their
    parents, paths, and the states of paths (rebuilt); no edges, no look-up by state."""

    def __init__(self, store: FrontierStore, arrays: ArraySystem, initial: Sequence[State]):
        self.store, self.arrays, self.initial = store, arrays, initial
        self.states = _States(self)
        self.parent = _Parents(self)
        self.edges = None
        self.expanded = 0
        self.virtual: dict[int, tuple[int, int]] = {}  # virtual id -> (parent id, ordinal)
        self.seen: dict[int, Array] = {}  # rows the search saw, checked against the rebuilt
        self._rows: dict[int, Array] = {}  # rebuilt rows

    # ------------------------------------------------------------ ids
    def step_to_seen(self, parent: int, ordinal: int, row: Array) -> int:
        """A virtual id for the successor at `ordinal` of `parent` (a state seen before)."""
        vid = VIRTUAL + len(self.virtual)
        self.virtual[vid] = (parent, ordinal)
        self.seen[vid] = xp.array(row, dtype=xp.uint64)
        return vid

    def saw(self, sid: int, row: Array) -> None:
        """The search had state `sid`'s row: the rebuild must find the same."""
        self.seen[sid] = xp.array(row, dtype=xp.uint64)

    def parent_of(self, sid: int) -> int:
        found = self.virtual.get(sid)
        return found[0] if found is not None else self.store.parent(sid)

    def ordinal_of(self, sid: int) -> int:
        found = self.virtual.get(sid)
        return found[1] if found is not None else self.store.ordinal(sid)

    def path_to(self, sid: int) -> list[int]:
        path = []
        while sid >= 0:
            path.append(sid)
            sid = self.parent_of(sid)
        return path[::-1]

    # ------------------------------------------------------------ states
    def state(self, sid: int) -> State:
        if sid not in self._rows:
            self.rebuild([sid])
        return self.arrays.layout.decode([int(w) for w in self._rows[sid]])

    def rebuild(self, ids: Sequence[int]) -> None:
        """Rebuild the rows of the states `ids` and of every state on their paths."""
        levels: list[dict[int, tuple[int, int]]] = []  # per depth: id -> (parent, ordinal)
        for sid in ids:
            for depth, node in enumerate(self.path_to(sid)):
                if node not in self._rows:
                    while len(levels) <= depth:
                        levels.append({})
                    levels[depth][node] = (self.parent_of(node), self.ordinal_of(node))
        for depth, level in enumerate(levels):
            if depth == 0:
                for node, (_, ordinal) in level.items():
                    self._keep(node, xp.asarray(self.arrays.layout.encode(
                        self.initial[ordinal]), dtype=xp.uint64))
            elif level:
                self._successors_at(level)

    def _successors_at(self, level: dict[int, tuple[int, int]]) -> None:
        """Rebuild one level's states from their parents' rows (rebuilt already)."""
        parents = sorted({p for p, _ in level.values()})
        where = {p: r for r, p in enumerate(parents)}
        rows = xp.stack([self._rows[p] for p in parents])
        cand = self.arrays.successors(Batch(self.arrays.layout, rows))
        bounds = xp.searchsorted(cand.parent, xp.arange(len(parents) + 1))
        for node, (p, ordinal) in level.items():
            lo, hi = int(bounds[where[p]]), int(bounds[where[p] + 1])
            if not 0 <= ordinal < hi - lo:
                raise RebuildError(f"state {node}: its parent {p} has {hi - lo} successors, "
                                   f"not one at position {ordinal}")
            self._keep(node, cand.words[lo + ordinal].copy())

    def _keep(self, node: int, row: Array) -> None:
        seen = self.seen.get(node)
        if seen is not None and not bool(xp.array_equal(seen, row)):
            raise RebuildError(f"state {node} was rebuilt other than the search saw it")
        self._rows[node] = row
