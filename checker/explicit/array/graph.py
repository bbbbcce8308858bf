"""The states an array search explored, kept packed, with the interface of `StateGraph`.

States are stored as the packed rows of each chunk of a BFS level, in id order; `states[i]` unpacks
one (to the tuple engine's stored form), `index` finds a state's id, `path_to` follows parents.
The edges are not kept (the array engine does not record the graph).
"""

from __future__ import annotations

from typing import Any, Iterator, Optional, Sequence, overload

import numpy as xp

from checker.explicit.array.packing import StateLayout
from checker.explicit.array.visited import keys_of

Array = Any


class PackedStore:
    """Rows and parents, appended chunk by chunk; ids are positions in append order."""

    def __init__(self, layout: StateLayout):
        self.layout = layout
        self.words: list[Array] = []
        self.parents: list[Array] = []
        self.starts: list[int] = []
        self.count = 0

    def append(self, words: Array, parents: Array) -> None:
        if words.shape[0] == 0:
            return
        self.starts.append(self.count)
        self.words.append(words)
        self.parents.append(parents)
        self.count += int(words.shape[0])

    def _locate(self, sid: int) -> tuple[int, int]:
        if not 0 <= sid < self.count:
            raise IndexError(sid)
        chunk = int(xp.searchsorted(xp.asarray(self.starts), sid, side="right")) - 1
        return chunk, sid - self.starts[chunk]

    def row(self, sid: int) -> Array:
        chunk, at = self._locate(sid)
        return self.words[chunk][at]

    def parent(self, sid: int) -> int:
        chunk, at = self._locate(sid)
        return int(self.parents[chunk][at])

    def find(self, row: Array) -> Optional[int]:
        """The id of a packed row (a linear scan: used for rare look-ups)."""
        key = keys_of(xp.asarray(row, dtype=xp.uint64).reshape(1, -1))[0]
        for start, words in zip(self.starts, self.words):
            hits = xp.nonzero(keys_of(words) == key)[0]
            if hits.shape[0]:
                return start + int(hits[0])
        return None

    @property
    def nbytes(self) -> int:
        return sum(int(w.nbytes) for w in self.words) + sum(int(p.nbytes) for p in self.parents)


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
        decode = self.store.layout.decode
        for words in self.store.words:
            for row in words.tolist():
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

    def __init__(self, store: PackedStore):
        self.store = store

    def get(self, state: Sequence[Any], default: Optional[int] = None) -> Optional[int]:
        try:
            row = self.store.layout.encode(state)
        except (AssertionError, TypeError, ValueError, IndexError):
            return default
        found = self.store.find(xp.asarray(row, dtype=xp.uint64))
        return default if found is None else found

    def __contains__(self, state: object) -> bool:
        return self.get(state) is not None  # type: ignore[arg-type]

    def __getitem__(self, state: Sequence[Any]) -> int:
        found = self.get(state)
        if found is None:
            raise KeyError(state)
        return found


class PackedGraph:
    """What `SearchResult.graph` offers, over packed states."""

    def __init__(self, store: PackedStore):
        self.store = store
        self.states = _States(store)
        self.parent = _Parents(store)
        self.index = _Index(store)
        self.edges: Optional[list[list[int]]] = None
        self.expanded = 0

    def path_to(self, sid: int) -> list[int]:
        path = []
        while sid >= 0:
            path.append(sid)
            sid = self.store.parent(sid)
        return path[::-1]
