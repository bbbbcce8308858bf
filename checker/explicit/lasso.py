"""Fair-cycle search over a finite graph: SCCs, fairness, and short lassos.

This module knows nothing about specs: nodes are ints, fairness units are bits of an int mask.
`checker.liveness` builds a `FairGraph` and a `Goal` from an explored state graph and a temporal
property; `find_lasso` answers whether some fair behaviour reaches the goal's cycle part and, if so,
returns a lasso with a breadth-first shortest prefix and a short cycle.

Semantics (TLA+ with stuttering): a behaviour that ends in a set C of nodes, visiting every node of
C and taking every edge inside C infinitely often, is fair when
  - for each weak unit u: u is disabled at some node of C, or some edge inside C takes u;
  - for each strong unit u: u is enabled at no node of C, or some edge inside C takes u.
A behaviour may also stop (stutter forever) at a node where no fair unit is enabled. Self loops are
stuttering steps: they take no unit and never make a cycle.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping, Optional, Sequence

from checker.explicit.scc import Clock, OutOfTime, components, tarjan

__all__ = ["FairGraph", "Goal", "Lasso", "OutOfTime", "find_lasso", "fair_components", "may_stop"]


@dataclass(frozen=True)
class FairGraph:
    """A finite graph whose edges carry the fairness units they take.

    `succ[n]` lists the successors of node n (self loops and repeats are allowed and ignored).
    `enabled(n)` is the mask of units with a non-stuttering step out of n; `taken(n)` maps each
    successor of n to the mask of units taken on that edge. `weak` and `strong` are the masks of
    weakly and strongly fair units. `quiet(n)`, if given, is a faster test of
    `enabled(n) & (weak | strong) == 0`.
    """

    succ: Sequence[Sequence[int]]
    enabled: Callable[[int], int]
    taken: Callable[[int], Mapping[int, int]]
    weak: int = 0
    strong: int = 0
    quiet: Optional[Callable[[int], bool]] = None

    @property
    def fair(self) -> int:
        return self.weak | self.strong


@dataclass(frozen=True)
class Goal:
    """The shape of a counterexample.

    The behaviour starts at one of `initial`; if `start` is None it stays in `inside` from its
    first state on, otherwise it moves freely until some node of `start` that is `inside`, and
    stays in `inside` from there. It ends in a fair cycle (or a fair stop) inside `inside`,
    which must visit a node of `accept` when `accept` is given.
    """

    initial: Sequence[int]
    inside: Sequence[bool]
    start: Optional[Sequence[bool]] = None
    accept: Optional[Sequence[bool]] = None


@dataclass(frozen=True)
class Lasso:
    """`prefix` then `cycle` forever; the last node of `cycle` steps back to its first.

    A stuttering lasso has a one-node cycle and `stutter` set: the behaviour stays there.
    """

    prefix: tuple[int, ...]
    cycle: tuple[int, ...]
    stutter: bool = False

    @property
    def nodes(self) -> tuple[int, ...]:
        return self.prefix + self.cycle


# ---------------------------------------------------------------- fair components


def _summary(graph: FairGraph, comp: set[int]) -> tuple[int, int, int]:
    """(units taken on edges inside comp, enabled at some node, enabled at every node)."""
    taken = 0
    anywhere = 0
    everywhere = -1
    for n in comp:
        e = graph.enabled(n)
        anywhere |= e
        everywhere &= e
        for t, mask in graph.taken(n).items():
            if mask and t in comp:
                taken |= mask
    return taken, anywhere, everywhere


def fair_components(graph: FairGraph, goal: Goal, clock: Optional[Clock] = None
                    ) -> list[set[int]]:
    """The node sets (of two or more nodes) a fair behaviour can cycle through forever.

    Strong fairness is handled as in Emerson and Lei: a component in which a strong unit is
    enabled but never taken loses the nodes where that unit is enabled, and what is left is split
    into components again.
    """
    inside = goal.inside
    member: Callable[[int], bool] = inside.__getitem__
    todo = [set(c) for c in tarjan(graph.succ, member, clock) if len(c) > 1]
    out = []
    while todo:
        comp = todo.pop()
        if goal.accept is not None and not any(goal.accept[n] for n in comp):
            continue
        taken, anywhere, everywhere = _summary(graph, comp)
        if graph.weak & everywhere & ~taken:
            continue  # a weak unit is enabled throughout and never taken: so in every part too
        unfair = graph.strong & anywhere & ~taken
        if unfair:
            rest = {n for n in comp if not graph.enabled(n) & unfair}
            todo += [set(c) for c in components(sorted(rest), graph.succ, clock) if len(c) > 1]
            continue
        out.append(comp)
    return out


def may_stop(graph: FairGraph, goal: Goal, node: int) -> bool:
    """Whether a behaviour may stutter forever at `node` and count as a counterexample."""
    if not goal.inside[node]:
        return False
    if goal.accept is not None and not goal.accept[node]:
        return False
    if graph.quiet is not None:
        return graph.quiet(node)
    return not graph.enabled(node) & graph.fair


# ---------------------------------------------------------------- the shortest prefix


def _prefix(graph: FairGraph, goal: Goal, target: Callable[[int], bool],
            clock: Clock) -> Optional[list[int]]:
    """A breadth-first shortest path from an initial node to a target node in the inside part.

    The search runs over (node, phase) pairs: phase 0 moves freely, phase 1 stays inside; a node
    of `start` switches from 0 to 1 at no cost.
    """
    parent: dict[tuple[int, int], Optional[tuple[int, int]]] = {}
    queue: deque[tuple[int, int]] = deque()

    def reach(pair: tuple[int, int], via: Optional[tuple[int, int]]) -> bool:
        if pair in parent:
            return False
        parent[pair] = via
        queue.append(pair)
        node, phase = pair
        if phase == 1:
            return target(node)
        assert goal.start is not None
        if goal.start[node] and goal.inside[node]:
            return reach((node, 1), pair)
        return False

    def path(pair: tuple[int, int]) -> list[int]:
        nodes: list[int] = []
        cur: Optional[tuple[int, int]] = pair
        while cur is not None:
            if not nodes or nodes[-1] != cur[0]:
                nodes.append(cur[0])
            cur = parent[cur]
        return nodes[::-1]

    first_phase = 0 if goal.start is not None else 1
    for n in goal.initial:
        if first_phase == 1 and not goal.inside[n]:
            continue
        if reach((n, first_phase), None):
            return path((n, 1))
    while queue:
        clock.tick()
        node, phase = queue.popleft()
        for t in graph.succ[node]:
            if phase == 1 and not goal.inside[t]:
                continue
            if reach((t, phase), (node, phase)):
                return path((t, 1))
    return None


# ---------------------------------------------------------------- a short fair cycle


def _bfs(graph: FairGraph, comp: set[int], source: int) -> dict[int, int]:
    """Breadth-first parents inside `comp` from `source` (the source maps to -1)."""
    parent = {source: -1}
    queue = deque([source])
    while queue:
        n = queue.popleft()
        for t in graph.succ[n]:
            if t in comp and t not in parent:
                parent[t] = n
                queue.append(t)
    return parent


def _walk(parent: dict[int, int], target: int) -> list[int]:
    """The path from the BFS source to `target`, without the source."""
    out = []
    while parent[target] != -1:
        out.append(target)
        target = parent[target]
    return out[::-1]


class _CycleBuilder:
    """Walks inside a fair component from its entry until the walk, closed, is a fair cycle."""

    def __init__(self, graph: FairGraph, goal: Goal, comp: set[int], entry: int):
        self.graph, self.goal, self.comp = graph, goal, comp
        self.walk = [entry]
        self.taken = 0
        self.anywhere = graph.enabled(entry)
        self.everywhere = graph.enabled(entry)
        self.accepted = goal.accept is None or bool(goal.accept[entry])

    def extend(self, nodes: list[int]) -> None:
        for n in nodes:
            self.taken |= self.graph.taken(self.walk[-1]).get(n, 0)
            e = self.graph.enabled(n)
            self.anywhere |= e
            self.everywhere &= e
            if self.goal.accept is not None and self.goal.accept[n]:
                self.accepted = True
            self.walk.append(n)

    def missing(self) -> int:
        g = self.graph
        return (g.weak & self.everywhere & ~self.taken) | (g.strong & self.anywhere & ~self.taken)

    def _fixes(self, node: int, missing: int) -> bool:
        g = self.graph
        if not self.accepted and self.goal.accept is not None and self.goal.accept[node]:
            return True
        return bool(g.weak & missing & ~g.enabled(node))

    def _nearest_fix(self, missing: int) -> list[int]:
        """The shortest walk from the current node that takes a missing unit or fixes a need."""
        here = self.walk[-1]
        parent = {here: -1}
        queue = deque([here])
        while queue:
            n = queue.popleft()
            for t in self.graph.succ[n]:
                if t not in self.comp:
                    continue
                if self.graph.taken(n).get(t, 0) & missing:
                    return _walk(parent, n) + [t]
                if t not in parent:
                    parent[t] = n
                    if self._fixes(t, missing):
                        return _walk(parent, t)
                    queue.append(t)
        raise AssertionError("a fair component has no walk that satisfies its fairness")

    def build(self) -> tuple[int, ...]:
        entry = self.walk[0]
        while True:
            missing = self.missing()
            if missing or not self.accepted:
                self.extend(self._nearest_fix(missing))
                continue
            if self.walk[-1] == entry and len(self.walk) > 1:
                return tuple(self.walk[:-1])
            self.extend(self._back_to(entry))

    def _back_to(self, entry: int) -> list[int]:
        here = self.walk[-1]
        if here != entry:
            return _walk(_bfs(self.graph, self.comp, here), entry)
        best: Optional[list[int]] = None  # the shortest cycle through the entry
        for first in self.graph.succ[entry]:
            if first in self.comp and first != entry:
                back = _walk(_bfs(self.graph, self.comp, first), entry)
                if best is None or len(back) + 1 < len(best):
                    best = [first] + back
        assert best is not None
        return best


# ---------------------------------------------------------------- the search


def find_lasso(graph: FairGraph, goal: Goal, deadline: Optional[float] = None
               ) -> Optional[Lasso]:
    """A fair behaviour of the shape `goal` describes, as a short lasso; None if there is none.

    Raises `OutOfTime` when `deadline` (a `time.monotonic()` value) passes.
    """
    clock = Clock(deadline)
    comps = fair_components(graph, goal, clock)
    comp_of: dict[int, int] = {}
    for k, comp in enumerate(comps):
        for n in comp:
            comp_of[n] = k

    def target(n: int) -> bool:
        return n in comp_of or may_stop(graph, goal, n)

    path = _prefix(graph, goal, target, clock)
    if path is None:
        return None
    entry = path[-1]
    if may_stop(graph, goal, entry):
        return Lasso(tuple(path[:-1]), (entry,), stutter=True)
    cycle = _CycleBuilder(graph, goal, comps[comp_of[entry]], entry).build()
    return Lasso(tuple(path[:-1]), cycle)
