"""A spec compiled to array kernels: successors of a batch, invariants, transition properties
and constraints as predicates over batches.

`ArraySystem.compile` raises `Unsupported` (with the construct it met) when some part of the spec
has no array form; the engine selection then runs the tuple engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as xp

from checker.ir.kinds import PropertyKind
from checker.ir import nodes as ir
from checker.explicit.array import values as V
from checker.explicit.array.batch import Batch, Env, pack_into
from checker.explicit.array.compiled import (After, Compiled, Constraints, Guards, Predicates,
                                             compile_constraints, compile_guards,
                                             compile_instance, compile_predicates)
from checker.explicit.array.expr import Kernel, compile_expr
from checker.explicit.array.packing import StateLayout
from checker.explicit.array.stmt import Instance, Path, StmtKernel, compile_action, instances
from checker.explicit.array.unsupported import Unsupported

Array = Any


@dataclass(frozen=True)
class Candidates:
    """Successors of a batch, ordered by parent and then as the tuple engine lists them."""

    parent: Array  # row of the parent in the batch, non-decreasing
    words: Array  # packed successors
    suspects: Array  # rows where an action may fail (confirmed by the tuple engine)
    # per selected transition property: the candidates whose step may violate it
    steps_failing: dict[int, Array]


def _rows(leaf: V.Leaf, n: int) -> Array:
    """A boolean leaf as a boolean array over the batch."""
    if V.is_array(leaf):
        return leaf
    return xp.full(n, bool(leaf), dtype=xp.bool_)


class ArraySystem:
    def __init__(self, spec: ir.Spec, layout: StateLayout,
                 actions: list[tuple[Instance, Optional[Kernel], StmtKernel]],
                 invariants: list[Kernel], transitions: list[Kernel], constraints: list[Kernel]):
        self.spec = spec
        self.layout = layout
        self.actions = actions
        self.invariants = invariants
        self.transitions = transitions
        self.constraints = constraints
        # the traced programs (compiled.py), made after the trial run (an instance's on first use)
        self.generate = False
        self._compiled: dict[int, Optional[Compiled]] = {}
        self._guards: Optional[Guards] = None
        self._invariants: Optional[Predicates] = None
        self._constraints: Optional[Constraints] = None

    @staticmethod
    def compile(spec: ir.Spec) -> ArraySystem:
        layout = StateLayout.of([v.type for v in spec.vars])
        types = tuple(v.type for v in spec.vars)
        compiled = {k: compile_action(a, types) for k, a in enumerate(spec.actions)}
        actions = [(inst, *compiled[inst.action]) for inst in instances(spec)]
        props = {kind: [compile_expr(p.expr) for p in spec.properties if p.kind == kind]
                 for kind in (PropertyKind.INVARIANT, PropertyKind.TRANSITION,
                              PropertyKind.CONSTRAINT)}
        system = ArraySystem(spec, layout, actions, props[PropertyKind.INVARIANT],
                             props[PropertyKind.TRANSITION],
                             props[PropertyKind.CONSTRAINT])
        system._trial()
        system.generate = True
        system._guards = compile_guards(layout, system.actions)
        system._invariants = compile_predicates(layout, system.invariants)
        system._constraints = compile_constraints(layout, system.constraints)
        return system

    def _trial(self) -> None:
        """Run every kernel once on a batch of one all-zero row, so a construct without an array
        form is found now (most are found while compiling, some only when a value's shape is
        known)."""
        row = Batch(self.layout, xp.zeros((1, self.layout.words), dtype=xp.uint64))
        try:
            self.successors(row)
            self.failing(self.invariants, row, range(len(self.invariants)))
            self.failing(self.transitions, row, range(len(self.transitions)), row)
            self.within(row)
        except Unsupported:
            raise
        except (AttributeError, TypeError, ValueError, IndexError, KeyError) as exc:
            raise Unsupported(f"an expression the array compiler mishandles ({exc!r})") from None

    # ------------------------------------------------------------ successors
    def successors(self, batch: Batch, transitions: Sequence[int] = ()) -> Candidates:
        """Every successor of every row, and the steps that may violate the `transitions`
        (evaluated on each path, where the variables it leaves alone need no unpacking)."""
        n = batch.size
        parents: list[Array] = []
        words: list[Array] = []
        suspects: list[Array] = []
        failing: dict[int, list[Array]] = {k: [] for k in transitions}
        sel = tuple(k in failing for k in range(len(self.transitions)))
        gates = self._guards(batch) if self._guards is not None else None
        for i, (inst, guard, body) in enumerate(self.actions):
            compiled = self._instance(i)
            if compiled is not None:
                compiled.expand(batch, sel, parents, words, suspects, failing,
                                gates[i] if gates is not None else None)
                continue
            rows: Optional[Array] = None
            sub = batch
            if guard is not None:
                faults: list[V.Leaf] = []
                enabled = guard(Env(batch, {}, inst.locals, faults))
                if faults:
                    suspects.append(xp.nonzero(_rows(V.disj(faults), n))[0])
                if not V.is_array(enabled) and not enabled:
                    continue
                if V.is_array(enabled):
                    rows = xp.nonzero(enabled)[0]
                    if rows.shape[0] == 0:
                        continue
                    sub = batch.take(rows)
            for path in body(sub, Path(True, {}, inst.locals, False)):
                taken = self._emit(sub, rows, path, parents, words, suspects)
                if taken is not None and transitions:
                    after = After(sub, path.vars)
                    for k, bad in self.failing(self.transitions, sub, transitions,
                                               after).items():
                        failing[k].append(bad[taken])
        flagged = xp.unique(xp.concatenate(suspects)) if suspects else xp.zeros(0, xp.int64)
        if not parents:
            return Candidates(xp.zeros(0, dtype=xp.int64),
                              xp.zeros((0, self.layout.words), dtype=xp.uint64), flagged,
                              {k: xp.zeros(0, dtype=xp.bool_) for k in transitions})
        where = _positions(parents, n)
        m = int(sum(p.shape[0] for p in parents))
        parent = xp.empty(m, dtype=xp.int64)
        packed = xp.empty((m, self.layout.words), dtype=xp.uint64)
        steps = {k: xp.empty(m, dtype=xp.bool_) for k in failing}
        for i, at in enumerate(where):
            parent[at] = parents[i]
            packed[at] = words[i]
            for k, bad in failing.items():
                steps[k][at] = bad[i]
        return Candidates(parent, packed, flagged, steps)

    def _instance(self, i: int) -> Optional[Compiled]:
        """Action instance i as traced programs (None: interpreted)."""
        if not self.generate:
            return None
        if i not in self._compiled:
            inst, guard, body = self.actions[i]
            self._compiled[i] = compile_instance(self.layout, inst, guard, body,
                                                 self.transitions)
        return self._compiled[i]

    def _emit(self, sub: Batch, rows: Optional[Array], path: Path, parents: list[Array],
              words: list[Array], suspects: list[Array]) -> Optional[Array]:
        """Pack the successors of one path; the rows of `sub` it was taken in, if any."""
        n = sub.size
        if path.error is not False:
            bad = xp.nonzero(_rows(path.error, n))[0]
            if bad.shape[0]:
                suspects.append(bad if rows is None else rows[bad])
        if path.mask is True:
            taken = xp.arange(n)
            out = sub.words.copy()
            for slot, value in path.vars.items():
                pack_into(out, self.layout, slot, value, None, sub.known(slot))
        else:
            taken = xp.nonzero(_rows(path.mask, n))[0]
            if taken.shape[0] == 0:
                return None
            out = sub.words[taken]
            for slot, value in path.vars.items():
                pack_into(out, self.layout, slot, value, taken, sub.known(slot))
        parents.append(taken if rows is None else rows[taken])
        words.append(out)
        return taken

    # ------------------------------------------------------------ predicates
    def failing(self, kernels: list[Kernel], batch: Batch, selected: Any,
                after: Any = None) -> dict[int, Array]:
        """For each selected predicate, the rows where it is false (with `after`: the rows of
        the steps batch -> after where it is false). Rows where evaluating it may fail count
        as false (the tuple engine then evaluates them and raises)."""
        if after is None and kernels is self.invariants and self._invariants is not None:
            return self._invariants.failing(batch, selected)
        out = {}
        for k in selected:
            faults: list[V.Leaf] = []
            holds = kernels[k](Env(batch, {}, {}, faults, after))
            bad = V.negate(holds)
            if faults:
                bad = V.disj([bad, V.disj(faults)])
            out[k] = _rows(bad, batch.size)
        return out

    def holding(self, expr: ir.Expr, batch: Batch) -> tuple[Array, Array]:
        """Where a state predicate (not compiled before: a temporal property's) holds over the
        batch, and the rows where evaluating it may fail. Unsupported if it has no array form."""
        faults: list[V.Leaf] = []
        holds = _rows(compile_expr(expr)(Env(batch, {}, {}, faults)), batch.size)
        suspects = _rows(V.disj(faults), batch.size) if faults else xp.zeros(batch.size, xp.bool_)
        return holds, suspects

    def within(self, batch: Batch) -> tuple[Array, Array]:
        """Where every constraint holds over the batch, and the rows where evaluating one may
        fail (there the tuple engine evaluates them: it gives the value, or raises)."""
        if self._constraints is not None:
            return self._constraints.within(batch)
        faults: list[V.Leaf] = []
        holds = _rows(V.conj([k(Env(batch, {}, {}, faults)) for k in self.constraints]),
                      batch.size)
        suspects = _rows(V.disj(faults), batch.size) if faults else xp.zeros(batch.size, xp.bool_)
        return holds, suspects


def _positions(parents: list[Array], n: int) -> list[Array]:
    """Where each path's candidates go so that all are ordered by parent, then by path: a path
    has at most one candidate per parent, so a parent's candidates are its paths' in order."""
    counts = xp.zeros(n, dtype=xp.int64)
    for p in parents:
        counts[p] += 1
    starts = xp.cumsum(counts) - counts
    out = []
    for p in parents:
        out.append(starts[p])
        starts[p] += 1
    return out
