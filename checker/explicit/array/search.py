"""Level-synchronous breadth-first search over packed batches, with the tuple engine's semantics.

Each BFS level is expanded in chunks of parents. A chunk's candidates come out ordered by parent
and then as the tuple engine lists one state's successors, so a stable first-occurrence rule gives
every new state the id and the parent the tuple engine (checker/explore.py) gives it, and every
counterexample is the one it prints. Events inside a chunk (an evaluation error or a deadlock at a
parent, an invariant or transition property violated or the state limit reached at a candidate)
are ordered by position; the search commits the chunk up to the first event that stops it, so the
counts (distinct, generated, depth, states left on the queue) are the tuple engine's too.

An event the kernels only suspect (an operation that may fail, a property that may be false where
its evaluation may fail) is confirmed on the state by the tuple engine, which also gives the exact
error; the tuple engine's initial states and the checks on them are used as they are.
"""

from __future__ import annotations

import time
from enum import Enum, auto
from dataclasses import dataclass, replace
from typing import Any, Optional

import numpy as xp

from checker.ir.kinds import PropertyKind, StopReason
from checker.ir import codegen
from checker.explicit.array.batch import Batch
from checker.explicit.array.graph import EdgeLog, PackedGraph
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.array.hashed import HashedRuns
from checker.explicit.array.parallel import LevelPool, WorkerLost
from checker.explicit.array.store import PackedStore
from checker.explicit.array.visited import DENSE_BITS, DenseVisited, VisitedSet
from checker.explicit.search import (EXPANDING_NOTE, Progress, ProgressCallback, SearchOptions,
                                     SearchResult, Violation, _Search)
from checker.explicit.system import TransitionSystem

Array = Any
CHUNK = 1 << 16  # parents expanded together


class _EventKind(Enum):
    """What ends or interrupts the expansion of a chunk, in the order the tuple engine meets it."""

    ERROR = auto()
    DEADLOCK = auto()
    INVARIANT = auto()
    TRANSITION = auto()
    MAX_STATES = auto()


@dataclass(frozen=True)
class _Event:
    """Something that happens at a position of a chunk: (candidate, order, tie) sorts them."""

    at: tuple[int, int, int]
    kind: _EventKind
    parent: int  # row of the parent in the chunk
    candidate: int = -1
    prop: int = -1


class ArraySearch(_Search):
    """The tuple engine's search (its bookkeeping and result), with the levels done in arrays."""

    def __init__(self, system: TransitionSystem, arrays: ArraySystem, options: SearchOptions,
                 on_progress: Optional[ProgressCallback]):
        super().__init__(system, options, on_progress)
        self.arrays = arrays
        self.store = PackedStore(arrays.layout)
        self.log = EdgeLog() if options.record_graph else None
        self.visited = visited_set(self.store, ids=self.log is not None)
        lookup = self.visited.lookup if self.visited.has_ids else None
        self.packed = PackedGraph(self.store, lookup, self.log, arrays)
        self.graph = self.packed  # type: ignore[assignment]
        self.deadlock = options.check_deadlock
        self.deadline = self.start + options.timeout if options.timeout else None
        self.next_report = self.start + options.progress_interval
        self.constrained = any(p.kind == PropertyKind.CONSTRAINT for p in system.spec.properties)
        # the properties not violated yet (`invariants`/`transitions` stay: they are the checked)
        self.inv_left = self.invariants
        self.trans_left = self.transitions
        self.fault: Optional[codegen.Fault] = None
        self.pool: Optional[LevelPool] = None

    # ------------------------------------------------------------ the search
    def run(self) -> SearchResult:
        try:
            return replace(super().run(), workers=self.options.workers)
        finally:
            if self.pool is not None:
                self.pool.close()

    def _run(self) -> SearchResult:
        try:
            self.pool = LevelPool(self.arrays, self.options.workers)
            return self._levels(self.pool)
        except WorkerLost as lost:
            return replace(self.result(False, StopReason.WORKER_LOST), stop_note=str(lost))

    def _levels(self, pool: LevelPool) -> SearchResult:
        frontier = self._initial()
        if isinstance(frontier, SearchResult):
            return frontier
        while frontier:
            if self.options.max_depth is not None and self.depth >= self.options.max_depth:
                return self.result(False, StopReason.MAX_DEPTH)
            start, stop_at = frontier
            for at in range(start, stop_at, CHUNK):
                following = at + CHUNK  # the next chunk of the level: --workers expand it ahead
                stop = self._chunk(pool, at, self.store.span(at, min(stop_at, following)),
                                   self.store.span(following, min(stop_at, following + CHUNK))
                                   if following < stop_at and pool.workers else None)
                if stop is not None:
                    return stop
                now = time.monotonic()
                if self.deadline is not None and now > self.deadline:
                    return self.result(False, StopReason.TIMEOUT)
                self._progress(now)
            frontier = (stop_at, self.store.count)
            if frontier[1] > frontier[0]:
                self.depth += 1
            else:
                break
        return self.result(True, StopReason.VIOLATION if self.violations else None)

    def result(self, complete: bool, stopped: Optional[StopReason], error: Any = None,
               error_path: tuple[int, ...] = ()) -> SearchResult:
        out = super().result(complete, stopped, error, error_path)
        out.kept_bytes = self.store.nbytes + self.visited.nbytes + (
            self.log.nbytes if self.log is not None else 0)
        return out

    def _progress(self, now: float) -> None:
        if self.on_progress is not None and now >= self.next_report:
            self.next_report = now + self.options.progress_interval
            self.on_progress(Progress(self.generated, self.store.count,
                                      self.store.count - self.packed.expanded, self.depth,
                                      now - self.start))

    def _initial(self) -> Optional[tuple[int, int]] | SearchResult:
        """Initial states as the tuple engine takes them (in Python: they are few); one outside
        the constraints is checked against the invariants, then dropped."""
        system, layout = self.system, self.arrays.layout
        seen: set[tuple[Any, ...]] = set()
        rows: list[list[int]] = []
        for s in system.initial:
            self.generated += 1
            if s in seen:
                continue
            inside = not self.constrained or system.within_constraints(s)
            if inside:
                seen.add(s)
                rows.append(layout.encode(s))
            broken = system.violated_invariants(s, self.inv_left) if self.inv_left else []
            if broken:
                self.inv_left = self.inv_left - set(broken)
                path, beyond = ([len(rows) - 1], None) if inside else ([], s)
                if self._record_violations(PropertyKind.INVARIANT,
                                           [system.invariants[k] for k in broken], path, beyond):
                    self._store_initial(rows)
                    return self.result(False, StopReason.VIOLATION)
            if inside and self.options.max_states is not None and \
                    len(rows) >= self.options.max_states:
                self._store_initial(rows)
                return self.result(False, StopReason.MAX_STATES)
        self._store_initial(rows)  # as TLC, depth 1 also when no initial state is kept
        return (0, len(rows)) if rows else None

    def _store_initial(self, rows: list[list[int]]) -> None:
        """Store the initial states kept (the first BFS level)."""
        words = xp.asarray(rows, dtype=xp.uint64).reshape(len(rows), self.arrays.layout.words)
        self._commit(words, xp.full(len(rows), -1, dtype=xp.int64))
        self.depth = 1

    def _commit(self, words: Array, parents: Array) -> None:
        first_id = self.store.count
        self.store.append(words, parents)
        self.visited.add(words, first_id)

    def _commit_chunk(self, words: Array, parent: Array, base: int, new_at: Array) -> None:
        """Store a chunk's new states: the candidates at `new_at` (their parents: rows of the
        chunk, which starts at id `base`)."""
        self._commit(words[new_at], (parent[new_at] + base).astype(xp.int64))

    # ------------------------------------------------------------ one chunk of a level
    def _chunk(self, pool: LevelPool, base: int, words: Array,
               following: Optional[Array] = None) -> Optional[SearchResult]:
        arrays = self.arrays
        batch = Batch(arrays.layout, words)
        expansion = pool.successors(batch, sorted(self.trans_left), self.constrained, following)
        cand = expansion.cand
        n, m = batch.size, int(cand.parent.shape[0])
        per_parent = xp.bincount(cand.parent, minlength=n)
        starts = xp.concatenate([xp.zeros(1, dtype=xp.int64), xp.cumsum(per_parent)])
        events: list[_Event] = []
        error = self._confirmed_error(batch, cand.suspects)
        if error is not None:
            m_used = int(starts[error.parent])
            events.append(_Event((m_used, 0, error.parent), _EventKind.ERROR, error.parent))
        else:
            m_used = m
        if self.deadlock:
            dead = xp.nonzero(per_parent[:error.parent if error else n] == 0)[0]
            if dead.shape[0]:
                p = int(dead[0])
                events.append(_Event((int(starts[p]), 0, p), _EventKind.DEADLOCK, p))
        succ = Batch(arrays.layout, cand.words[:m_used])
        parent = cand.parent[:m_used]
        keep = self._inside(succ, expansion.within) if self.constrained else xp.ones(
            m_used, dtype=xp.bool_)
        fresh_at = self.visited.fresh(succ.words, keep)  # new states, in id order
        events += self._violations(pool, batch, succ, parent, keep, fresh_at,
                                   cand.steps_failing)
        if self.options.max_states is not None:
            room = self.options.max_states - self.store.count
            j = fresh_at[max(room, 1) - 1] if fresh_at.shape[0] >= max(room, 1) else None
            if j is not None:
                events.append(_Event((int(j), 3, 0), _EventKind.MAX_STATES, int(parent[j]), int(j)))
        events.sort(key=lambda e: e.at)
        return self._apply(base, batch, cand, succ, parent, keep, fresh_at, per_parent, events)

    def _confirmed_error(self, batch: Batch, suspects: Array) -> Optional[_Event]:
        for p in suspects.tolist():
            state = self.arrays.layout.decode([int(w) for w in batch.words[p]])
            try:
                self.system.successors(state)
            except codegen.Fault as fault:
                self.fault = fault
                return _Event((0, 0, p), _EventKind.ERROR, p)
        return None

    def _inside(self, succ: Batch, within: Optional[tuple[Array, Array]]) -> Array:
        """Which candidates satisfy the constraints (`within`: evaluated by the workers, over
        all candidates); where evaluating one may fail, the tuple engine evaluates it (its
        Fault makes the tuple engine check the spec, check.py)."""
        if within is None:
            keep, suspects = self.arrays.within(succ)
        else:
            keep, suspects = within[0][:succ.size].copy(), within[1][:succ.size]
        for j in xp.nonzero(suspects)[0].tolist():
            keep[j] = self.system.within_constraints(self._state(succ, j))
        return keep

    def _violations(self, pool: LevelPool, batch: Batch, succ: Batch, parent: Array,
                    keep: Array, fresh_at: Array,
                    steps_failing: dict[int, Array]) -> list[_Event]:
        """The first confirmed violation of each selected invariant and transition property.
        Invariants are checked on the new states and on every candidate outside the
        constraints, steps on every candidate (as TLC: those outside are checked, not kept)."""
        system = self.system
        events = []
        checked = fresh_at
        if self.inv_left and self.constrained:
            checked = xp.union1d(fresh_at, xp.nonzero(~keep)[0])
        if self.inv_left and checked.shape[0]:
            new = succ.take(checked)
            for k, bad in pool.failing(new, sorted(self.inv_left)).items():
                for r in xp.nonzero(bad)[0].tolist():
                    j = int(checked[r])
                    if system.violates_invariant(self._state(succ, j), k):
                        events.append(_Event((j, 1, k), _EventKind.INVARIANT, int(parent[j]), j, k))
                        break
        for k, bad in steps_failing.items():
            for j in xp.nonzero(bad[:succ.size])[0].tolist():
                s, t = self._state(batch, int(parent[j])), self._state(succ, j)
                if system.violates_transition(s, t, k):
                    events.append(_Event((j, 2, k), _EventKind.TRANSITION, int(parent[j]), j, k))
                    break
        return events

    def _state(self, batch: Batch, row: int) -> tuple[Any, ...]:
        return self.arrays.layout.decode([int(w) for w in batch.words[row]])

    # ------------------------------------------------------------ committing a chunk
    def _apply(self, base: int, batch: Batch, cand: Any, succ: Batch, parent: Array,
               keep: Array, fresh_at: Array, per_parent: Array,
               events: list[_Event]) -> Optional[SearchResult]:
        first_id = self.store.count
        stop: Optional[_Event] = None
        recorded: list[_Event] = []
        for e in events:
            if e.kind in (_EventKind.ERROR, _EventKind.MAX_STATES):
                stop = e
                break
            recorded.append(e)
            if not self.options.keep_going:
                stop = e
                break
        if stop is None:
            limit = succ.size
        else:
            limit = stop.candidate + 1 if stop.candidate >= 0 else int(
                xp.sum(per_parent[:stop.parent]))
        self._commit_chunk(succ.words, parent, base, fresh_at[fresh_at < limit])
        if self.log is not None:
            self._log_steps(base, succ, parent, keep, limit)
        if stop is None:
            self.generated += int(cand.parent.shape[0])
            self.graph.expanded = base + batch.size
        else:
            done = stop.parent if stop.kind == _EventKind.ERROR else stop.parent + 1
            self.generated += int(xp.sum(per_parent[:done]))
            self.graph.expanded = base + stop.parent
        for e in recorded:
            self._record(e, base, first_id, succ, keep, fresh_at)
        if stop is None:
            return None
        if stop.kind == _EventKind.ERROR:
            sid = base + stop.parent
            assert self.fault is not None
            return self.result(False, StopReason.ERROR,
                               self.system.fault_error(self.fault, [EXPANDING_NOTE]),
                               tuple(self.graph.path_to(sid)))
        if stop.kind != _EventKind.DEADLOCK:
            self.depth += 1
        return self.result(False, StopReason.VIOLATION if stop.kind != _EventKind.MAX_STATES
                           else StopReason.MAX_STATES)

    def _log_steps(self, base: int, succ: Batch, parent: Array, keep: Array, limit: int) -> None:
        """Record the steps of the chunk's first `limit` candidates (all stored by now)."""
        assert self.log is not None and not isinstance(self.visited, DenseVisited)  # has ids
        at = xp.nonzero(keep[:limit])[0]
        targets = self.visited.lookup(succ.words[at])
        assert bool(xp.all(targets >= 0)), "a kept candidate is neither new nor stored"
        self.log.append(parent[at] + base, targets)

    def _record(self, e: _Event, base: int, first_id: int, succ: Batch, keep: Array,
                fresh_at: Array) -> None:
        system = self.system
        if e.kind == _EventKind.DEADLOCK:
            self.deadlock = False
            self.violations.append(Violation(PropertyKind.DEADLOCK, None,
                                             tuple(self.graph.path_to(base + e.parent))))
            return
        if not bool(keep[e.candidate]):  # outside the constraints: the trace's last state
            path, beyond = self.graph.path_to(base + e.parent), self._state(succ, e.candidate)
        elif e.kind == _EventKind.INVARIANT:
            path, beyond = self.graph.path_to(
                self._target_id(e.candidate, first_id, succ, fresh_at)), None
        else:
            path, beyond = self.graph.path_to(base + e.parent) + [
                self._target_id(e.candidate, first_id, succ, fresh_at)], None
        if e.kind == _EventKind.INVARIANT:
            self.inv_left = self.inv_left - {e.prop}
            kind, prop = PropertyKind.INVARIANT, system.invariants[e.prop]
        else:
            self.trans_left = self.trans_left - {e.prop}
            kind, prop = PropertyKind.TRANSITION, system.transitions[e.prop]
        self.violations.append(Violation(kind, prop, tuple(path), beyond))

    def _target_id(self, j: int, first_id: int, succ: Batch, fresh_at: Array) -> int:
        """The id of candidate j's state: new in this chunk, or found among the stored ones."""
        at = int(xp.searchsorted(fresh_at, j))
        if at < fresh_at.shape[0] and int(fresh_at[at]) == j:
            return first_id + at
        found = self.packed.index.lookup
        sid = int(found(succ.words[j:j + 1])[0]) if found else self.store.find(succ.words[j])
        assert sid is not None and sid >= 0, "a kept candidate is neither new nor stored"
        return sid


def visited_set(store: PackedStore, ids: bool = False) -> VisitedSet | DenseVisited | HashedRuns:
    """A dense table where the packed state fits in DENSE_BITS bits (unless the ids of stored
    states must be looked up: the graph's edges), sorted runs of words for other one-word
    states, sorted runs of (hash, id) for several words (the rows are compared in the store)."""
    layout = store.layout
    if layout.words > 1:
        return HashedRuns(store)
    if layout.bits <= DENSE_BITS and not ids:
        return DenseVisited(layout.bits)
    return VisitedSet(ids)


def array_explore(system: TransitionSystem, arrays: ArraySystem,
                  options: SearchOptions = SearchOptions(),
                  on_progress: Optional[ProgressCallback] = None) -> SearchResult:
    """Breadth-first search with the array kernels; the same result as `explore.explore`."""
    return ArraySearch(system, arrays, options, on_progress).run()
