"""`checkmodel export --tla`: a spec as a TLA+ module and a TLC configuration of the same meaning.

The module declares the variables, defines the constants, `Init`, one operator per action (its
parameters, `self` first in a process, as operator parameters), `Next` as the disjunction of
the actions over their parameter domains, `Fairness`, `Spec`, and one definition per property;
the config names `Spec`, the invariants (with `Domains`, the variables' types, which checkmodel
checks on every assignment), the action and temporal properties, the constraints and the
deadlock setting. docs/tla.md gives the translation of each construct.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterator

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import FairnessKind, PropertyKind, TemporalOp
from checker.views.tla_actions import action_formula
from checker.views.tla_expr import Names, expr, fresh
from checker.views.tla_values import ident, in_domain, member, model_values, value

__all__ = ["TlaModule", "export", "ident"]

HELPERS = """Min(a, b) == IF a <= b THEN a ELSE b
Max(a, b) == IF a >= b THEN a ELSE b
Abs(a) == IF a < 0 THEN -a ELSE a
BagOf(s) == [e \\in {s[i] : i \\in 1..Len(s)} |-> Cardinality({i \\in 1..Len(s) : s[i] = e})]"""

OR = "\\/"
_TEMPORAL = {TemporalOp.EVENTUALLY: "<>", TemporalOp.ALWAYS: "[]",
             TemporalOp.ALWAYS_EVENTUALLY: "[]<>", TemporalOp.EVENTUALLY_ALWAYS: "<>[]"}


@dataclass(frozen=True)
class TlaModule:
    name: str  # the module name; the files are NAME.tla and NAME.cfg
    module: str
    config: str


def export(spec: ir.Spec) -> TlaModule:
    name = ident(spec.name)
    names = _names(spec)
    parts = [f"---- MODULE {name} ----",
             f"\\* Exported by checkmodel from {spec.path}; docs/tla.md gives the translation.",
             "EXTENDS Integers, Sequences, FiniteSets, Bags, TLC", ""]
    atoms = model_values(_enum_types(spec))
    if atoms:
        parts += [f"CONSTANTS {', '.join(atoms)}", ""]
    parts += [f"{ident(c.name)} == {value(c.type, c.value)}" for c in spec.constants]
    parts += [HELPERS, _rank(spec), ""]
    if spec.vars:
        parts += [f"VARIABLES {', '.join(ident(v.name) for v in spec.vars)}",
                  f"vars == <<{', '.join(ident(v.name) for v in spec.vars)}>>", "",
                  "Domains ==" + _conjunction(
                      [in_domain(v.type, ident(v.name)) for v in spec.vars]),
                  "", "Init ==" + _conjunction([_init(spec, v, names) for v in spec.vars]), ""]
    else:
        parts += ["vars == <<>>", "Domains == TRUE", "Init == TRUE", ""]
    for action in spec.actions:
        parts += [_action(spec, action, names), ""]
    parts += ["Next ==" + _disjunction([_call(a, names) for a in spec.actions]), "",
              "Fairness ==" + _conjunction([_fairness(spec, f, names) for f in spec.fairness]),
              "", "Spec == Init /\\ [][Next]_vars /\\ Fairness", ""]
    for prop in spec.properties:
        parts.append(_property(prop, names))
    parts.append("====")
    return TlaModule(name, "\n".join(p for p in parts if p is not None) + "\n", _config(spec))


# ---------------------------------------------------------------- names


def _names(spec: ir.Spec) -> Names:
    declared = {ident(v.name) for v in spec.vars} | {ident(c.name) for c in spec.constants}
    declared |= {ident(a.name) for a in spec.actions} | {ident(p.name) for p in spec.properties}
    return Names(constants=frozenset(c.name for c in spec.constants), globals=frozenset(declared))


def _walk(node: Any, seen: set[int]) -> Iterator[Any]:
    if id(node) in seen or isinstance(node, (str, int, float, bool, type(None), frozenset)):
        return
    seen.add(id(node))
    yield node
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            yield from _walk(getattr(node, f.name), seen)
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _walk(item, seen)


def _enum_types(spec: ir.Spec) -> list[T.EnumType]:
    """Every enumeration and symbolic set the spec's IR mentions, in order of appearance."""
    out: list[T.EnumType] = []
    roots = (spec.vars, spec.actions, spec.properties, spec.constants)
    for node in _walk(roots, set()):
        if isinstance(node, T.EnumType) and node not in out:
            out.append(node)
    return out


def _rank(spec: ir.Spec) -> str:
    """Rank(x): the position of an enumeration member, the order `choose` takes the first in."""
    cases = [f"x = {member(t, i)} -> {i}" for t in _enum_types(spec) for i in range(len(t.members))]
    if not cases:
        return "Rank(x) == 0"
    return "Rank(x) == CASE " + " [] ".join(cases) + " [] OTHER -> 0"


# ---------------------------------------------------------------- initial states and actions


def _init(spec: ir.Spec, var: ir.StateVar, names: Names) -> str:
    x = ident(var.name)
    index = dict(spec.processes).get(var.process) if var.process else None
    if index is None:
        return f"{x} \\in {expr(var.init, names)}" if var.init_in else \
            f"{x} = {expr(var.init, names)}"
    self_name = fresh("self", names)
    inner = names.bind("self", self_name)
    keys = value(T.SetType(index), frozenset(T.values(index)))
    init = expr(var.init, inner)
    if not var.init_in:
        return f"{x} = [{self_name} \\in {keys} |-> {init}]"
    every = f"UNION {{{init}: {self_name} \\in {keys}}}"
    return (f"{x} \\in {{f \\in [{keys} -> {every}]: "
            f"\\A {self_name} \\in {keys}: f[{self_name}] \\in {init}}}")


def _params(action: ir.Action, names: Names) -> tuple[list[str], Names]:
    out = []
    for p in action.params:
        name = fresh(p.name, names)
        names = names.bind(p.name, name)
        out.append(name)
    return out, names


def _action(spec: ir.Spec, action: ir.Action, names: Names) -> str:
    params, inner = _params(action, names)
    head = ident(action.name) + (f"({', '.join(params)})" if params else "")
    return f"{head} ==\n    {action_formula(spec, action, inner)}"


def _call(action: ir.Action, names: Names, bound: int = 0) -> str:
    """`\\E p \\in S: a(p)`, leaving the first `bound` parameters to an enclosing quantifier."""
    params, _ = _params(action, names)
    text = ident(action.name) + (f"({', '.join(params)})" if params else "")
    for p, name in reversed(list(zip(action.params, params))[bound:]):
        text = f"(\\E {name} \\in {value(T.SetType(p.type), frozenset(p.domain))}: {text})"
    return text


def _fairness(spec: ir.Spec, f: ir.Fairness, names: Names) -> str:
    wf = "SF_vars" if f.kind == FairnessKind.STRONG else "WF_vars"
    actions = [spec.action(a) for a in f.actions]
    index = dict(spec.processes).get(f.process) if f.process else None
    if f.process is not None and index is not None:
        # one condition per process instance, over all of its actions
        params, _ = _params(actions[0], names)
        keys = value(T.SetType(index), frozenset(T.values(index)))
        body = _inline(OR, [_call(a, names, bound=1) for a in actions], "FALSE")
        return f"\\A {params[0]} \\in {keys}: {wf}({body})"
    if len(actions) == 1 and f.process is None and not f.grouped:
        # one condition per binding of the action's parameters
        (a,) = actions
        params, _ = _params(a, names)
        text = f"{wf}({_call(a, names, bound=len(params))})"
        for p, name in reversed(list(zip(a.params, params))):
            text = f"\\A {name} \\in {value(T.SetType(p.type), frozenset(p.domain))}: {text}"
        return text
    return f"{wf}({_inline(OR, [_call(a, names) for a in actions], 'FALSE')})"


# ---------------------------------------------------------------- properties and config


def _property(prop: ir.Property, names: Names) -> str:
    name = ident(prop.name)
    doc = f"\\* {prop.doc}\n" if prop.doc else ""
    if prop.kind == PropertyKind.TRANSITION:
        return f"{doc}{name} == [][{expr(prop.expr, names)}]_vars\n"
    if prop.kind == PropertyKind.REACHABLE:
        return (f"{doc}\\* reachable: TLC finds a witness state by reporting this invariant "
                f"violated\n{name} == ~({expr(prop.expr, names)})\n")
    if prop.kind != PropertyKind.TEMPORAL:
        return f"{doc}{name} == {expr(prop.expr, names)}\n"
    inner, prefix = names, ""
    for b in prop.binders:
        var = fresh(b.var, inner)
        prefix += f"\\A {var} \\in {expr(b.domain, inner)}: "
        inner = inner.bind(b.var, var)
    left = expr(prop.expr, inner)
    if prop.temporal == TemporalOp.LEADS_TO:
        assert prop.right is not None
        body = f"({left} ~> {expr(prop.right, inner)})"
    else:
        assert prop.temporal is not None
        body = f"{_TEMPORAL[prop.temporal]}({left})"
    return f"{doc}{name} == {prefix}{body}\n"


def _config(spec: ir.Spec) -> str:
    lines = ["\\* TLC configuration exported by checkmodel (see docs/tla.md)", "SPECIFICATION Spec"]
    atoms = model_values(_enum_types(spec))
    if atoms:
        lines.append("CONSTANTS " + " ".join(f"{a} = {a}" for a in atoms))
    kinds = {PropertyKind.INVARIANT: "INVARIANT", PropertyKind.TRANSITION: "PROPERTY",
             PropertyKind.TEMPORAL: "PROPERTY", PropertyKind.CONSTRAINT: "CONSTRAINT"}
    lines.append("INVARIANT Domains")
    for prop in spec.properties:
        if prop.kind in kinds:
            lines.append(f"{kinds[prop.kind]} {ident(prop.name)}")
    for prop in spec.properties:
        if prop.kind == PropertyKind.REACHABLE:
            lines.append(f"\\* reachable {prop.name}: check `INVARIANT {ident(prop.name)}` "
                         "alone; a violation is a witness")
    lines.append(f"CHECK_DEADLOCK {'TRUE' if spec.check_deadlock else 'FALSE'}")
    return "\n".join(lines) + "\n"


def _conjunction(parts: list[str]) -> str:
    """The right side of a definition: a bulleted list, its bullets aligned (as TLA+ requires)."""
    return _bullets("/\\", parts, "TRUE")


def _disjunction(parts: list[str]) -> str:
    return _bullets("\\/", parts, "FALSE")


def _bullets(op: str, parts: list[str], empty: str) -> str:
    if len(parts) <= 1:
        return " " + (parts[0] if parts else empty)
    return "".join(f"\n    {op} {p}" for p in parts)


def _inline(op: str, parts: list[str], empty: str) -> str:
    """A conjunction or disjunction on one line, in parentheses (inside another formula)."""
    if len(parts) <= 1:
        return parts[0] if parts else empty
    return "(" + f" {op} ".join(parts) + ")"
