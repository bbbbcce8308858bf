"""Exhaustive breadth-first exploration with parent links (so counterexamples are shortest).

Counting follows TLC: distinct states include the initial ones; depth is the number of BFS levels
(initial states are level 1); generated counts initial states plus every successor produced.
"""

from __future__ import annotations

import builtins
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from checker.ir.kinds import PropertyKind, StopReason
from checker import errors
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.errors import EvaluationError, Note
from checker.explicit.system import State, TransitionSystem


@dataclass(frozen=True)
class SearchOptions:
    max_states: Optional[int] = None
    max_depth: Optional[int] = None
    timeout: Optional[float] = None  # seconds
    keep_going: bool = False  # `--continue`: look for a counterexample to every property
    check_deadlock: bool = True
    properties: Optional[frozenset[str]] = None  # None: all invariants and transition properties
    record_graph: bool = False  # keep every edge (for liveness and graph export)
    progress_interval: float = 3.0
    engine: str = "auto"  # "auto", "array" or "tuple" (see checker/explicit/array/engine.py)


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

    @builtins.property
    def name(self) -> str:
        return self.property.name if self.property else "Deadlock"


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
    engine: str = "tuple"  # which engine ran: "tuple" or "array"
    engine_note: Optional[str] = None  # why the tuple engine ran when `auto` chose it
    kept_bytes: Optional[int] = None  # array engine: bytes of packed states, parents, visited set

    @property
    def distinct(self) -> int:
        return len(self.graph.states)


ProgressCallback = Callable[[Progress], None]


def explore(system: TransitionSystem, options: SearchOptions = SearchOptions(),
            on_progress: Optional[ProgressCallback] = None) -> SearchResult:
    """Breadth-first search of the reachable states, checking the selected properties.

    As in TLC, a state outside the spec's constraints is generated but neither kept, counted
    as distinct, checked nor expanded.
    """
    return _Search(system, options, on_progress).run()


class _Search:
    def __init__(self, system: TransitionSystem, options: SearchOptions,
                 on_progress: Optional[ProgressCallback]):
        self.system = system
        self.options = options
        self.on_progress = on_progress
        wanted = options.properties
        self.invariants = frozenset(i for i, p in enumerate(system.invariants)
                                    if wanted is None or p.name in wanted)
        self.transitions = frozenset(i for i, p in enumerate(system.transitions)
                                     if wanted is None or p.name in wanted)
        self.graph = StateGraph(edges=[] if options.record_graph else None)
        self.violations: list[Violation] = []
        self.generated = 0
        self.depth = 0
        self.start = time.monotonic()

    def checked(self) -> list[str]:
        names = [self.system.invariants[i].name for i in sorted(self.invariants)]
        names += [self.system.transitions[i].name for i in sorted(self.transitions)]
        if self.options.check_deadlock:
            names.append("Deadlock")
        return names

    def result(self, complete: bool, stopped: Optional[StopReason],
               error: Optional[EvaluationError] = None, error_path: tuple[int, ...] = ()
               ) -> SearchResult:
        return SearchResult(self.graph, self.violations, self.generated, self.depth,
                            time.monotonic() - self.start, complete, stopped, self.checked(),
                            error, error_path)

    def violate(self, kind: PropertyKind, prop: Optional[ir.Property], path: list[int]) -> bool:
        """Record a violation; True when the search should stop."""
        self.violations.append(Violation(kind, prop, tuple(path)))
        return not self.options.keep_going

    def run(self) -> SearchResult:
        checked = self.checked()
        try:
            return self._run()
        except KeyboardInterrupt:
            return self.result(False, StopReason.INTERRUPTED)
        finally:
            del checked

    def _run(self) -> SearchResult:
        system, opts, graph = self.system, self.options, self.graph
        states, parent, index = graph.states, graph.parent, graph.index
        edges = graph.edges
        successors = system.successors
        first_inv = system.first_violated_invariant
        first_trans = system.first_violated_transition
        within = system.within_constraints
        inv_sel, trans_sel = self.invariants, self.transitions
        deadlock = opts.check_deadlock
        max_states = opts.max_states
        deadline = self.start + opts.timeout if opts.timeout else None
        next_report = self.start + opts.progress_interval

        frontier: list[int] = []
        constrained = any(p.kind == PropertyKind.CONSTRAINT for p in system.spec.properties)
        for s in system.initial:
            self.generated += 1
            if s in index or (constrained and not within(s)):
                continue
            sid = len(states)
            index[s] = sid
            states.append(s)
            parent.append(-1)
            frontier.append(sid)
            k = first_inv(s, inv_sel) if inv_sel else -1
            while k >= 0:  # with --continue, the same state may violate several invariants
                inv_sel = inv_sel - {k}
                if self.violate(PropertyKind.INVARIANT, system.invariants[k], [sid]):
                    self.depth = 1
                    return self.result(False, StopReason.VIOLATION)
                k = first_inv(s, inv_sel) if inv_sel else -1
        self.depth = 1 if frontier else 0
        counter = 0
        while frontier:
            if opts.max_depth is not None and self.depth >= opts.max_depth:
                return self.result(False, StopReason.MAX_DEPTH)
            next_frontier: list[int] = []
            for sid in frontier:
                s = states[sid]
                counter += 1
                if counter & 1023 == 0:
                    now = time.monotonic()
                    if deadline is not None and now > deadline:
                        return self.result(False, StopReason.TIMEOUT)
                    if now >= next_report and self.on_progress is not None:
                        next_report = now + opts.progress_interval
                        self.on_progress(Progress(self.generated, len(states),
                                                  len(frontier) + len(next_frontier),
                                                  self.depth, now - self.start))
                try:
                    succ = successors(s)
                except codegen.Fault as fault:
                    return self.result(False, StopReason.ERROR, self._fault(fault, sid),
                                       tuple(graph.path_to(sid)))
                self.generated += len(succ)
                if not succ and deadlock:
                    deadlock = False
                    if self.violate(PropertyKind.DEADLOCK, None, graph.path_to(sid)):
                        return self.result(False, StopReason.VIOLATION)
                out: Optional[list[int]] = [] if edges is not None else None
                for t in succ:
                    known = index.get(t)
                    fresh = known is None
                    if fresh and constrained and not within(t):
                        continue  # as TLC: outside the CONSTRAINT, neither kept nor checked
                    if known is not None:
                        tid = known
                    else:
                        tid = len(states)
                        index[t] = tid
                        states.append(t)
                        parent.append(sid)
                        next_frontier.append(tid)
                        k = first_inv(t, inv_sel) if inv_sel else -1
                        while k >= 0:
                            inv_sel = inv_sel - {k}
                            if self.violate(PropertyKind.INVARIANT, system.invariants[k],
                                            graph.path_to(tid)):
                                self.depth += 1
                                return self.result(False, StopReason.VIOLATION)
                            k = first_inv(t, inv_sel) if inv_sel else -1
                    k = first_trans(s, t, trans_sel) if trans_sel else -1
                    while k >= 0:  # one step may violate several transition properties
                        trans_sel = trans_sel - {k}
                        if self.violate(PropertyKind.TRANSITION, system.transitions[k],
                                        graph.path_to(sid) + [tid]):
                            self.depth += 1
                            return self.result(False, StopReason.VIOLATION)
                        k = first_trans(s, t, trans_sel) if trans_sel else -1
                    if out is not None:
                        out.append(tid)
                    if fresh and max_states is not None and len(states) >= max_states:
                        self.depth += 1
                        return self.result(False, StopReason.MAX_STATES)
                if edges is not None:
                    edges.append(out)  # type: ignore[arg-type]
                graph.expanded = sid + 1
            frontier = next_frontier
            if frontier:
                self.depth += 1
        stopped = StopReason.VIOLATION if self.violations else None
        return self.result(True, stopped)

    def _fault(self, fault: codegen.Fault, sid: int) -> EvaluationError:
        site = self.system.sites[fault.site]
        if isinstance(site, tuple) and site and site[0] == "domain":
            _, span, t = site
            return EvaluationError(errors.DOMAIN,
                                   f"value {fault.detail} is outside the domain {t}", span,
                                   [Note("the trace to the state being expanded is printed with the results")])
        span = getattr(site, "span", None)
        return EvaluationError(errors.EVALUATION, fault.detail, span,
                               [Note("the trace to the state being expanded is printed with the results")])
