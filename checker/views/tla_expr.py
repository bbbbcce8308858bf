"""IR expressions as TLA+ text (used by `views.tla`).

`Names` says what a state variable reads as at this point of an action (its name, or the
LET-bound value an earlier assignment gave it) and what each bound name is called. Every
compound expression is parenthesised, so precedence never changes the meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import Binder
from checker.views.tla_values import ident, value

_INFIX = {"and": "/\\", "or": "\\/", "implies": "=>", "equiv": "<=>", "eq": "=", "ne": "#",
          "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "add": "+", "sub": "-", "mul": "*",
          "div": "\\div", "mod": "%", "in": "\\in", "notin": "\\notin", "union": "\\cup",
          "inter": "\\cap", "minus": "\\", "subseteq": "\\subseteq", "range": ".."}


@dataclass(frozen=True)
class Names:
    state: Mapping[int, str] = field(default_factory=dict)  # slot -> current value's text
    locals: Mapping[str, str] = field(default_factory=dict)  # bound name -> identifier
    constants: frozenset[str] = frozenset()  # constants the module defines by name
    globals: frozenset[str] = frozenset()  # every identifier the module declares or defines

    def bind(self, name: str, text: str) -> Names:
        return replace(self, locals={**self.locals, name: text})

    def local(self, name: str) -> str:
        return self.locals.get(name, ident(name))


def expr(e: ir.Expr, names: Names) -> str:
    if isinstance(e, ir.Lit):
        if e.const is not None and e.const in names.constants:
            return ident(e.const)
        return value(e.type, e.value)
    if isinstance(e, ir.Var):
        if e.primed:
            return ident(e.name) + "'"
        return names.state.get(e.slot, ident(e.name))
    if isinstance(e, ir.Local):
        return names.local(e.name)
    if isinstance(e, ir.Bind):
        return _bind(e, names)
    return _op(e, names)


def _op(e: ir.Op, names: Names) -> str:
    a = [expr(x, names) for x in e.args]
    op = e.op
    if op in ("in", "notin") and _is_bag(e.args[1].type):
        inside = f"BagIn({a[0]}, {a[1]})"
        return inside if op == "in" else f"(~{inside})"
    if op in ("in", "notin") and isinstance(e.args[1].type, T.SeqType):
        found = f"(\\E i_ \\in 1..Len({a[1]}): {a[1]}[i_] = {a[0]})"
        return found if op == "in" else f"(~{found})"
    if op in _INFIX:
        return f"({a[0]} {_INFIX[op]} {a[1]})"
    if op == "not":
        return f"(~{a[0]})"
    if op == "neg":
        return f"(-{a[0]})"
    if op in ("index", "seqindex"):
        return f"{a[0]}[{a[1]}]"
    if op == "field":
        record = e.args[0].type
        assert isinstance(record, T.RecordType)
        return f"{a[0]}.{ident(record.fields[e.data][0])}"
    if op == "ite":
        return f"(IF {a[0]} THEN {a[1]} ELSE {a[2]})"
    if op == "set":
        return "{" + ", ".join(a) + "}"
    if op == "seq":
        return f"BagOf(<<{', '.join(a)}>>)" if _is_bag(e.type) else f"<<{', '.join(a)}>>"
    if op == "record":
        assert isinstance(e.type, T.RecordType)
        return "[" + ", ".join(f"{ident(n)} |-> {x}" for (n, _), x in zip(e.type.fields, a)) + "]"
    if op in ("min", "max", "abs"):
        return f"{op.capitalize()}({', '.join(a)})"
    if op == "card":
        return f"Cardinality({a[0]})"
    if op == "len":
        return f"BagCardinality({a[0]})" if _is_bag(e.args[0].type) else f"Len({a[0]})"
    if op == "head":
        return f"Head({a[0]})"
    if op == "tail":
        return f"Tail({a[0]})"
    if op == "append":
        if _is_bag(e.args[0].type):
            return f"({a[0]} (+) SetToBag({{{a[1]}}}))"
        return f"Append({a[0]}, {a[1]})"
    if op == "count":
        return f"CopiesIn({a[1]}, {a[0]})"
    if op == "subset":
        return f"(SUBSET {a[0]})"
    if op == "enabled":
        return _enabled(e.data, a, names)
    raise ValueError(f"no TLA+ form for the operator {op}")


def _enabled(ref: ir.EnabledRef, fixed: list[str], names: Names) -> str:
    """`ENABLED (\\E q \\in Q: a(x, q))`: the free parameters range over their domains."""
    free = ref.params[len(fixed):]
    bound = [fresh(p.name, names) for p in free]
    args = fixed + bound
    text = ident(ref.action) + (f"({', '.join(args)})" if args else "")
    for p, name in reversed(list(zip(free, bound))):
        text = f"(\\E {name} \\in {value(T.SetType(p.type), frozenset(p.domain))}: {text})"
    return f"(ENABLED {text})"


def _is_bag(t: T.Type) -> bool:
    return isinstance(t, T.SeqType) and t.bag


def _bind(e: ir.Bind, names: Names) -> str:
    var = fresh(e.var, names)
    inner = names.bind(e.var, var)
    domain = expr(e.domain, names)
    body = expr(e.body, inner)
    if e.kind == Binder.FORALL:
        return f"(\\A {var} \\in {domain}: {body})"
    if e.kind == Binder.EXISTS:
        return f"(\\E {var} \\in {domain}: {body})"
    if e.kind == Binder.MAPLIT:
        return f"[{var} \\in {domain} |-> {body}]"
    if e.kind == Binder.SETCOMP:
        if e.cond is not None:
            domain = f"{{{var} \\in {domain}: {expr(e.cond, inner)}}}"
            if isinstance(e.body, ir.Local) and e.body.name == e.var:
                return domain
        return f"{{{body}: {var} \\in {domain}}}"
    return _choose(e, var, domain, body, names)


def _choose(e: ir.Bind, var: str, domain: str, body: str, names: Names) -> str:
    """checkmodel's `choose` takes the first member in the type's order: the same CHOOSE
    made deterministic by asking for the least (by number, or by declaration order)."""
    other = var + "_"
    later = expr(e.body, names.bind(e.var, other))
    if isinstance(e.var_type, T.IntType):
        least = f"{var} <= {other}"
    elif isinstance(e.var_type, T.EnumType):
        least = f"Rank({var}) <= Rank({other})"
    elif isinstance(e.var_type, T.BoolType):
        least = f"({var} => {other})"  # FALSE before TRUE
    else:
        return f"(CHOOSE {var} \\in {domain}: {body})"  # TLC's own order (docs/tla.md)
    return (f"(CHOOSE {var} \\in {domain}: {body} /\\ "
            f"\\A {other} \\in {domain}: {later} => {least})")


def fresh(name: str, names: Names) -> str:
    """A bound identifier that shadows nothing already bound (SANY forbids redeclaring)."""
    base = ident(name)
    taken = set(names.locals.values()) | set(names.state.values()) | names.globals
    out, k = base, 1
    while out in taken:
        k += 1
        out = f"{base}_{k}"
    return out
