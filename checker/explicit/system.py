"""The compiled transition system: what the explorers, trace tools and liveness checker use.

States are flat tuples (one entry per state variable, in declaration order). Successors come in a
deterministic order, so a search and its traces are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Any, Callable, Sequence

from checker.ir import nodes as ir
from checker.ir.faults import Fault, FaultSite
from checker.ir import types as T

from checker.errors import EvaluationError, Note
from checker.trace.semantics import Label as Label, State as State  # the engines speak of these


@dataclass(frozen=True)
class TransitionSystem:
    spec: ir.Spec
    initial: list[State]
    successors: Callable[[State], list[State]]
    labeled_successors: Callable[[State], list[tuple[Label, State]]]
    # the indexes into `invariants` (`transitions`) of every selected one the state (step)
    # violates, in declaration order
    violated_invariants: Callable[[State, AbstractSet[int]], list[int]]
    violated_transitions: Callable[[State, State, AbstractSet[int]], list[int]]
    within_constraints: Callable[[State], bool]
    invariants: tuple[ir.Property, ...]
    transitions: tuple[ir.Property, ...]
    sites: tuple[FaultSite, ...]  # where each run-time fault of the generated code arises
    source: str  # the generated Python, for `--dump-python`
    predicate: Callable[[ir.Expr], Callable[[State], Any]]

    def violates_invariant(self, state: State, index: int) -> bool:
        return index in self.violated_invariants(state, frozenset((index,)))

    def violates_transition(self, state: State, next_state: State, index: int) -> bool:
        return index in self.violated_transitions(state, next_state, frozenset((index,)))

    def fault_error(self, fault: Fault, notes: Sequence[Note] = ()) -> EvaluationError:
        """The located error a run-time fault of the generated code stands for."""
        return self.sites[fault.site].error(fault.detail, notes)

    def label_text(self, label: Label) -> str:
        """`worker.claim(r1)` for a label."""
        action = self.spec.actions[label[0]]
        if not action.params:
            return action.name
        args = ", ".join(T.format_value(p.type, v) for p, v in zip(action.params, label[1]))
        return f"{action.name}({args})"

    def format_state(self, state: State) -> list[tuple[str, str]]:
        return [(v.name, T.format_value(v.type, x)) for v, x in zip(self.spec.vars, state)]

    def label_between(self, source: State, target: State) -> Label:
        """The first action (in successor order) that leads from `source` to `target`."""
        for label, state in self.labeled_successors(source):
            if state == target:
                return label
        raise ValueError("no action leads between these states")

    def var_names(self) -> Sequence[str]:
        return [v.name for v in self.spec.vars]
