"""Action instances and property sets as traced programs: the kernels of expr.py and stmt.py
run once on symbolic leaves (tracing.py), and what they did becomes a program of numpy
operations (program.py), so a BFS level costs the array operations alone, not the
interpretation of the expression trees around them.

The guards of all instances are one program (`Guards`: per instance, the enabled rows and where
the guard may fail); each instance's body is another, run on the rows its guard enables, which
gives, per path, the path's mask, where it may fail, the packed words its assignments change,
and per transition property (only those asked for) the steps that may violate it.
`Compiled.expand` turns them into candidates exactly as `ArraySystem.successors` does with the
interpreted kernels. A kernel that cannot be traced (`NotTraceable`) is interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as xp

from checker.explicit.array import values as V
from checker.explicit.array.batch import Batch, Decoding, Env
from checker.explicit.array.expr import Kernel
from checker.explicit.array.program import Output, Program
from checker.explicit.array.packing import StateLayout
from checker.explicit.array.stmt import Instance, Path, StmtKernel
from checker.explicit.array.tracing import NotTraceable, Sym, Tape
from checker.explicit.array.words import new_words

Array = Any


class TraceBatch(Decoding):
    """A batch of symbolic rows: every atom and word an input of the program being traced."""

    def __init__(self, layout: StateLayout, tape: Tape):
        self.layout, self.tape = layout, tape
        self._decoded: dict[int, V.Val] = {}

    def atom(self, index: int) -> Sym:
        dtype = xp.bool_ if self.layout.is_bool[index] else xp.int64
        return self.tape.input(("atom", index), xp.zeros(1, dtype=dtype))

    def col(self, word: int) -> Sym:
        return self.tape.input(("col", word), xp.zeros(1, dtype=xp.uint64))


def rows_of(leaf: V.Leaf, n: int) -> Array:
    """A boolean leaf as a boolean array over n rows."""
    if V.is_array(leaf):
        return leaf
    return xp.full(n, bool(leaf), dtype=xp.bool_)


def _failure(kernel: Kernel, batch: Any, after: Optional[After] = None) -> V.Leaf:
    """Where a predicate is false or its evaluation may fail."""
    faults: list[V.Leaf] = []
    bad = V.negate(kernel(Env(batch, {}, {}, faults, after)))
    return V.disj([bad, V.disj(faults)]) if faults else bad


class After:
    """The states after a path's step: its assignments over the batch it started from."""

    def __init__(self, before: Any, vars: dict[int, V.Val]):
        self.before, self.vars = before, vars

    def var(self, slot: int) -> V.Val:
        found = self.vars.get(slot)
        return found if found is not None else self.before.var(slot)


# ---------------------------------------------------------------- predicates


class Predicates:
    """State predicates (invariants) as one program: per predicate, where it fails."""

    def __init__(self, layout: StateLayout, kernels: Sequence[Kernel]):
        tape = Tape()
        batch = TraceBatch(layout, tape)
        outputs: list[Output] = [(k, _failure(kernel, batch)) for k, kernel in enumerate(kernels)]
        self.function = Program(tape, outputs)
        self.count = len(kernels)

    def failing(self, batch: Batch, selected: Sequence[int]) -> dict[int, Array]:
        chosen = set(selected)
        sel = tuple(k in chosen for k in range(self.count))
        out = self.function(batch.atom, batch.col, sel)
        return {k: rows_of(out[k], batch.size) for k in selected}


class Constraints:
    """The constraints as one program: where all hold, and where evaluating one may fail."""

    def __init__(self, layout: StateLayout, kernels: Sequence[Kernel]):
        tape = Tape()
        batch = TraceBatch(layout, tape)
        faults: list[V.Leaf] = []
        holds = V.conj([k(Env(batch, {}, {}, faults)) for k in kernels])  # type: ignore[arg-type]
        self.function = Program(tape, [(None, holds), (None, V.disj(faults))])

    def within(self, batch: Batch) -> tuple[Array, Array]:
        holds, fault = self.function(batch.atom, batch.col, ())
        return rows_of(holds, batch.size), rows_of(fault, batch.size)


# ---------------------------------------------------------------- action instances


class Guards:
    """The guards of all the action instances as one program (the conditions they share, a
    process's phase or a channel's state, evaluated once): per instance, the rows where it is
    enabled and where evaluating its guard may fail."""

    def __init__(self, layout: StateLayout,
                 actions: Sequence[tuple[Instance, Optional[Kernel], Any]]):
        tape = Tape()
        batch = TraceBatch(layout, tape)
        outputs: list[Output] = []
        for inst, guard, _ in actions:
            faults: list[V.Leaf] = []
            enabled = True if guard is None else \
                guard(Env(batch, {}, inst.locals, faults))  # type: ignore[arg-type]
            outputs += [(None, enabled), (None, V.disj(faults))]
        self.program = Program(tape, outputs)

    def __call__(self, batch: Batch) -> list[tuple[Any, ...]]:
        out = self.program(batch.atom, batch.col, ())
        return [out[i:i + 2] for i in range(0, len(out), 2)]


@dataclass(frozen=True)
class PathOut:
    """Where a path's results are in the body program's outputs."""

    mask: int
    error: int
    words: tuple[tuple[int, int], ...]  # (word, output) of each word the path rewrites
    steps: tuple[tuple[int, int], ...]  # (transition property, output)


class Compiled:
    """One action instance as a guard program (used where `Guards` is not) and a body
    program."""

    def __init__(self, layout: StateLayout, inst: Instance, guard: Optional[Kernel],
                 body: StmtKernel, transitions: Sequence[Kernel]):
        self.guard: Optional[Program] = None
        self.body: Optional[Program] = None
        self.paths: tuple[PathOut, ...] = ()
        if guard is not None:
            tape = Tape()
            faults: list[V.Leaf] = []
            enabled = guard(Env(TraceBatch(layout, tape), {}, inst.locals,  # type: ignore[arg-type]
                                faults))
            self.guard = Program(tape, [(None, enabled), (None, V.disj(faults))])
            if not V.is_array(enabled) and not enabled:
                return
        tape = Tape()
        sub = TraceBatch(layout, tape)  # the enabled rows, taken before the body runs
        outputs: list[Output] = []

        def out(group: Optional[int], value: V.Leaf) -> int:
            outputs.append((group, value))
            return len(outputs) - 1
        paths = []
        for path in body(sub, Path(True, {}, inst.locals, False)):  # type: ignore[arg-type]
            words = new_words(layout, sub, path.vars)
            after = After(sub, path.vars)
            steps = tuple((k, out(k, _failure(t, sub, after))) for k, t in enumerate(transitions))
            paths.append(PathOut(out(None, path.mask), out(None, path.error),
                                 tuple((w, out(None, c)) for w, c in sorted(words.items())),
                                 steps))
        self.body = Program(tape, outputs)
        self.paths = tuple(paths)

    def expand(self, batch: Batch, sel: tuple[bool, ...], parents: list[Array],
               words: list[Array], suspects: list[Array], failing: dict[int, list[Array]],
               gate: Optional[tuple[Any, ...]] = None) -> None:
        """Append this instance's candidates of the batch (as `ArraySystem.successors`);
        `gate` is the guard's result if already computed (`Guards`)."""
        n, rows = batch.size, None
        if self.guard is not None:
            enabled, fault = gate if gate is not None else \
                self.guard(batch.atom, batch.col, sel)
            if fault is not False:
                suspects.append(xp.nonzero(rows_of(fault, n))[0])
            if not V.is_array(enabled):
                if not enabled:
                    return
            else:
                rows = xp.nonzero(enabled)[0]
                if rows.shape[0] == 0:
                    return
        if self.body is None:
            return
        sub = batch if rows is None else batch.take(rows)
        m = sub.size
        out = self.body(sub.atom, sub.col, sel)
        for p in self.paths:
            error = out[p.error]
            if error is not False:
                bad = xp.nonzero(rows_of(error, m))[0]
                if bad.shape[0]:
                    suspects.append(bad if rows is None else rows[bad])
            mask = out[p.mask]
            taken: Optional[Array] = None
            if mask is True:
                source = rows
                packed = sub.words.copy()
            else:
                taken = xp.nonzero(rows_of(mask, m))[0]
                if taken.shape[0] == 0:
                    continue
                source = taken if rows is None else rows[taken]
                packed = sub.words[taken]
            for w, at in p.words:
                c = out[at]
                packed[:, w] = c[taken] if taken is not None and V.is_array(c) else c
            parents.append(xp.arange(n) if source is None else source)
            words.append(packed)
            for k, at in p.steps:
                if k in failing:
                    bad = rows_of(out[at], m)
                    failing[k].append(bad if taken is None else bad[taken])


def compile_instance(layout: StateLayout, inst: Instance, guard: Optional[Kernel],
                     body: StmtKernel, transitions: Sequence[Kernel]) -> Optional[Compiled]:
    """The instance compiled, or None where its kernels cannot be traced."""
    try:
        with xp.errstate(all="ignore"):
            return Compiled(layout, inst, guard, body, transitions)
    except NotTraceable:
        return None


def compile_guards(layout: StateLayout,
                   actions: Sequence[tuple[Instance, Optional[Kernel], Any]]) -> Optional[Guards]:
    try:
        with xp.errstate(all="ignore"):
            return Guards(layout, actions)
    except NotTraceable:
        return None


def compile_predicates(layout: StateLayout, kernels: Sequence[Kernel]) -> Optional[Predicates]:
    try:
        with xp.errstate(all="ignore"):
            return Predicates(layout, kernels)
    except NotTraceable:
        return None


def compile_constraints(layout: StateLayout,
                        kernels: Sequence[Kernel]) -> Optional[Constraints]:
    try:
        with xp.errstate(all="ignore"):
            return Constraints(layout, kernels)
    except NotTraceable:
        return None
