"""A recorded tape (tracing.py) as a program replayed on each batch.

A program is the tape's operations, each with its operands resolved to registers or
constants, run in order by one loop (compiling the tape to Python source instead was measured
slower: on the lifecycle model `compile` took longer than all the replays of a search). Its
parameters: `atom(i)` gives the decoded atom i of the batch, `col(w)` its packed word w, `sel`
which optional outputs are wanted. Each output
belongs to a group: `None` (always computed) or a number k (computed only where `sel[k]`); an
operation runs only if an output of a wanted group needs it, and operations no output needs
are left out.
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Optional, Sequence

from checker.explicit.array.tracing import Op, Sym, Tape

Output = tuple[Optional[int], Any]  # (group, a Sym or a constant)

# how a step finds its operands: the registers hold the results of earlier steps, then the
# constants; an operand nested in a list (concatenate's) is resolved one by one
_ATOM, _COL, _ONE, _TWO, _THREE, _ANY = range(6)


def _astype(x: Any, dtype: Any) -> Any:
    return x.astype(dtype)


class Program:
    """The operations of a tape that some output needs, runnable on a batch."""

    def __init__(self, tape: Tape, outputs: Sequence[Output]):
        self.registers: list[Any] = [None] * len(tape.ops)
        # the steps some output needs, each with the groups that need it (None: always)
        self.steps = [(self._step(op), None if None in need else tuple(need))
                      for op, need in zip(tape.ops, _needs(tape.ops, outputs)) if need]
        self.outputs = [(group, value.index if isinstance(value, Sym) else -1, value)
                        for group, value in outputs]
        self._plans: dict[tuple[bool, ...], list[tuple[Any, ...]]] = {}

    def _plan(self, sel: tuple[bool, ...]) -> list[tuple[Any, ...]]:
        plan = self._plans.get(sel)
        if plan is None:
            plan = [step for step, groups in self.steps
                    if groups is None or any(sel[g] for g in groups)]  # type: ignore[index]
            self._plans[sel] = plan
        return plan

    def __call__(self, atom: Callable[[int], Any], col: Callable[[int], Any],
                 sel: tuple[bool, ...]) -> tuple[Any, ...]:
        r = self.registers.copy()
        for kind, out, f, x, y, z in self._plan(sel):
            if kind == _TWO:
                r[out] = f(r[x], r[y])
            elif kind == _ONE:
                r[out] = f(r[x])
            elif kind == _THREE:
                r[out] = f(r[x], r[y], r[z])
            elif kind == _ATOM:
                r[out] = atom(x)
            elif kind == _COL:
                r[out] = col(x)
            else:
                r[out] = f(*[_resolve(a, r) for a in x])
        return tuple(None if group is not None and not sel[group] else
                     (r[at] if at >= 0 else value) for group, at, value in self.outputs)

    def _step(self, op: Op) -> tuple[Any, ...]:
        out = op.sym.index
        if op.kind == "input":
            what = op.func
            return (_ATOM if what[0] == "atom" else _COL, out, None, what[1], None, None)
        f = {"astype": _astype, "getitem": operator.getitem}.get(op.kind, op.func)
        if any(isinstance(a, (tuple, list)) for a in op.args) or not 1 <= len(op.args) <= 3:
            return (_ANY, out, f, op.args, None, None)
        at = [self._register(a) for a in op.args] + [None, None]
        return ((_ONE, _TWO, _THREE)[len(op.args) - 1], out, f, at[0], at[1], at[2])

    def _register(self, a: Any) -> int:
        if isinstance(a, Sym):
            return a.index
        self.registers.append(a)
        return len(self.registers) - 1


def _resolve(a: Any, r: list[Any]) -> Any:
    if isinstance(a, Sym):
        return r[a.index]
    if isinstance(a, (tuple, list)):
        return type(a)(_resolve(x, r) for x in a)
    return a


def _needs(ops: list[Op], outputs: Sequence[Output]) -> list[set[Optional[int]]]:
    """Per operation, the groups of the outputs that need it."""
    needs: list[set[Optional[int]]] = [set() for _ in ops]
    for group, value in outputs:
        for s in _syms(value):
            needs[s.index].add(group)
    for op in reversed(ops):
        need = needs[op.sym.index]
        if need:
            for a in op.args:
                for s in _syms(a):
                    needs[s.index] |= need
    return needs


def _syms(a: Any) -> list[Sym]:
    if isinstance(a, Sym):
        return [a]
    if isinstance(a, (tuple, list)):
        return [s for x in a for s in _syms(x)]
    return []
