"""IR expressions back to spec-language text, with bound names replaced by their values.

Used by explain-why: `forall r in Runs: db[r] == lost` printed under the binding `r = r1` reads
`db[r1] == lost`. Operators (`def`s) are already expanded in the IR, so they print expanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from checker.ir.kinds import Binder
from checker.ir import nodes as ir
from checker.ir import types as T

# Binding strength, loosest first (as in grammar.lark).
_PREC = {"implies": 1, "equiv": 2, "or": 3, "and": 4, "not": 5,
         "eq": 6, "ne": 6, "lt": 6, "le": 6, "gt": 6, "ge": 6, "in": 6, "notin": 6,
         "union": 7, "inter": 7, "minus": 7, "range": 8, "add": 9, "sub": 9,
         "mul": 10, "div": 10, "mod": 10, "neg": 11}
_ATOM = 12
_SYMBOL = {"implies": "=>", "equiv": "<=>", "or": "or", "and": "and", "eq": "==", "ne": "!=",
           "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in", "notin": "not in",
           "union": "union", "inter": "inter", "minus": "minus", "range": "..", "add": "+",
           "sub": "-", "mul": "*", "div": "/", "mod": "%"}
_CALLS = {"min", "max", "abs", "card", "len", "head", "tail", "append", "count", "keys"}

Env = Mapping[str, tuple[T.Type, Any]]  # bound name -> (type, stored value)


@dataclass(frozen=True)
class Printer:
    """Prints expressions of one spec (it needs to know which variables belong to processes)."""

    spec: ir.Spec
    unprime: bool = False  # print `x` for `x'` (to name what a primed read reads)

    def text(self, e: ir.Expr, env: Env = {}) -> str:
        return self._show(e, env, 0)

    def _show(self, e: ir.Expr, env: Env, context: int) -> str:
        if isinstance(e, ir.Lit):
            return e.const or T.format_value(e.type, e.value)
        if isinstance(e, ir.Var):
            return e.name + ("'" if e.primed and not self.unprime else "")
        if isinstance(e, ir.Local):
            if e.name in env:
                t, v = env[e.name]
                return T.format_value(t, v)
            return e.name
        if isinstance(e, ir.Bind):
            return _wrap(self._bind(e, env), 0, context)
        return self._op(e, env, context)

    def _bind(self, e: ir.Bind, env: Env) -> str:
        inner = {k: v for k, v in env.items() if k != e.var}
        domain = self._show(e.domain, env, 0)
        body = self._show(e.body, inner, 0)
        if e.kind in (Binder.FORALL, Binder.EXISTS):
            return f"{e.kind} {e.var} in {domain}: {body}"
        if e.kind == Binder.SETCOMP:
            cond = f" if {self._show(e.cond, inner, 0)}" if e.cond is not None else ""
            return "{" + f"{body} for {e.var} in {domain}{cond}" + "}"
        return f"[{e.var} in {domain} |-> {body}]"

    def _op(self, e: ir.Op, env: Env, context: int) -> str:
        op, args = e.op, e.args
        if op in _SYMBOL:
            prec = _PREC[op]
            right_assoc = op == "implies"
            left = self._show(args[0], env, _context(op, args[0], prec + right_assoc))
            right = self._show(args[1], env, _context(op, args[1], prec + (not right_assoc)))
            sep = _SYMBOL[op] if op == "range" else f" {_SYMBOL[op]} "
            return _wrap(f"{left}{sep}{right}", prec, context)
        if op == "not":
            return _wrap(f"not {self._show(args[0], env, _PREC['not'])}", _PREC["not"], context)
        if op == "neg":
            return _wrap(f"-{self._show(args[0], env, _PREC['neg'])}", _PREC["neg"], context)
        if op == "index":
            return self._index(e, env)
        if op == "field":
            base_type = args[0].type
            name = base_type.fields[e.data][0] if isinstance(base_type, T.RecordType) else "?"
            return f"{self._show(args[0], env, _ATOM)}.{name}"
        if op == "ite":
            c, a, b = (self._show(x, env, 0) for x in args)
            return _wrap(f"if {c} then {a} else {b}", 0, context)
        return self._literal_or_call(e, env)

    def _index(self, e: ir.Op, env: Env) -> str:
        base, key = e.args
        key_text = self._show(key, env, 0)
        owner = self._indexed_owner(base)
        if owner is not None:
            assert isinstance(base, ir.Var)
            prime = "'" if base.primed and not self.unprime else ""
            local = base.name.partition(".")[2]
            return f"{owner}[{key_text}].{local}{prime}"
        return f"{self._show(base, env, _ATOM)}[{key_text}]"

    def _indexed_owner(self, base: ir.Expr) -> str | None:
        """`worker` when `base` is a variable of the indexed process `worker`."""
        if not isinstance(base, ir.Var):
            return None
        for v in self.spec.vars:
            if v.name == base.name and v.process is not None:
                indexed = dict(self.spec.processes).get(v.process) is not None
                return v.process if indexed else None
        return None

    def _literal_or_call(self, e: ir.Op, env: Env) -> str:
        items = [self._show(x, env, 0) for x in e.args]
        if e.op == "set":
            return "{" + ", ".join(items) + "}"
        if e.op == "seq":
            return "<<" + ", ".join(items) + ">>"
        if e.op == "record" and isinstance(e.type, T.RecordType):
            return "[" + ", ".join(f"{n}: {x}" for (n, _), x in zip(e.type.fields, items)) + "]"
        if e.op in _CALLS:
            return f"{e.op}({', '.join(items)})"
        return f"{e.op}({', '.join(items)})"


def _context(op: str, child: ir.Expr, context: int) -> int:
    """`(a and b) or c`: clearer with parentheses, though `and` binds tighter than `or`."""
    if op == "or" and isinstance(child, ir.Op) and child.op == "and":
        return _PREC["and"] + 1
    return context


def _wrap(text: str, prec: int, context: int) -> str:
    return f"({text})" if prec < context else text


def shorten(text: str, width: int = 110) -> str:
    """Cut long text in the middle of nothing in particular, marking the cut."""
    return text if len(text) <= width else text[:width - 3] + "..."
