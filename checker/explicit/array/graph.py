"""The states an array search explored, kept packed, with the interface of `StateGraph`.

`states[i]` unpacks one state (to the tuple engine's stored form), `index` finds a state's id (by
the visited set), `path_to` follows parents. When the search records the graph (liveness,
`--dump-graph`), its edges are kept as arrays: per chunk of a level the source and target ids of
every step, in the order the tuple engine lists a state's successors; `edges` turns them into the
tuple engine's lists (successors of each expanded state) on first use.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence, overload

import numpy as xp

from checker.ir import nodes as ir
from checker.explicit.array.batch import Batch
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.array.store import PackedStore
from checker.explicit.array.unsupported import Unsupported

Array = Any


class _States(Sequence[tuple[Any, ...]]):
    def __init__(self, store: PackedStore):
        self.store = store

    def __len__(self) -> int:
        return self.store.count

    @overload
    def __getitem__(self, i: int) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        return self.store.layout.decode([int(w) for w in self.store.row(i)])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        decode, store = self.store.layout.decode, self.store
        for start in range(0, store.count, store.block):
            for row in store.span(start, min(store.count, start + store.block)).tolist():
                yield decode(row)


class _Parents(Sequence[int]):
    def __init__(self, store: PackedStore):
        self.store = store

    def __len__(self) -> int:
        return self.store.count

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.store.parent(i if i >= 0 else i + len(self))


class _Index:
    """State (stored form) -> id, as `StateGraph.index`."""

    def __init__(self, store: PackedStore, lookup: Optional[Callable[[Array], Array]]):
        self.store = store
        self.lookup = lookup  # the visited set's id look-up, when it keeps ids

    def get(self, state: Sequence[Any], default: Optional[int] = None) -> Optional[int]:
        try:
            row = xp.asarray(self.store.layout.encode(state), dtype=xp.uint64)
        except (AssertionError, TypeError, ValueError, IndexError):
            return default
        if self.lookup is not None:
            found: Optional[int] = int(self.lookup(row.reshape(1, -1))[0])
            found = None if found is not None and found < 0 else found
        else:
            found = self.store.find(row)
        return default if found is None else found

    def __contains__(self, state: object) -> bool:
        return self.get(state) is not None  # type: ignore[arg-type]

    def __getitem__(self, state: Sequence[Any]) -> int:
        found = self.get(state)
        if found is None:
            raise KeyError(state)
        return found


class EdgeLog:
    """The steps of the explored graph as arrays: source and target ids, appended chunk by
    chunk in BFS order (so sources never decrease)."""

    def __init__(self) -> None:
        self.sources: list[Array] = []
        self.targets: list[Array] = []

    def append(self, sources: Array, targets: Array) -> None:
        if sources.shape[0]:
            self.sources.append(sources.astype(xp.int64))
            self.targets.append(targets.astype(xp.int64))

    def lists(self, expanded: int) -> list[list[int]]:
        """The successors of each of the first `expanded` states, as the tuple engine's lists."""
        if not self.sources:
            return [[] for _ in range(expanded)]
        src, dst = xp.concatenate(self.sources), xp.concatenate(self.targets)
        keep = src < expanded
        src, dst = src[keep], dst[keep]
        bounds = xp.searchsorted(src, xp.arange(1, expanded))
        return [part.tolist() for part in xp.split(dst, bounds)]

    @property
    def nbytes(self) -> int:
        return sum(int(a.nbytes) for a in self.sources + self.targets)


class PackedGraph:
    """What `SearchResult.graph` offers, over packed states (and the edges, if recorded)."""

    def __init__(self, store: PackedStore, lookup: Optional[Callable[[Array], Array]] = None,
                 log: Optional[EdgeLog] = None, arrays: Optional[ArraySystem] = None):
        self.store = store
        self.arrays = arrays
        self.states = _States(store)
        self.parent = _Parents(store)
        self.index = _Index(store, lookup)
        self.log = log
        self.expanded = 0
        self._edges: Optional[list[list[int]]] = None

    @property
    def edges(self) -> Optional[list[list[int]]]:
        if self.log is None:
            return None
        if self._edges is None or len(self._edges) != self.expanded:
            self._edges = self.log.lists(self.expanded)
        return self._edges

    def holding(self, expr: ir.Expr, predicate: Callable[[Any], Any]) -> list[bool]:
        """Whether a state predicate holds in each state, evaluated on the packed rows a chunk
        at a time (`predicate`, the tuple engine's, on the rows where it may fail: it raises
        the exact error); unpacked state by state where the predicate has no array form."""
        store = self.store
        try:
            if self.arrays is None:
                raise Unsupported("no array system")
            out: list[bool] = []
            for start in range(0, store.count, store.block):
                batch = Batch(store.layout, store.span(start, min(store.count,
                                                                  start + store.block)))
                holds, suspects = self.arrays.holding(expr, batch)
                for r in xp.nonzero(suspects)[0].tolist():
                    holds[r] = bool(predicate(self.states[start + r]))
                out += holds.tolist()
            return out
        except Unsupported:
            return [bool(predicate(s)) for s in self.states]

    def path_to(self, sid: int) -> list[int]:
        path = []
        while sid >= 0:
            path.append(sid)
            sid = self.store.parent(sid)
        return path[::-1]
