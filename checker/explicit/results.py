"""What a search is asked (`SearchOptions`) and what it gives back: the explored `StateGraph`,
the `Violation`s with their shortest paths, and the `SearchResult` both engines return (so
every view and verdict works with either)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Callable, Optional

from checker.errors import EvaluationError
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind, Status, StopReason
from checker.trace.trace import Trace
from checker.explicit.system import State


@dataclass(frozen=True)
class SearchOptions:
    max_states: Optional[int] = None
    max_depth: Optional[int] = None
    timeout: Optional[float] = None  # seconds
    # `--continue`: look for a counterexample to every property. None: as the spec says
    # (`continue on;`), which `check.check_spec` resolves; a search given None stops at the first.
    keep_going: Optional[bool] = None
    check_deadlock: bool = True
    properties: Optional[frozenset[str]] = None  # None: all invariants and transition properties
    record_graph: bool = False  # keep every edge (for liveness and graph export)
    progress_interval: float = 3.0
    engine: str = "auto"  # "auto", "array" or "tuple" (see checker/explicit/array/engine.py)
    # `--fingerprints`: the array engine keeps a 64-bit fingerprint of each state in its visited
    # set, and rows of two levels only (docs/engines.md); exact up to fingerprint collisions
    fingerprints: bool = False
    workers: int = 1  # processes expanding each BFS level (array engine; array/parallel.py)


@dataclass(frozen=True)
class Progress:
    generated: int
    distinct: int
    queue: int
    depth: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.distinct / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class Violation:
    """A property that fails, and the ids of the states of its shortest counterexample."""

    kind: PropertyKind  # invariant, transition or deadlock
    property: Optional[ir.Property]
    path: tuple[int, ...]  # state ids, initial state first
    # the last state when it lies outside the constraints (so it is not in the graph)
    beyond: Optional[State] = None

    @builtins.property
    def name(self) -> str:
        return self.property.name if self.property else "Deadlock"

    @builtins.property
    def length(self) -> int:
        """States in the counterexample."""
        return len(self.path) + (self.beyond is not None)

    def states(self, graph: StateGraph) -> list[State]:
        return [graph.states[i] for i in self.path] + (
            [self.beyond] if self.beyond is not None else [])


@dataclass
class StateGraph:
    """The explored states; `parent[i]` is the BFS parent of state i (-1 for initial states)."""

    states: list[State] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    index: dict[State, int] = field(default_factory=dict)
    edges: Optional[list[list[int]]] = None  # successors of each expanded state, if recorded
    expanded: int = 0  # states[:expanded] have had their successors computed

    def path_to(self, sid: int) -> list[int]:
        path = []
        while sid >= 0:
            path.append(sid)
            sid = self.parent[sid]
        return path[::-1]


@dataclass(frozen=True)
class Fingerprints:
    """How a fingerprint search kept its visited set."""

    hashed: bool  # a 64-bit hash of each state; False: each state fits a word, its own key

    @staticmethod
    def collision(distinct: int, generated: int) -> float:
        """TLC's \"calculated (optimistic)\" estimate of the probability that two distinct
        states had the same fingerprint: n (m - n) / 2^64 for n distinct states of m
        generated."""
        return distinct * max(0, generated - distinct) / 2.0 ** 64


@dataclass
class SearchResult:
    graph: StateGraph
    violations: list[Violation]
    generated: int
    depth: int
    elapsed: float
    complete: bool  # the whole reachable state space (within constraints) was explored
    stopped: Optional[StopReason]  # why the search stopped early: a violation or a limit
    checked: list[str]  # names of the properties that were checked
    error: Optional[EvaluationError] = None
    error_path: tuple[int, ...] = ()
    # the state the error arose in, when it lies outside the constraints (not in the graph)
    error_beyond: Optional[State] = None
    engine: str = "tuple"  # which engine ran: "tuple" or "array"
    engine_note: Optional[str] = None  # why the tuple engine ran when `auto` chose it
    kept_bytes: Optional[int] = None  # array engine: bytes of packed states, parents, visited set
    fingerprints: Optional[Fingerprints] = None  # set when the search ran with --fingerprints
    workers: int = 1  # processes that expanded the levels
    stop_note: Optional[str] = None  # what cut the search short, where the reason needs detail

    @property
    def distinct(self) -> int:
        return len(self.graph.states)

    def error_states(self) -> list[State]:
        """The trace to the state whose expansion or check raised the evaluation error."""
        return [self.graph.states[i] for i in self.error_path] + (
            [self.error_beyond] if self.error_beyond is not None else [])


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class GraphVerdict:
    """The verdict of a property decided on the explored state graph after the search (a
    temporal property, a `reachable` one): its status, the trace that shows it, or why it is
    unknown."""

    prop: ir.Property
    status: Status
    trace: Optional[Trace] = None
    reason: Optional[str] = None  # why the verdict is unknown

    @property
    def name(self) -> str:
        return self.prop.name

    @property
    def length(self) -> Optional[int]:
        return len(self.trace) if self.trace is not None else None


def properties_of_kind(spec: ir.Spec, kind: PropertyKind,
                       wanted: Optional[frozenset[str]]) -> list[ir.Property]:
    """The properties of `kind` selected by `--property` (all of them when nothing is selected)."""
    return [p for p in spec.properties if p.kind == kind and (wanted is None or p.name in wanted)]
