"""Strongly connected components of a finite graph (nodes are ints), with a deadline.

The SCC part of the liveness search (`lasso.py`): Tarjan's algorithm, iterative, on the subgraph
of the nodes a predicate admits, and the components of an induced subgraph.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable, Optional, Sequence


class OutOfTime(Exception):
    """The deadline passed before the search finished."""


class Clock:
    """Counts work and raises OutOfTime once past the deadline (checked every 4,096 ticks)."""

    def __init__(self, deadline: Optional[float]):
        self.deadline = deadline
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.deadline is not None and self.count & 4095 == 0 \
                and time.monotonic() > self.deadline:
            raise OutOfTime()


def tarjan(succ: Sequence[Sequence[int]], member: Callable[[int], bool],
           clock: Optional[Clock]) -> list[list[int]]:
    """Tarjan's algorithm (iterative) on the subgraph of nodes 0..len(succ)-1 that are `member`."""
    size = len(succ)
    index = [-1] * size
    low = [0] * size
    on_stack = bytearray(size)
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(size):
        if index[root] >= 0 or not member(root):
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        while work:
            node, i = work[-1]
            edges = succ[node]
            if clock is not None:
                clock.tick()
            advanced = False
            while i < len(edges):
                nxt = edges[i]
                i += 1
                if index[nxt] < 0:
                    if not member(nxt):
                        continue
                    work[-1] = (node, i)
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = 1
                    work.append((nxt, 0))
                    advanced = True
                    break
                if on_stack[nxt] and index[nxt] < low[node]:
                    low[node] = index[nxt]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack[top] = 0
                    comp.append(top)
                    if top == node:
                        break
                out.append(comp)
    return out


def components(nodes: Iterable[int], succ: Sequence[Sequence[int]],
               clock: Optional[Clock] = None) -> list[list[int]]:
    """The strongly connected components of the subgraph induced by `nodes`."""
    names = list(nodes)
    position = {n: i for i, n in enumerate(names)}
    local = [[position[t] for t in succ[n] if t in position] for n in names]
    return [[names[i] for i in comp] for comp in tarjan(local, _everything, clock)]


def _everything(_: int) -> bool:
    return True
