"""A naive breadth-first explorer: the reference the Z3 encoding and `checker.explore` answer to.

It uses only the compiled successor function and property predicates, level by level, with none
of the explorer's bookkeeping (parent links, limits, progress, early stops). A state outside the
constraints is checked but neither kept nor expanded (TLC's CONSTRAINT). Lengths count states,
as traces do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.ir import codegen
from checker.explicit.system import State, TransitionSystem


@dataclass
class Reference:
    states: set[State] = field(default_factory=set)  # reachable within the step bound
    shortest: dict[str, int] = field(default_factory=dict)  # property -> shortest trace length
    error_at: int | None = None  # length of the shortest trace to a state whose expansion fails


def explore(system: TransitionSystem, steps: int, deadlock: bool) -> Reference:
    """Every state reachable in at most `steps` steps, and the shortest violation of each
    invariant, transition property and (if `deadlock`) deadlock among those behaviours."""
    ref = Reference()
    for s in system.initial:
        _check_state(system, ref, s, 1)
    frontier = [s for s in system.initial if system.within_constraints(s)]
    ref.states.update(frontier)
    for length in range(1, steps + 2):  # expand the states of traces of `length` states
        following = []
        for s in frontier:
            try:
                successors = system.successors(s)
            except codegen.Fault:
                ref.error_at = length
                return ref
            if deadlock and not successors:
                ref.shortest.setdefault("Deadlock", length)
            if length > steps:
                continue  # only deadlocks and errors are looked for in the last level
            for t in successors:
                for i, p in enumerate(system.transitions):
                    if system.violates_transition(s, t, i):
                        ref.shortest.setdefault(p.name, length + 1)
                if not system.within_constraints(t):
                    _check_state(system, ref, t, length + 1)
                    continue
                if t not in ref.states:
                    ref.states.add(t)
                    following.append(t)
                    _check_state(system, ref, t, length + 1)
        frontier = following
    return ref


def _check_state(system: TransitionSystem, ref: Reference, s: State, length: int) -> None:
    for i, p in enumerate(system.invariants):
        if system.violates_invariant(s, i):
            ref.shortest.setdefault(p.name, length)
