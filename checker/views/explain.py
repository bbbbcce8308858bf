"""Explain-why: the part of a violated property that is false, with the values it read.

A small evaluator walks the property's IR on the violating state (an invariant) or step (a
transition property) and follows the reason for its value: the conjunct that is false, the
quantifier binding that fails, the premise that holds and the conclusion that does not. At the
leaves (comparisons, membership, ...) it names the state it read: `db[r1] = lost`. Leaf values
are computed by the checker's own code generator (`checker.codegen`), so an explanation evaluates
exactly what the search evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional, Sequence

from checker.ir.kinds import Binder, PropertyKind
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.explicit.check import CheckResult
from checker.explicit.search import Violation
from checker.ir import types as T
from checker.ir.printer import Env, Printer, shorten
from checker.explicit.system import State
from checker.trace.trace import Trace

MAX_DEPTH = 12  # nested reasons shown before "..."
MAX_WITNESSES = 3  # bindings shown when an `exists` has none that holds


@dataclass(frozen=True)
class Explanation:
    property: str
    kind: str  # invariant | transition
    where: str  # "in state 3" or "on the step from state 6 to state 7 (server.handle)"
    lines: tuple[str, ...]  # the reasons, indented two spaces per level
    summary: str  # "db[r1] was lost and is now success"

    def text(self) -> list[str]:
        out = [f"Why {self.property} fails {self.where}:"]
        out += ["  " + line for line in self.lines]
        if self.summary:
            out.append(f"  In short: {self.summary}.")
        return out


@dataclass
class _Context:
    """One explanation in progress: the states, printers, and the reads met on the way."""

    spec: ir.Spec
    old: State
    new: Optional[State]
    reads: list[tuple[str, bool, str]] = field(default_factory=list)  # text, primed, value

    @property
    def printer(self) -> Printer:
        return Printer(self.spec)

    def value(self, e: ir.Expr, env: Env) -> Any:
        """The stored value of an expression under bindings (compiled like the checker does)."""
        names = tuple((name, f"_b{i}") for i, name in enumerate(env))
        emitter = codegen.Emitter()
        source = codegen.expr(e, codegen.Frame("_s", "_t", names), emitter)
        namespace = dict(emitter.namespace, _s=self.old, _t=self.new)
        for (name, py) in names:
            namespace[py] = env[name][1]
        return eval(source, namespace)  # noqa: S307 - source generated from the typed IR


def explain(spec: ir.Spec, prop: ir.Property, states: Sequence[State],
            actions: Sequence[Optional[str]] = ()) -> Optional[Explanation]:
    """Why `prop` is false at the end of `states` (a trace); None for other kinds of property.

    `actions` may name the action of each state (as in a `Trace`), for the heading.
    """
    if prop.kind not in (PropertyKind.INVARIANT, PropertyKind.TRANSITION) or not states:
        return None
    if prop.kind == PropertyKind.TRANSITION and len(states) < 2:
        return None
    k = len(states)
    if prop.kind == PropertyKind.INVARIANT:
        ctx = _Context(spec, states[-1], None)
        where = f"in state {k}"
    else:
        ctx = _Context(spec, states[-2], states[-1])
        where = f"on the step from state {k - 1} to state {k}"
    if len(actions) >= k and actions[k - 1]:
        where += f" ({actions[k - 1]})"
    actual = bool(ctx.value(prop.expr, {}))
    lines = _why(ctx, prop.expr, {}, actual, "", 0)
    return Explanation(prop.name, prop.kind, where, tuple(lines), _summary(ctx))


# ---------------------------------------------------------------- the walk


def _why(ctx: _Context, e: ir.Expr, env: Env, actual: bool, role: str, depth: int) -> list[str]:
    """Lines saying why `e` has the value `actual` (a bool), most general first."""
    indent = "  " * depth
    head = f"{indent}{role}{shorten(ctx.printer.text(e, env))}  {_verdict(actual)}"
    if depth >= MAX_DEPTH:
        return [head, indent + "  ..."]
    if isinstance(e, ir.Bind) and e.kind in (Binder.FORALL, Binder.EXISTS):
        return [head] + _quantifier(ctx, e, env, actual, depth + 1)
    if isinstance(e, ir.Op) and e.op in ("and", "or"):
        return [head] + _junction(ctx, e, env, actual, depth + 1)
    if isinstance(e, ir.Op) and e.op == "implies":
        return [head] + _implication(ctx, e, env, actual, depth + 1)
    if isinstance(e, ir.Op) and e.op == "not":
        return [head] + _why(ctx, e.args[0], env, not actual, "", depth + 1)
    if isinstance(e, ir.Op) and e.op == "ite":
        cond = bool(ctx.value(e.args[0], env))
        return ([head] + _why(ctx, e.args[0], env, cond, "condition: ", depth + 1)
                + _why(ctx, e.args[1 if cond else 2], env, actual,
                       "then: " if cond else "else: ", depth + 1))
    reads = _reads_text(ctx, e, env)
    if len(head) + len(reads) + 4 <= 110:
        return [head + (f"  ({reads})" if reads else "")]
    return [head, f"{indent}  where {reads}"]


def _verdict(actual: bool) -> str:
    return "holds" if actual else "is false"


def _quantifier(ctx: _Context, e: ir.Bind, env: Env, actual: bool, depth: int) -> list[str]:
    """A false forall or a true exists: its first witness. Otherwise every binding agrees, and
    the first few are shown."""
    domain = T.sort_values(ctx.value(e.domain, env))
    indent = "  " * depth
    bindings = [_bind(env, e, v) for v in domain]
    if (e.kind == Binder.FORALL) != actual:
        for inner in bindings:
            if bool(ctx.value(e.body, inner)) == actual:
                return _why(ctx, e.body, inner, actual, _binding_role(e, inner), depth)
    if not domain:
        return [f"{indent}({e.var} ranges over the empty set)"]
    lines: list[str] = []
    for inner in bindings[:MAX_WITNESSES]:
        lines += _why(ctx, e.body, inner, actual, _binding_role(e, inner), depth)
    if len(bindings) > MAX_WITNESSES:
        more = len(bindings) - MAX_WITNESSES
        lines.append(f"{indent}... and {more} more value{'s' if more > 1 else ''} of {e.var}")
    return lines


def _bind(env: Env, e: ir.Bind, value: Any) -> Env:
    inner = dict(env)
    inner[e.var] = (e.var_type, value)
    return inner


def _binding_role(e: ir.Bind, env: Env) -> str:
    t, v = env[e.var]
    return f"for {e.var} = {T.format_value(t, v)}: "


def _flatten(e: ir.Expr, op: str) -> list[ir.Expr]:
    if isinstance(e, ir.Op) and e.op == op:
        return _flatten(e.args[0], op) + _flatten(e.args[1], op)
    return [e]


def _junction(ctx: _Context, e: ir.Op, env: Env, actual: bool, depth: int) -> list[str]:
    parts = _flatten(e, e.op)
    word = "conjunct" if e.op == "and" else "disjunct"
    values = [bool(ctx.value(p, env)) for p in parts]
    decisive = (e.op == "and") != actual  # a false `and` or a true `or`: the first one decides
    chosen = [i for i, v in enumerate(values) if v == actual] if decisive else list(
        range(len(parts)))
    if decisive:
        chosen = chosen[:1]
    lines: list[str] = []
    for i in chosen:
        lines += _why(ctx, parts[i], env, values[i], f"{word} {i + 1} of {len(parts)}: ",
                      depth)
    return lines


def _implication(ctx: _Context, e: ir.Op, env: Env, actual: bool, depth: int) -> list[str]:
    premise, conclusion = e.args
    p = bool(ctx.value(premise, env))
    if actual and not p:
        return _why(ctx, premise, env, False, "premise: ", depth)
    lines = _why(ctx, premise, env, True, "premise: ", depth)
    return lines + _why(ctx, conclusion, env, actual, "conclusion: ", depth)


# ---------------------------------------------------------------- reads


def _is_path(e: ir.Expr, env: Env) -> bool:
    """A state variable, or a key or field of one, with keys that need no further state."""
    if isinstance(e, ir.Var):
        return True
    if isinstance(e, ir.Op) and e.op == "index":
        key = e.args[1]
        return (_is_path(e.args[0], env) and not codegen.reads_state(key)
                and codegen.free_locals(key) <= set(env))
    if isinstance(e, ir.Op) and e.op == "field":
        return _is_path(e.args[0], env)
    return False


def _paths(e: ir.Expr, env: Env) -> list[ir.Expr]:
    """The state reads of an expression, outermost first, in reading order."""
    if _is_path(e, env):
        return [e]
    if isinstance(e, ir.Op):
        return [p for a in e.args for p in _paths(a, env)]
    if isinstance(e, ir.Bind):
        return _paths(e.domain, env)
    return []


_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "notin")
_SIZES = ("card", "len")


def _worth_showing(a: ir.Expr, env: Env) -> bool:
    """A computed value that reads the state or bound names (not a literal, not a plain read)."""
    return (not isinstance(a, (ir.Lit, ir.Local)) and not _is_path(a, env)
            and codegen.free_locals(a) <= set(env)
            and (codegen.reads_state(a) or bool(codegen.free_locals(a))))


def _operands(e: ir.Expr, env: Env) -> list[ir.Expr]:
    """Operands of a comparison worth a value of their own, and what `card`/`len` count."""
    if not (isinstance(e, ir.Op) and e.op in _COMPARISONS):
        return []
    out: list[ir.Expr] = []
    for a in e.args:
        if isinstance(a, ir.Op) and a.op in _SIZES and _worth_showing(a.args[0], env):
            out.append(a.args[0])  # what is counted says more than the count
        elif _worth_showing(a, env):
            out.append(a)
    return out


def _reads_primed(e: ir.Expr) -> bool:
    if isinstance(e, ir.Var):
        return e.primed
    if isinstance(e, ir.Op):
        return any(_reads_primed(a) for a in e.args)
    if isinstance(e, ir.Bind):
        return any(_reads_primed(x) for x in (e.domain, e.body, e.cond) if x is not None)
    return False


def _reads_text(ctx: _Context, e: ir.Expr, env: Env) -> str:
    """`db[r1] = lost, ...`: the values a leaf read; each is remembered for the summary."""
    shown: list[str] = []
    plain = Printer(ctx.spec, unprime=True)
    for read in _operands(e, env) + _paths(e, env):
        value = T.format_value(read.type, ctx.value(read, env))
        ctx.reads.append((_grouped(plain.text(read, env)), _reads_primed(read), value))
        item = f"{_grouped(ctx.printer.text(read, env))} = {shorten(value, 60)}"
        if item not in shown:
            shown.append(item)
    return ", ".join(shown)


def _grouped(text: str) -> str:
    """`(if c then a else b)`: parentheses around a compound operand before `= value`."""
    simple = " " not in text or text.startswith(("{", "[", "<<")) and text.endswith(
        ("}", "]", ">>"))
    return text if simple else f"({text})"


def _summary(ctx: _Context) -> str:
    """`db[r1] was lost and is now success` from the reads met along the way."""
    order: list[str] = []
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    for text, primed, value in ctx.reads:
        if text not in order:
            order.append(text)
        (new if primed else old).setdefault(text, value)
    parts = []
    for text in order:
        if ctx.new is None:
            parts.append(f"{text} is {shorten(old[text], 60)}")
        elif text in old and text in new:
            parts.append(f"{text} was {shorten(old[text], 60)} and is now {shorten(new[text], 60)}")
        elif text in old:
            parts.append(f"{text} was {shorten(old[text], 60)}")
        else:
            parts.append(f"{text} is now {shorten(new[text], 60)}")
    return "; ".join(parts)


def explain_violation(res: CheckResult, violation: Violation) -> Optional[Explanation]:
    """The explanation of one violation found by a check (None for deadlocks and lassos)."""
    if violation.property is None:
        return None
    states = violation.states(res.search.graph)
    actions = [None] + [res.system.label_text(res.system.label_between(a, b))
                        for a, b in zip(states, states[1:])]
    return explain(res.spec, violation.property, states, actions)


def annotate(res: CheckResult) -> list[Trace]:
    """The result's traces, each violation's with its explanation attached (for ITF files)."""
    traces = list(res.traces)
    for i, violation in enumerate(res.search.violations[:len(traces)]):
        found = explain_violation(res, violation)
        if found is not None:
            traces[i] = replace(traces[i], explanation=tuple(found.text()))
    return traces
