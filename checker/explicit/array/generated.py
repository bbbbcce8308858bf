"""A recorded tape (tracing.py) as the source of one Python function, compiled once.

The function's parameters are fixed (`PARAMS`): `atom(i)` gives the decoded atom i of the batch,
`col(w)` its packed word w, `rows` the rows of the batch the kernel runs on, `sel` which
optional outputs are wanted. Each output belongs to a group: `None` (always computed) or a
number k (computed only where `sel[k]`); an operation runs only if an output of a wanted group
needs it, and operations no output needs are left out.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from checker.explicit.array.tracing import Op, Sym, Tape

PARAMS = "atom, col, rows, sel"
Output = tuple[Optional[int], Any]  # (group, a Sym or a constant)
Kernel = Callable[..., tuple[Any, ...]]


def build(tape: Tape, outputs: Sequence[Output], name: str) -> Kernel:
    """The function computing `outputs` (in order, a tuple; an output of a group not selected
    is None)."""
    source, namespace = _source(tape, outputs, name)
    exec(compile(source, f"<array kernel {name}>", "exec"), namespace)
    function: Kernel = namespace[name]
    return function


def _source(tape: Tape, outputs: Sequence[Output], name: str) -> tuple[str, dict[str, Any]]:
    needs = _needs(tape.ops, outputs)
    names = _Names()
    lines = [f"def {name}({PARAMS}):"]
    block: Optional[frozenset[int]] = None
    for op, need in zip(tape.ops, needs):
        if not need:
            continue
        wanted = None if None in need else frozenset(g for g in need if g is not None)
        if wanted != block:
            block = wanted
            if wanted is not None:
                lines.append("    if " + " or ".join(f"sel[{g}]" for g in sorted(wanted)) + ":")
        indent = "    " if wanted is None else "        "
        lines.append(f"{indent}t{op.sym.index} = {_expression(op, names)}")
    results = []
    for group, value in outputs:
        text = names.operand(value)
        results.append(text if group is None else f"({text} if sel[{group}] else None)")
    lines.append(f"    return ({', '.join(results)}{',' if len(results) == 1 else ''})")
    return "\n".join(lines) + "\n", names.namespace


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


def _expression(op: Op, names: _Names) -> str:
    if op.kind == "input":
        return str(op.func)
    args = [names.operand(a) for a in op.args]
    if op.kind == "astype":
        return f"{args[0]}.astype({args[1]})"
    if op.kind == "getitem":
        return f"{args[0]}[{args[1]}]"
    return f"{names.constant(op.func)}({', '.join(args)})"


class _Names:
    """Operands as source text; constants that have no exact literal become globals."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}

    def operand(self, a: Any) -> str:
        if isinstance(a, Sym):
            return f"t{a.index}"
        if a is None or isinstance(a, (bool, str)) or (isinstance(a, int) and type(a) is int):
            return repr(a)
        if isinstance(a, tuple):
            return "(" + "".join(self.operand(x) + ", " for x in a) + ")"
        if isinstance(a, list):
            return "[" + ", ".join(self.operand(x) for x in a) + "]"
        return self.constant(a)

    def constant(self, a: Any) -> str:
        found = self._by_id.get(id(a))
        if found is None:
            found = f"k{len(self._by_id)}"
            self._by_id[id(a)] = found
            self.namespace[found] = a
        return found
