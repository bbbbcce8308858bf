"""IR statements to array kernels: an action instance maps a batch of states to candidate paths.

A path is one way through the action's body (a branch of `either`, a value of `choose`, an
element received from a bag), with the mask of the states it is enabled in, the assignments it
made and the states where it may fail. Paths come out in the order the tuple engine enumerates the
same successors of one state (checker/compile.py): branches, values and elements in order, a
forking statement's paths nested inside the paths of the statements before it. `if` merges its
branches back into one path when none of them forks (the branches' conditions are exclusive).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as xp

from checker.ir.kinds import PathKind
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.explicit.array import values as V
from checker.explicit.array.batch import Batch, Env
from checker.explicit.array.expr import Kernel, compile_expr, UNROLL_LIMIT
from checker.explicit.array.sequences import append, bag_add, tail
from checker.explicit.array.unsupported import Unsupported
from checker.explicit.compile import may_leave_keys


@dataclass(frozen=True)
class Path:
    mask: V.Leaf
    vars: dict[int, V.Val]
    locals: dict[str, V.Val]
    error: V.Leaf  # where this path (or an expression on it) may fail


StmtKernel = Callable[[Batch, Path], list[Path]]


def env(batch: Batch, path: Path, faults: list[V.Leaf]) -> Env:
    return Env(batch, path.vars, path.locals, faults)


def settle(path: Path, faults: list[V.Leaf], **changes: Any) -> Path:
    """The path with the faults found while evaluating its statement added to its error."""
    error = path.error
    if faults:
        error = V.disj([error, V.conj([path.mask, V.disj(faults)])])
    fields = {"mask": path.mask, "vars": path.vars, "locals": path.locals, "error": error}
    fields.update(changes)
    return Path(**fields)


def compile_block(stmts: tuple[ir.Stmt, ...], types: tuple[T.Type, ...]) -> StmtKernel:
    """`types` are the state variables' types, by slot."""
    kernels = [_stmt(st, types) for st in stmts]

    def run(batch: Batch, path: Path) -> list[Path]:
        paths = [path]
        for k in kernels:
            paths = [q for p in paths for q in _live(p, k(batch, p))]
        return [Path(p.mask, p.vars, path.locals, p.error) for p in paths]
    return run


def _live(before: Path, after: list[Path]) -> list[Path]:
    """The paths still enabled somewhere, and, when the others (or a statement that blocks
    every path) would drop states where something may already have failed, one disabled path
    that carries those states on (the tuple engine raises there before the path blocks)."""
    live = [p for p in after if p.mask is not False]
    dropped = [p.error for p in after if p.mask is False]
    if not after:
        dropped.append(before.error)
    error = V.disj(dropped)
    if error is not False:
        live.append(Path(False, before.vars, before.locals, error))
    return live


def _stmt(st: ir.Stmt, types: tuple[T.Type, ...]) -> StmtKernel:
    if isinstance(st, ir.Skip):
        return lambda batch, path: [path]
    if isinstance(st, ir.Assign):
        return _assign(st)
    if isinstance(st, ir.Let):
        return _let(st)
    if isinstance(st, ir.Await):
        return _await(st)
    if isinstance(st, ir.If):
        return _if(st, types)
    if isinstance(st, ir.Either):
        blocks = [compile_block(b, types) for b in st.blocks]
        return lambda batch, path: [q for b in blocks for q in b(batch, path)]
    if isinstance(st, ir.Choose):
        return _choose(st)
    if isinstance(st, ir.Send):
        return _send(st)
    if isinstance(st, ir.Receive):
        return _receive(st)
    raise Unsupported(f"the statement {type(st).__name__}")


def _let(st: ir.Let) -> StmtKernel:
    value_k = compile_expr(st.value)
    name = st.var

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        value = value_k(env(batch, path, faults))
        return [settle(path, faults, locals={**path.locals, name: value})]
    return run


def _await(st: ir.Await) -> StmtKernel:
    cond_k = compile_expr(st.cond)

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        cond = cond_k(env(batch, path, faults))
        done = settle(path, faults)
        return [settle(done, [], mask=V.conj([path.mask, cond]))]
    return run


# ---------------------------------------------------------------- places


class _Place:
    """A target (variable and path into it) compiled: read and replace its value."""

    def __init__(self, target: ir.Target):
        self.slot = target.var.slot
        self.var_type = target.var.type
        self.steps = [(s.kind, s.field_index, s.offset,
                       compile_expr(s.key) if s.key is not None else None, s.type)
                      for s in target.path]
        self.type = target.type
        self.checked = [may_leave_keys(s) for s in target.path]

    def keys(self, e: Env) -> list[Any]:
        return [(kind, index if key_k is None else _position(key_k(e), offset), t)
                for kind, index, offset, key_k, t in self.steps]

    def outside_keys(self, keys: list[Any]) -> list[V.Leaf]:
        """Per row, whether a map key of the place lies outside the map's keys (the tuple
        engine then reports the E300)."""
        out: list[V.Leaf] = []
        for (kind, position, t), checked in zip(keys, self.checked):
            if not checked:
                continue
            size = T.size(t.key)
            if V.is_array(position):
                out.append(V.disj([xp.less(position, 0), xp.greater_equal(position, size)]))
            elif not 0 <= int(position) < size:
                out.append(True)
        return out

    def read(self, e: Env, keys: list[Any]) -> V.Val:
        value = e.var(self.slot)
        for kind, position, t in keys:
            value = value.items[position] if kind == PathKind.FIELD else V.select(
                position, value.items, t.value)
        return value

    def store(self, e: Env, keys: list[Any], new: V.Val) -> dict[int, V.Val]:
        root = _store(e.var(self.slot), keys, new)
        return {**e.vars, self.slot: root}


def _position(key: V.Leaf, offset: int) -> V.Leaf:
    return V.offset(key, offset)


def _store(value: V.Val, keys: list[Any], new: V.Val) -> V.Val:
    if not keys:
        return new
    (kind, position, t), rest = keys[0], keys[1:]
    items = value.items
    if kind == PathKind.FIELD or not V.is_array(position):
        i = int(position)
        if not 0 <= i < len(items):
            return value  # the tuple engine leaves such a key to the domain check
        return V.Rec(items[:i] + (_store(items[i], rest, new),) + items[i + 1:])
    item_type = t.value
    return V.Rec(tuple(V.where(xp.equal(position, i), _store(item, rest, new), item, item_type)
                       for i, item in enumerate(items)))


def _assign(st: ir.Assign) -> StmtKernel:
    place = _Place(st.target)
    value_k = compile_expr(st.value)
    check, t = st.check, st.target.type

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        e = env(batch, path, faults)
        value = value_k(e)
        if check:
            faults.append(V.negate(V.contains(t, value)))
        keys = place.keys(e)
        faults.extend(place.outside_keys(keys))
        return [settle(path, faults, vars=place.store(e, keys, value))]
    return run


# ---------------------------------------------------------------- control


def _if(st: ir.If, types: tuple[T.Type, ...]) -> StmtKernel:
    conds = [compile_expr(c) for c, _ in st.branches]
    blocks = [compile_block(b, types) for _, b in st.branches] + [compile_block(st.else_, types)]

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        e = env(batch, path, faults)
        selectors, before = [], False
        for c in conds:
            value = c(e.under(V.negate(before)))
            selectors.append(V.conj([V.negate(before), value]))
            before = V.disj([before, value])
            if before is True:
                break
        selectors.append(V.negate(before))
        start = settle(path, faults)
        results = []
        for sel, block in zip(selectors, blocks):
            mask = V.conj([start.mask, sel])
            results.append((sel, block(batch, Path(mask, start.vars, start.locals,
                                                   start.error)) if mask is not False else []))
        if all(len(paths) == 1 for _, paths in results):
            return [_merge(start, [(sel, paths[0]) for sel, paths in results], types, e.var)]
        return [p for _, paths in results for p in paths]
    return run


def _merge(start: Path, branches: list[tuple[V.Leaf, Path]], types: tuple[T.Type, ...],
           original: Callable[[int], V.Val]) -> Path:
    slots = sorted({s for _, p in branches for s, v in p.vars.items()
                    if start.vars.get(s) is not v})
    merged = dict(start.vars)
    for slot in slots:
        value = None
        for sel, p in reversed(branches):
            mine = p.vars.get(slot)
            if mine is None:
                mine = original(slot)
            if value is None:
                value = mine
            elif mine is not value:
                value = V.where(sel, mine, value, types[slot])
        merged[slot] = value
    return Path(V.disj([p.mask for _, p in branches]), merged, start.locals,
                V.disj([p.error for _, p in branches]))


def _choose(st: ir.Choose) -> StmtKernel:
    name, t = st.var, st.type
    if codegen.is_constant(st.domain):
        values = T.sort_values(codegen.evaluate(st.domain))
        if len(values) > UNROLL_LIMIT:
            raise Unsupported(f"a choose over {len(values):,} values")
        consts = [V.const(t, v) for v in values]
        return lambda batch, path: [Path(path.mask, path.vars, {**path.locals, name: c},
                                         path.error) for c in consts]
    domain_k = compile_expr(st.domain)

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        domain = domain_k(env(batch, path, faults))
        start = settle(path, faults)
        out = []
        for u, m in zip(domain.universe, domain.members):
            mask = V.conj([start.mask, m])
            if mask is not False:
                out.append(Path(mask, start.vars, {**start.locals, name: V.const(t, u)},
                                start.error))
        return out
    return run


def _send(st: ir.Send) -> StmtKernel:
    place = _Place(st.channel)
    chan_type = st.channel.type
    assert isinstance(chan_type, T.SeqType)
    value_k = compile_expr(st.value)
    check = st.check

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        e = env(batch, path, faults)
        value = value_k(e)
        if check:
            faults.append(V.negate(V.contains(chan_type.elem, value)))
        keys = place.keys(e)
        faults.extend(place.outside_keys(keys))
        chan = place.read(e, keys)
        if chan_type.bag:
            room = xp.less(V.sum_leaves(chan.counts), chan_type.capacity)
            new: V.Val = bag_add(chan, value, chan_type.elem)
        else:
            room = V.negate(V.less_equal(chan_type.capacity, chan.length))
            grown = append(chan, value, chan_type.elem)
            new = V.SeqV(grown.length, grown.slots[:chan_type.capacity])
        done = settle(path, faults)
        return [Path(V.conj([done.mask, room]), place.store(e, keys, new), done.locals,
                     done.error)]
    return run


def _receive(st: ir.Receive) -> StmtKernel:
    place = _Place(st.channel)
    chan_type = st.channel.type
    assert isinstance(chan_type, T.SeqType)
    name, elem = st.var, chan_type.elem

    def run(batch: Batch, path: Path) -> list[Path]:
        faults: list[V.Leaf] = []
        e = env(batch, path, faults)
        keys = place.keys(e)
        faults.extend(place.outside_keys(keys))
        chan = place.read(e, keys)
        start = settle(path, faults)
        if not chan_type.bag:
            if not chan.slots:
                return []
            mask = V.conj([start.mask, xp.greater(chan.length, 0)])
            return [Path(mask, place.store(e, keys, tail(chan, elem)),
                         {**start.locals, name: chan.slots[0]}, start.error)]
        out = []
        for i, (u, c) in enumerate(zip(chan.universe, chan.counts)):
            mask = V.conj([start.mask, xp.greater(c, 0) if V.is_array(c) else bool(c > 0)])
            if mask is False:
                continue
            counts = chan.counts[:i] + (xp.subtract(c, 1),) + chan.counts[i + 1:]
            out.append(Path(mask, place.store(e, keys, V.BagV(chan.universe, counts)),
                            {**start.locals, name: V.const(elem, u)}, start.error))
        return out
    return run


# ---------------------------------------------------------------- actions


@dataclass(frozen=True)
class Instance:
    """One action with its parameters bound (the unit the tuple engine's labels name)."""

    action: int
    params: tuple[Any, ...]
    locals: dict[str, V.Val]


def instances(spec: ir.Spec) -> list[Instance]:
    out = []
    for k, action in enumerate(spec.actions):
        for params in itertools.product(*[p.domain for p in action.params]):
            out.append(Instance(k, tuple(params), {p.name: V.const(p.type, v)
                                                   for p, v in zip(action.params, params)}))
    return out


def compile_action(action: ir.Action, types: tuple[T.Type, ...]
                   ) -> tuple[Optional[Kernel], StmtKernel]:
    guard = compile_expr(action.guard) if action.guard is not None else None
    return guard, compile_block(action.body, types)
