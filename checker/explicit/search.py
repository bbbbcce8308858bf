"""Exhaustive breadth-first exploration with parent links (so counterexamples are shortest).
Its options and results (`SearchOptions`, `SearchResult`, ...) are in `results.py`, re-exported.

Counting follows TLC: distinct states include the initial ones; depth is the number of BFS levels
(initial states are level 1); generated counts initial states plus every successor produced.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import AbstractSet, Callable, Optional

from checker.ir.kinds import PropertyKind, StopReason
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.errors import EvaluationError, Note
from checker.explicit.results import (Progress as Progress, ProgressCallback as ProgressCallback,
                                      SearchOptions as SearchOptions,
                                      SearchResult as SearchResult, StateGraph as StateGraph,
                                      Violation as Violation)
from checker.explicit.system import State, TransitionSystem


def explore(system: TransitionSystem, options: SearchOptions = SearchOptions(),
            on_progress: Optional[ProgressCallback] = None) -> SearchResult:
    """Breadth-first search of the reachable states, checking the selected properties.

    As in TLC, a state outside the spec's constraints is generated and checked (invariants on
    it, transition properties on the step to it) but neither kept, counted as distinct nor
    expanded.
    """
    return _Search(system, options, on_progress).run()


class Deadline(Exception):
    """Raised by a timer when `--timeout` has passed in code that does not look at the clock
    (see `checker.commands.limits`)."""


@dataclass(frozen=True)
class _Where:
    """A counterexample's states: ids in the graph, then the last one if it lies outside."""

    path: list[int]
    beyond: Optional[State] = None

    @property
    def length(self) -> int:
        return len(self.path) + (self.beyond is not None)


class _Stop(Exception):
    """Ends the search early: why, and the evaluation error that ended it, if any."""

    def __init__(self, reason: StopReason, error: Optional[EvaluationError] = None,
                 error_path: tuple[int, ...] = (), beyond: Optional[State] = None,
                 deeper: bool = False):
        super().__init__(reason)
        self.reason, self.error, self.error_path = reason, error, error_path
        self.beyond = beyond
        self.deeper = deeper  # it arose at a state of the next level


EXPANDING_NOTE = Note("the trace to the state being expanded is printed with the results")
CHECKING_NOTE = Note("the trace to the state (or step) being checked is printed with the results")


class _Search:
    """Level-by-level search. Each new state is checked against the invariants still
    unviolated, each step against the transition properties, each state without successors
    for deadlock; `_record_violations` is the one place a violation is recorded."""

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
        self.inv_left, self.trans_left = self.invariants, self.transitions  # not yet violated
        self.deadlock = options.check_deadlock  # deadlock not yet found
        self.constrained = any(p.kind == PropertyKind.CONSTRAINT for p in system.spec.properties)
        self.graph = StateGraph(edges=[] if options.record_graph else None)
        self.violations: list[Violation] = []
        self.generated = 0
        self.depth = 0
        self.start = time.monotonic()
        self.deadline = self.start + options.timeout if options.timeout else None
        self.next_report = self.start + options.progress_interval
        self.counter = 0

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

    def run(self) -> SearchResult:
        try:
            return self._run()
        except KeyboardInterrupt:
            return self.result(False, StopReason.INTERRUPTED)
        except Deadline:
            return self.result(False, StopReason.TIMEOUT)
        except MemoryError:
            return self.result(False, StopReason.MEMORY)

    def _run(self) -> SearchResult:
        try:
            frontier = self._initial_level()
            while frontier:
                if self.options.max_depth is not None and self.depth >= self.options.max_depth:
                    raise _Stop(StopReason.MAX_DEPTH)
                frontier = self._next_level(frontier)
        except _Stop as stop:
            return replace(self.result(False, stop.reason, stop.error, stop.error_path),
                           error_beyond=stop.beyond)
        return self.result(True, StopReason.VIOLATION if self.violations else None)

    # ------------------------------------------------------------ the levels
    def _initial_level(self) -> list[int]:
        try:
            return self._initial_states()
        except _Stop:
            self.depth = 1
            raise

    def _initial_states(self) -> list[int]:
        frontier: list[int] = []
        for s in self.system.initial:
            self.generated += 1
            if s in self.graph.index:
                continue
            if self.constrained and not self._within(-1, s):
                if self.inv_left and self._check_state(-1, s):
                    raise _Stop(StopReason.VIOLATION)
                continue
            sid = self._add(s, -1)
            frontier.append(sid)
            if self.inv_left and self._check_state(sid):
                raise _Stop(StopReason.VIOLATION)
            if self.options.max_states is not None and len(frontier) >= self.options.max_states:
                raise _Stop(StopReason.MAX_STATES)
        self.depth = 1  # as TLC, also when no initial state is kept (all outside a constraint)
        return frontier

    def _next_level(self, frontier: list[int]) -> list[int]:
        """Expand every state of one level; the new states found form the next level."""
        following: list[int] = []
        for sid in frontier:
            self._tick(len(frontier) + len(following))
            try:
                stop = self._expand(sid, following)
            except _Stop as error:
                if error.deeper:
                    self.depth += 1
                raise
            if stop is not None:
                self.depth += 1  # the step that stopped the search reaches the next level
                raise _Stop(stop)
        if following:
            self.depth += 1
        return following

    def _expand(self, sid: int, following: list[int]) -> Optional[StopReason]:
        """Add the successors of one state; why the search stops at one of them, if it does."""
        graph, system = self.graph, self.system
        s = graph.states[sid]
        try:
            succ = system.successors(s)
        except codegen.Fault as fault:
            raise _Stop(StopReason.ERROR, system.fault_error(fault, [EXPANDING_NOTE]),
                        tuple(graph.path_to(sid))) from None
        self.generated += len(succ)
        if not succ and self.deadlock:
            self.deadlock = False
            if self._record_violations(PropertyKind.DEADLOCK, [None], graph.path_to(sid)):
                raise _Stop(StopReason.VIOLATION)
        index, within = graph.index, self._within
        max_states = self.options.max_states
        out: Optional[list[int]] = [] if graph.edges is not None else None
        for t in succ:
            tid = index.get(t)
            fresh = tid is None
            if tid is None:
                if self.constrained and not within(sid, t):
                    # as TLC: outside the CONSTRAINT, checked but neither kept nor expanded
                    if self.inv_left and self._check_state(sid, t):
                        return StopReason.VIOLATION
                    if self.trans_left and self._check_step(sid, t):
                        return StopReason.VIOLATION
                    continue
                tid = self._add(t, sid)
                following.append(tid)
                if self.inv_left and self._check_state(tid):
                    return StopReason.VIOLATION
            if self.trans_left and self._check_step(sid, graph.states[tid], tid):
                return StopReason.VIOLATION
            if out is not None:
                out.append(tid)
            if fresh and max_states is not None and len(graph.states) >= max_states:
                return StopReason.MAX_STATES
        if graph.edges is not None:
            graph.edges.append(out)  # type: ignore[arg-type]
        graph.expanded = sid + 1
        return None

    def _add(self, state: State, parent: int) -> int:
        graph = self.graph
        sid = len(graph.states)
        graph.index[state] = sid
        graph.states.append(state)
        graph.parent.append(parent)
        return sid

    def _tick(self, queue: int) -> None:
        """Every 1024 expansions: stop at the deadline, report progress when it is due."""
        self.counter += 1
        if self.counter & 1023:
            return
        now = time.monotonic()
        if self.deadline is not None and now > self.deadline:
            raise _Stop(StopReason.TIMEOUT)
        if now >= self.next_report and self.on_progress is not None:
            self.next_report = now + self.options.progress_interval
            self.on_progress(Progress(self.generated, len(self.graph.states), queue, self.depth,
                                      now - self.start))

    # ------------------------------------------------------------ properties
    def _within(self, parent: int, state: State) -> bool:
        """Whether a new state (a successor of `parent`, -1 for an initial state) satisfies
        the constraints; an evaluation error there stops the search."""
        try:
            return self.system.within_constraints(state)
        except codegen.Fault as fault:
            raise self._error(fault, _Where(self.graph.path_to(parent), state)) from None

    def _error(self, fault: codegen.Fault, where: _Where) -> _Stop:
        """Stop at an evaluation error while checking the last state (or step) of `where`."""
        return _Stop(StopReason.ERROR, self.system.fault_error(fault, [CHECKING_NOTE]),
                     tuple(where.path), where.beyond, deeper=where.length > 1)

    def _check_state(self, sid: int, outside: Optional[State] = None) -> bool:
        """Check a new state against the invariants not yet violated; True to stop. The state
        is `sid`, or `outside` the constraints (then `sid` is its parent, -1 for none)."""
        state = self.graph.states[sid] if outside is None else outside

        def where() -> _Where:
            return _Where(self.graph.path_to(sid), outside)
        broken = self._in_order(lambda k: self.system.violated_invariants(state, k),
                                self.inv_left, where, PropertyKind.INVARIANT)
        return bool(broken) and self._found(PropertyKind.INVARIANT, broken, where())

    def _check_step(self, sid: int, target: State, tid: Optional[int] = None) -> bool:
        """Check the step from state `sid` to `target` (state `tid`, or outside the constraints
        if None) against the transition properties not yet violated; True to stop."""
        source = self.graph.states[sid]

        def where() -> _Where:
            path = self.graph.path_to(sid) + ([tid] if tid is not None else [])
            return _Where(path, target if tid is None else None)
        broken = self._in_order(lambda k: self.system.violated_transitions(source, target, k),
                                self.trans_left, where, PropertyKind.TRANSITION)
        return bool(broken) and self._found(PropertyKind.TRANSITION, broken, where())

    def _in_order(self, violated: Callable[[AbstractSet[int]], list[int]],
                  selected: frozenset[int], where: Callable[[], _Where],
                  kind: PropertyKind) -> list[int]:
        """The selected properties violated, all at once; when evaluating one fails, those
        before it (in declaration order) are recorded and the search stops at the error."""
        try:
            return violated(selected)
        except codegen.Fault:
            pass
        broken: list[int] = []
        for k in sorted(selected):
            try:
                if violated(frozenset((k,))):
                    broken.append(k)
            except codegen.Fault as fault:
                at = where()
                if self._found(kind, broken, at):
                    raise _Stop(StopReason.VIOLATION, deeper=at.length > 1) from None
                raise self._error(fault, at) from None
        return broken  # pragma: no cover - the whole set failed, so one of them fails

    def _found(self, kind: PropertyKind, broken: list[int], where: _Where) -> bool:
        """Record the invariants (transition properties) `broken` at `where`; True to stop."""
        if not broken:
            return False
        if kind == PropertyKind.INVARIANT:
            self.inv_left = self.inv_left - set(broken)
            props: list[Optional[ir.Property]] = [self.system.invariants[k] for k in broken]
        else:
            self.trans_left = self.trans_left - set(broken)
            props = [self.system.transitions[k] for k in broken]
        return self._record_violations(kind, props, where.path, where.beyond)

    def _record_violations(self, kind: PropertyKind, props: list[Optional[ir.Property]],
                           path: list[int], beyond: Optional[State] = None) -> bool:
        """Record the violations found at one state or step; True when the search stops.

        Without `--continue` the search stops at the first, so only the first is recorded.
        """
        keep_going = self.options.keep_going
        for prop in props if keep_going else props[:1]:
            self.violations.append(Violation(kind, prop, tuple(path), beyond))
        return not keep_going
