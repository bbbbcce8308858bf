"""What an array kernel reads (`Env`: a batch of states, the assignments so far, bound names,
the next state of a step) and the kernel type itself; `batch.Env` is the implementation."""

from __future__ import annotations

from typing import Callable, Protocol

from checker.explicit.array import values as V


class Env(Protocol):
    def var(self, slot: int) -> V.Val: ...
    def next_var(self, slot: int) -> V.Val: ...
    def local(self, name: str) -> V.Val: ...
    def bind(self, name: str, value: V.Val) -> Env: ...
    def under(self, cond: V.Leaf) -> Env: ...
    def fault(self, leaf: V.Leaf) -> None: ...


Kernel = Callable[[Env], V.Val]
