"""What the trace tools need of a compiled spec: initial states, successors and action labels.

`checker.explicit.system.TransitionSystem` satisfies this protocol; declaring it here keeps traces
below the engines that produce them (see ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from checker.ir import nodes as ir

State = tuple[Any, ...]  # one value per state variable, in declaration order
Label = tuple[int, tuple[Any, ...]]  # (action index, parameter values)


class Semantics(Protocol):
    @property
    def spec(self) -> ir.Spec: ...

    @property
    def initial(self) -> list[State]: ...

    @property
    def successors(self) -> Callable[[State], list[State]]: ...

    @property
    def labeled_successors(self) -> Callable[[State], list[tuple[Label, State]]]: ...

    def label_text(self, label: Label) -> str: ...

    def label_between(self, source: State, target: State) -> Label: ...
