"""The compiled transition system: what the explorers, trace tools and liveness checker use.

States are flat tuples (one entry per state variable, in declaration order). Successors come in a
deterministic order, so a search and its traces are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from checker.ir import nodes as ir
from checker.ir import types as T

from checker.trace.semantics import Label as Label, State as State  # the engines speak of these


@dataclass(frozen=True)
class TransitionSystem:
    spec: ir.Spec
    initial: list[State]
    successors: Callable[[State], list[State]]
    labeled_successors: Callable[[State], list[tuple[Label, State]]]
    # index into `invariants` of the first selected one that fails, or -1
    first_violated_invariant: Callable[[State, frozenset[int]], int]
    first_violated_transition: Callable[[State, State, frozenset[int]], int]
    within_constraints: Callable[[State], bool]
    invariants: tuple[ir.Property, ...]
    transitions: tuple[ir.Property, ...]
    sites: tuple[Any, ...]  # what each run-time fault site in the generated code stands for
    source: str  # the generated Python, for `--dump-python`
    predicate: Callable[[ir.Expr], Callable[[State], Any]]

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
