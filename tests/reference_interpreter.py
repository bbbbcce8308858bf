"""A naive interpreter of the TLA+ meaning of a spec, written from the IR and the language's
documentation, independently of the compiler (it imports nothing of `checker.explicit`).

It is an oracle for tests, so it is written to be obviously right rather than fast: values are
evaluated by walking the IR, states are explored level by level with plain sets, and every
rule is the TLA+/TLC one:

- the initial states are every combination of the variables' initial values;
- a state outside the `constraint`s is generated and checked (invariants on it, transition
  properties on the step into it) but neither counted nor expanded;
- a transition property is `[][P]_vars`: a step that changes no variable satisfies it, and P is
  not evaluated on it;
- a state with no successor (stuttering aside: a step to itself is a successor) is a deadlock;
- a `let` is TLA+'s LET: a definition, evaluated only where (and each time) it is used, with
  the values the variables have where it stands; an unused `let` whose value is undefined is no
  error;
- evaluating anything that is undefined (a key outside a map, division by zero, a value outside
  its variable's domain) is an error that ends the behaviour; `and`, `or`, `=>` and `if`
  evaluate left to right and only as far as needed, as TLC does.

Properties of one state (one step) are taken in declaration order, and (as `--continue` has
it) a property found violated is not evaluated again. Lengths count states, as traces do.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import Binder, PropertyKind

State = tuple[Any, ...]
Env = Mapping[str, Any]
SPEC = "$spec"  # the name under which properties see the spec (for `enabled`; not an identifier)


class Undefined(Exception):
    """The value of an expression (or the effect of a statement) is undefined."""


# ---------------------------------------------------------------- expressions


def _key_position(t: T.Type, key: Any) -> int:
    keys = list(T.values(t))
    for i, k in enumerate(keys):
        if T.identical(k, key):
            return i
    raise Undefined(f"key {key!r} outside the map domain")


def value(e: ir.Expr, s: State, env: Env, t: Optional[State] = None) -> Any:
    """The value of `e` in state `s` (and next state `t`) with locals `env`."""
    if isinstance(e, ir.Lit):
        return e.value
    if isinstance(e, ir.Var):
        if e.primed:
            assert t is not None
            return t[e.slot]
        return s[e.slot]
    if isinstance(e, ir.Local):
        bound = env[e.name]
        if isinstance(bound, _Definition):
            return value(bound.expr, bound.state, bound.env)
        return bound
    if isinstance(e, ir.Bind):
        return _bind(e, s, env, t)
    return _op(e, s, env, t)


def _bind(e: ir.Bind, s: State, env: Env, t: Optional[State]) -> Any:
    domain = T.sort_values(value(e.domain, s, env, t))

    def body(x: Any) -> Any:
        return value(e.body, s, {**env, e.var: x}, t)

    if e.kind == Binder.FORALL:
        return all(body(x) for x in domain)
    if e.kind == Binder.EXISTS:
        return any(body(x) for x in domain)
    if e.kind == Binder.SETCOMP:
        return frozenset(body(x) for x in domain
                         if e.cond is None or value(e.cond, s, {**env, e.var: x}, t))
    if e.kind == Binder.MAPLIT:
        return tuple(body(x) for x in T.values(e.var_type))
    if e.kind == Binder.CHOOSE:
        for x in domain:
            if body(x):
                return x
        raise Undefined("CHOOSE: no value satisfies the condition")
    raise AssertionError(e.kind)


def _op(e: ir.Op, s: State, env: Env, t: Optional[State]) -> Any:
    op = e.op

    def arg(i: int) -> Any:
        return value(e.args[i], s, env, t)

    if op == "and":
        return bool(arg(0)) and bool(arg(1))
    if op == "or":
        return bool(arg(0)) or bool(arg(1))
    if op == "implies":
        return (not arg(0)) or bool(arg(1))
    if op == "ite":
        return arg(1) if arg(0) else arg(2)
    a = [value(x, s, env, t) for x in e.args]
    if op == "not":
        return not a[0]
    if op == "neg":
        return -a[0]
    if op in ("eq", "equiv"):
        return a[0] == a[1]
    if op == "ne":
        return a[0] != a[1]
    if op in ("lt", "le", "gt", "ge"):
        return {"lt": a[0] < a[1], "le": a[0] <= a[1], "gt": a[0] > a[1],
                "ge": a[0] >= a[1]}[op]
    if op in ("add", "sub", "mul"):
        return {"add": a[0] + a[1], "sub": a[0] - a[1], "mul": a[0] * a[1]}[op]
    if op in ("div", "mod"):
        if a[1] == 0:
            raise Undefined("division by zero")
        return a[0] // a[1] if op == "div" else a[0] % a[1]
    if op == "in":
        return a[0] in a[1]
    if op == "notin":
        return a[0] not in a[1]
    if op in ("union", "inter", "minus"):
        return {"union": a[0] | a[1], "inter": a[0] & a[1], "minus": a[0] - a[1]}[op]
    if op == "subseteq":
        return a[0] <= a[1]
    if op == "subset":
        items = T.sort_values(a[0])
        return frozenset(frozenset(c) for n in range(len(items) + 1)
                         for c in itertools.combinations(items, n))
    if op == "range":
        return frozenset(range(a[0], a[1] + 1))
    if op == "index":
        map_type = e.args[0].type
        assert isinstance(map_type, T.MapType)
        return a[0][_key_position(map_type.key, a[1])]
    if op == "seqindex":
        if not 1 <= a[1] <= len(a[0]):
            raise Undefined("position outside the sequence")
        return a[0][a[1] - 1]
    if op == "field":
        record = e.args[0].type
        assert isinstance(record, T.RecordType)
        return a[0][e.data]
    if op == "set":
        return frozenset(a)
    if op in ("seq", "record"):
        if isinstance(e.type, T.SeqType) and e.type.bag:
            return tuple(T.sort_values(a))
        return tuple(a)
    if op == "min":
        return min(a)
    if op == "max":
        return max(a)
    if op == "abs":
        return abs(a[0])
    if op in ("card", "len"):
        return len(a[0])
    if op == "head":
        if not a[0]:
            raise Undefined("head of an empty sequence")
        return a[0][0]
    if op == "tail":
        return a[0][1:]
    if op == "append":
        seq_type = e.args[0].type
        if isinstance(seq_type, T.SeqType) and seq_type.bag:
            return tuple(T.sort_values(list(a[0]) + [a[1]]))
        return a[0] + (a[1],)
    if op == "count":
        return sum(1 for x in a[0] if x == a[1])
    if op == "enabled":  # ENABLED: some binding beginning with the given values has a step
        spec, k = env[SPEC], e.data.index
        return any(steps for (j, params), steps in binding_successors(spec, s)
                   if j == k and T.identical(params[:len(a)], tuple(a)))
    raise AssertionError(f"operator {op}")


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class _Definition:
    """`let x = e;`: `e` in the state and names where the `let` stands, not evaluated yet."""

    expr: ir.Expr
    state: State
    env: Env


@dataclass(frozen=True)
class _Path:
    """A partial execution of an action: the state so far and the names bound."""

    state: State
    env: Env


def _store(path: _Path, target: ir.Target, new: Any) -> State:
    """The state with `new` at `target` (undefined if it is outside the place's type)."""
    if not T.contains(target.type, new):
        raise Undefined(f"value {new!r} outside the domain {target.type}")
    keys = []
    for step in target.path:
        if step.kind == "field":
            keys.append(step.field_index)
        else:
            assert step.key is not None and isinstance(step.type, T.MapType)
            keys.append(_key_position(step.type.key, value(step.key, path.state, path.env)))

    def put(container: Any, rest: list[int]) -> Any:
        if not rest:
            return new
        i = rest[0]
        return container[:i] + (put(container[i], rest[1:]),) + container[i + 1:]

    slot = target.var.slot
    s = list(path.state)
    s[slot] = put(s[slot], keys)
    return tuple(s)


def _read(path: _Path, target: ir.Target) -> Any:
    v = path.state[target.var.slot]
    for step in target.path:
        if step.kind == "field":
            v = v[step.field_index]
        else:
            assert step.key is not None and isinstance(step.type, T.MapType)
            v = v[_key_position(step.type.key, value(step.key, path.state, path.env))]
    return v


def run(stmts: tuple[ir.Stmt, ...], path: _Path) -> Iterator[_Path]:
    """Every way the statements can run to their end from `path` (blocked ways give none)."""
    if not stmts:
        yield path
        return
    st, rest = stmts[0], stmts[1:]
    for after in _step(st, path):
        yield from run(rest, after)


def _step(st: ir.Stmt, path: _Path) -> Iterator[_Path]:
    s, env = path.state, path.env
    if isinstance(st, ir.Skip):
        yield path
    elif isinstance(st, ir.Assign):
        yield _Path(_store(path, st.target, value(st.value, s, env)), env)
    elif isinstance(st, ir.Let):
        yield _Path(s, {**env, st.var: _Definition(st.value, s, env)})
    elif isinstance(st, ir.Await):
        if value(st.cond, s, env):
            yield path
    elif isinstance(st, ir.If):
        for cond, body in st.branches:
            if value(cond, s, env):
                yield from _scoped(run(body, path), env)
                return
        yield from _scoped(run(st.else_, path), env)
    elif isinstance(st, ir.Either):
        for block in st.blocks:
            yield from _scoped(run(block, path), env)
    elif isinstance(st, ir.Choose):
        for x in T.sort_values(value(st.domain, s, env)):
            yield _Path(s, {**env, st.var: x})
    elif isinstance(st, ir.Send):
        chan = st.channel.type
        assert isinstance(chan, T.SeqType)
        item = value(st.value, s, env)
        if not T.contains(chan.elem, item):
            raise Undefined(f"value {item!r} outside the domain {chan.elem}")
        now = _read(path, st.channel)
        if len(now) < chan.capacity:
            new = tuple(T.sort_values(list(now) + [item])) if chan.bag else now + (item,)
            yield _Path(_store(path, st.channel, new), env)
    elif isinstance(st, ir.Receive):
        chan = st.channel.type
        assert isinstance(chan, T.SeqType)
        now = _read(path, st.channel)
        if chan.bag:
            for x in T.sort_values(set(now)):
                rest = list(now)
                rest.remove(x)
                yield _Path(_store(path, st.channel, tuple(rest)), {**env, st.var: x})
        elif now:
            yield _Path(_store(path, st.channel, now[1:]), {**env, st.var: now[0]})
    else:
        raise AssertionError(st)


def _scoped(paths: Iterator[_Path], env: Env) -> Iterator[_Path]:
    """Names bound inside a block are not visible after it."""
    for p in paths:
        yield _Path(p.state, env)


Binding = tuple[int, tuple[Any, ...]]  # an action (its index) and its parameters' values


def binding_successors(spec: ir.Spec, s: State) -> list[tuple[Binding, list[State]]]:
    """Each binding of each action with its successors of `s`, in order (raises `Undefined` if
    any way of any action is undefined)."""
    out = []
    for k, action in enumerate(spec.actions):
        for params in itertools.product(*[p.domain for p in action.params]):
            env = {p.name: v for p, v in zip(action.params, params)}
            steps: list[State] = []
            if action.guard is None or value(action.guard, s, env):
                steps = [p.state for p in run(action.body, _Path(s, env))]
            out.append(((k, tuple(params)), steps))
    return out


def successors(spec: ir.Spec, s: State) -> list[State]:
    """Every successor of `s` (raises `Undefined` if any way of any action is undefined)."""
    return [t for _, steps in binding_successors(spec, s) for t in steps]


def within(spec: ir.Spec, s: State) -> bool:
    """Whether `s` satisfies every state constraint (TLC keeps and expands only those)."""
    return all(value(c.expr, s, {SPEC: spec}) for c in spec.properties
               if c.kind == PropertyKind.CONSTRAINT)


def initial_states(spec: ir.Spec) -> list[State]:
    indexed = {name: index for name, index in spec.processes if index is not None}
    partial: list[State] = [()]
    for var in spec.vars:
        grown = []
        for s in partial:
            if var.process in indexed:
                keys = list(T.values(indexed[var.process]))  # type: ignore[arg-type]
                options = [_initial_values(var, s, {"self": k}) for k in keys]
                choices = [tuple(c) for c in itertools.product(*options)]
            else:
                choices = _initial_values(var, s, {})
            grown.extend(s + (c,) for c in choices)
        partial = grown
    for s in partial:
        for var, v in zip(spec.vars, s):
            if not T.contains(var.type, v):
                raise Undefined(f"initial value {v!r} of {var.name} outside its domain")
    return partial


def _initial_values(var: ir.StateVar, s: State, env: Env) -> list[Any]:
    v = value(var.init, s, env)
    return T.sort_values(v) if var.init_in else [v]


# ---------------------------------------------------------------- exploration


@dataclass
class Outcome:
    """What the reference finds within `levels` BFS levels."""

    states: set[State] = field(default_factory=set)  # kept (within the constraints)
    depth: int = 0
    shortest: dict[str, int] = field(default_factory=dict)  # property -> shortest length
    error_at: Optional[int] = None  # length of the shortest trace that ends in an error
    complete: bool = False  # every reachable state was expanded


ERROR = "EvaluationError"


def explore(spec: ir.Spec, levels: int, deadlock: bool) -> Outcome:
    """BFS within `levels` levels (the initial states are level 1), recording the shortest
    violation of every invariant, transition property and (if `deadlock`) deadlock, and the
    shortest evaluation error; the search stops at the first error, like a behaviour."""
    out = Outcome()
    invariants = [p for p in spec.properties if p.kind == PropertyKind.INVARIANT]
    transitions = [p for p in spec.properties if p.kind == PropertyKind.TRANSITION]
    scope = {SPEC: spec}

    # as `--continue` does, a property found violated is not evaluated again
    def check_state(s: State, length: int) -> None:
        for p in invariants:
            if p.name not in out.shortest and not value(p.expr, s, scope):
                out.shortest[p.name] = length

    def check_step(s: State, t: State, length: int) -> None:
        if s == t:
            return
        for p in transitions:
            if p.name not in out.shortest and not value(p.expr, s, scope, t):
                out.shortest[p.name] = length

    try:
        initial = initial_states(spec)
    except Undefined:
        out.error_at = 1
        return out
    frontier = []
    try:
        for s in initial:
            kept = within(spec, s)
            check_state(s, 1)
            if kept and s not in out.states:
                out.states.add(s)
                frontier.append(s)
    except Undefined:
        out.error_at = 1
        return out
    out.depth = 1
    length = 1
    while frontier:
        if length >= levels:
            return out
        following = []
        for s in frontier:
            try:
                succ = successors(spec, s)
            except Undefined:
                out.error_at = length
                return out
            if deadlock and not succ:
                out.shortest.setdefault("Deadlock", length)
            for t in succ:
                try:
                    kept = within(spec, t)
                    if kept and t in out.states:
                        check_step(s, t, length + 1)
                        continue
                    check_state(t, length + 1)
                    check_step(s, t, length + 1)
                except Undefined:
                    out.error_at = length + 1
                    return out
                if kept:
                    out.states.add(t)
                    following.append(t)
        frontier = following
        length += 1
        if frontier:
            out.depth = length
    out.complete = True
    return out
