"""An action's block of sequential statements as one TLA+ action formula (used by `views.tla`).

Statements run in order, each seeing the effect of those before it: an assignment binds the
variable's new value with LET (`LET x_1 == [x EXCEPT ![k] = 3] IN ...`) and later statements read
that name; the end of the block sets every variable's primed value. `either` and `if` continue
into the rest of the block from each branch, which is written once as a LET operator taking the
variables' current values. `choose x in S` is `\\E x \\in S`, `await c` is a conjunct, a full
channel disables `send`, an empty one `receive`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Sequence

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import PathKind
from checker.views.tla_expr import Names, expr, fresh
from checker.views.tla_values import ident


@dataclass
class _Counter:
    """Fresh LET names within one action (SANY refuses a name defined twice in nested scopes)."""

    n: itertools.count = itertools.count(1)  # type: ignore[type-arg]

    def next(self, base: str) -> str:
        return f"{base}_{next(self.n)}"


def action_formula(spec: ir.Spec, action: ir.Action, names: Names) -> str:
    counter = _Counter(itertools.count(1))
    body = _block(spec, list(action.body), names, counter)
    if action.guard is not None:
        return f"{expr(action.guard, names)} /\\ {body}"
    return body


def _block(spec: ir.Spec, stmts: Sequence[ir.Stmt], names: Names, counter: _Counter) -> str:
    if not stmts:
        return _finish(spec, names)
    st, rest = stmts[0], list(stmts[1:])
    if isinstance(st, _Continue):
        current = [names.state.get(i, ident(v.name)) for i, v in enumerate(spec.vars)]
        return f"{st.operator}({', '.join(current)})"
    if isinstance(st, ir.Skip):
        return _block(spec, rest, names, counter)
    if isinstance(st, ir.Await):
        return f"({expr(st.cond, names)}) /\\ {_block(spec, rest, names, counter)}"
    if isinstance(st, ir.Let):
        name = fresh(counter.next(ident(st.var)), names)
        value = expr(st.value, names)
        inner = _block(spec, rest, names.bind(st.var, name), counter)
        return f"(LET {name} == {value} IN {inner})"
    if isinstance(st, ir.Choose):
        name = fresh(ident(st.var), names)
        inner = _block(spec, rest, names.bind(st.var, name), counter)
        return f"(\\E {name} \\in {expr(st.domain, names)}: {inner})"
    if isinstance(st, ir.Assign):
        return _assign(spec, st.target, expr(st.value, names), rest, names, counter)
    if isinstance(st, ir.Send):
        return _send(spec, st, rest, names, counter)
    if isinstance(st, ir.Receive):
        return _receive(spec, st, rest, names, counter)
    if isinstance(st, (ir.If, ir.Either)):
        return _branching(spec, st, rest, names, counter)
    raise ValueError(f"no TLA+ form for the statement {type(st).__name__}")


def _finish(spec: ir.Spec, names: Names) -> str:
    changed = [f"{ident(v.name)}' = {names.state[i]}" for i, v in enumerate(spec.vars)
               if i in names.state]
    same = [ident(v.name) for i, v in enumerate(spec.vars) if i not in names.state]
    parts = changed + ([f"UNCHANGED <<{', '.join(same)}>>"] if same else [])
    return "(" + " /\\ ".join(parts) + ")" if parts else "TRUE"


def _read(target: ir.Target, names: Names) -> str:
    """The current value of an assignable place."""
    text = names.state.get(target.var.slot, ident(target.var.name))
    for step in target.path:
        text += _step(step, names)
    return text


def _step(step: ir.PathStep, names: Names) -> str:
    if step.kind == PathKind.INDEX:
        assert step.key is not None
        return f"[{expr(step.key, names)}]"
    assert isinstance(step.type, T.RecordType)
    return "." + ident(step.type.fields[step.field_index][0])


def _assign(spec: ir.Spec, target: ir.Target, value: str, rest: Sequence[ir.Stmt],
            names: Names, counter: _Counter) -> str:
    slot = target.var.slot
    current = names.state.get(slot, ident(target.var.name))
    if target.path:
        path = "".join("!" + _step(target.path[0], names) if i == 0 else _step(s, names)
                       for i, s in enumerate(target.path))
        value = f"[{current} EXCEPT {path} = {value}]"
    name = fresh(counter.next(ident(target.var.name)), names)
    inner = _block(spec, rest, replace(names, state={**names.state, slot: name}), counter)
    return f"(LET {name} == {value} IN {inner})"


def _send(spec: ir.Spec, st: ir.Send, rest: Sequence[ir.Stmt], names: Names,
          counter: _Counter) -> str:
    channel = _read(st.channel, names)
    t = st.channel.type
    assert isinstance(t, T.SeqType)
    item = expr(st.value, names)
    if t.bag:
        room, value = f"BagCardinality({channel}) < {t.capacity}", \
            f"({channel} (+) SetToBag({{{item}}}))"
    else:
        room, value = f"Len({channel}) < {t.capacity}", f"Append({channel}, {item})"
    return f"({room}) /\\ {_assign(spec, st.channel, value, rest, names, counter)}"


def _receive(spec: ir.Spec, st: ir.Receive, rest: Sequence[ir.Stmt], names: Names,
             counter: _Counter) -> str:
    channel = _read(st.channel, names)
    t = st.channel.type
    assert isinstance(t, T.SeqType)
    name = fresh(counter.next(ident(st.var)), names)
    inner_names = names.bind(st.var, name)
    if t.bag:
        taken = _assign(spec, st.channel, f"({channel} (-) SetToBag({{{name}}}))", rest,
                        inner_names, counter)
        return f"(\\E {name} \\in BagToSet({channel}): {taken})"
    taken = _assign(spec, st.channel, f"Tail({channel})", rest, inner_names, counter)
    return f"(Len({channel}) > 0 /\\ (LET {name} == Head({channel}) IN {taken}))"


def _branching(spec: ir.Spec, st: ir.If | ir.Either, rest: Sequence[ir.Stmt], names: Names,
               counter: _Counter) -> str:
    """Each branch, then the rest of the block: written once, as `K_n(current values)`."""
    after: list[ir.Stmt] = []
    prefix = ""
    inner = names
    if rest:
        k = counter.next("K")
        params = [counter.next(ident(v.name) + "_k") for v in spec.vars]
        body_names = replace(names, state={i: p for i, p in enumerate(params)})
        body = _block(spec, rest, body_names, counter)
        prefix = f"LET {k}({', '.join(params)}) == {body} IN "
        after = [_Continue(k)]  # type: ignore[list-item]

    def branch(block: Sequence[ir.Stmt]) -> str:
        return _block(spec, list(block) + after, inner, counter)
    if isinstance(st, ir.Either):
        text = " \\/ ".join(f"({branch(b)})" for b in st.blocks)
    else:
        text = branch(st.else_)
        for cond, block in reversed(st.branches):
            text = f"IF {expr(cond, inner)} THEN {branch(block)} ELSE {text}"
    return f"({prefix}{text})"


@dataclass(frozen=True)
class _Continue:
    """The rest of a block after a branch: a call of its LET operator."""

    operator: str
