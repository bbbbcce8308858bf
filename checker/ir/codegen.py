"""IR expressions to Python source, and the run-time helpers that source calls.

Generated code reads a state as a tuple or list (`s[3]`), binds locals as `l_name`, and refers to
folded constants by name (`_k12`) in the namespace it is executed in.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from checker.errors import Span
from checker.ir.kinds import Binder
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.faults import Fault as Fault  # re-exported: generated code raises it
from checker.ir.faults import FaultSite


def _set(t: tuple[Any, ...], i: int, x: Any) -> tuple[Any, ...]:
    return t[:i] + (x,) + t[i + 1:]


def _bag_add(b: tuple[Any, ...], x: Any) -> tuple[Any, ...]:
    i = bisect.bisect_right(b, x)
    return b[:i] + (x,) + b[i:]


def _bag_remove(b: tuple[Any, ...], x: Any) -> tuple[Any, ...]:
    i = b.index(x)
    return b[:i] + b[i + 1:]


def _distinct(b: tuple[Any, ...]) -> list[Any]:
    return sorted(set(b))


def _sorted(s: Any) -> list[Any]:
    return T.sort_values(s)


def _powerset(s: frozenset[Any]) -> frozenset[frozenset[Any]]:
    items = list(s)
    return frozenset(frozenset(x for i, x in enumerate(items) if mask >> i & 1)
                     for mask in range(1 << len(items)))


def _first(site: int, found: Iterator[Any]) -> Any:
    """The first value `found` yields (`choose`), or an evaluation error if none."""
    for value in found:
        return value
    raise Fault(site, "`choose` found no element of the set that satisfies its condition")


def _raise(site: int, detail: str) -> Any:
    raise Fault(site, detail)


@dataclass(frozen=True)
class _Deferred:
    """The value of a `let` whose evaluation failed: the error is raised where it is used."""

    fault: Fault


def _force(value: Any) -> Any:
    if type(value) is _Deferred:
        raise value.fault
    return value


_FAULT_CALLS = ("_raise(", "_first(", "_force(")


def may_fault(source: str) -> bool:
    """Whether generated source can raise an evaluation error (every error goes through one
    of the helpers above)."""
    return any(call in source for call in _FAULT_CALLS)


def runtime_namespace() -> dict[str, Any]:
    return {"_set": _set, "_bag_add": _bag_add, "_bag_remove": _bag_remove,
            "_distinct": _distinct, "_sorted": _sorted,
            "_powerset": _powerset, "_first": _first, "_raise": _raise, "Fault": Fault,
            "_Deferred": _Deferred, "_force": _force,
            "frozenset": frozenset, "len": len, "min": min, "max": max, "abs": abs,
            "all": all, "any": any, "tuple": tuple, "range": range}


@dataclass
class Emitter:
    """Accumulates the constants and failure sites referenced by generated source."""

    namespace: dict[str, Any] = field(default_factory=runtime_namespace)
    sites: list[FaultSite] = field(default_factory=list)
    _const_names: dict[Any, str] = field(default_factory=dict)

    def const(self, value: Any) -> str:
        """A name for a constant value; equal values of different types never share one
        (`True == 1` and `(True,) == (1,)` in Python, see `types.typed_key`)."""
        if isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2 ** 62):
            return repr(value)
        try:
            key = T.typed_key(value)
            name = self._const_names.get(key)
        except TypeError:  # an unhashable helper object: never shared
            key, name = None, None
        if name is None:
            name = f"_const{len(self.namespace)}"
            self.namespace[name] = value
            if key is not None:
                self._const_names[key] = name
        return name

    def site(self, span: Optional[Span], domain: Optional[T.Type] = None) -> int:
        """A new fault site (see `FaultSite`); generated code raises `Fault` with its index."""
        self.sites.append(FaultSite(span, domain))
        return len(self.sites) - 1


@dataclass(frozen=True)
class Frame:
    """Where generated code finds the current state (`state`), the next one, and locals."""

    state: str = "s"
    next: Optional[str] = None
    locals: tuple[tuple[str, str], ...] = ()

    def local(self, name: str) -> str:
        for bound, py in reversed(self.locals):
            if bound == name:
                return py
        return "l_" + name

    def bind(self, name: str, py: Optional[str] = None) -> Frame:
        return Frame(self.state, self.next, self.locals + ((name, py or "l_" + name),))


def free_locals(e: ir.Expr) -> set[str]:
    if isinstance(e, ir.Local):
        return {e.name}
    if isinstance(e, ir.Op):
        out: set[str] = set()
        for a in e.args:
            out |= free_locals(a)
        return out
    if isinstance(e, ir.Bind):
        inner = free_locals(e.body) | (free_locals(e.cond) if e.cond else set())
        return free_locals(e.domain) | (inner - {e.var})
    return set()


def reads_state(e: ir.Expr) -> bool:
    if isinstance(e, ir.Var) or (isinstance(e, ir.Op) and e.op == "enabled"):
        return True
    if isinstance(e, ir.Op):
        return any(reads_state(a) for a in e.args)
    if isinstance(e, ir.Bind):
        return reads_state(e.domain) or reads_state(e.body) or (
            e.cond is not None and reads_state(e.cond))
    return False


def is_constant(e: ir.Expr) -> bool:
    return not reads_state(e) and not free_locals(e)


def evaluate(e: ir.Expr, em: Optional[Emitter] = None) -> Any:
    """The value of an expression that reads no state and no free locals."""
    em = em or Emitter()
    source = expr(e, Frame(), em, fold=False)
    return eval(source, em.namespace)  # noqa: S307 - source generated from the typed IR


_INFIX = {"and": "and", "or": "or", "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">",
          "ge": ">=", "add": "+", "sub": "-", "mul": "*", "mod": "%", "union": "|", "inter": "&",
          "minus": "-", "equiv": "=="}


def expr(e: ir.Expr, frame: Frame, em: Emitter, fold: bool = True) -> str:
    """Python source computing `e`."""
    if isinstance(e, ir.Lit):
        return em.const(e.value)
    if isinstance(e, ir.Var):
        if e.primed:
            assert frame.next is not None, "primed variable outside a transition property"
            return f"{frame.next}[{e.slot}]"
        return f"{frame.state}[{e.slot}]"
    if isinstance(e, ir.Local):
        return frame.local(e.name)
    if fold and not isinstance(e, ir.Lit) and is_constant(e):
        try:
            return em.const(evaluate(e, em))
        except Fault:
            pass  # `1 / 0`: left to run time, where the fault is reported where it happens
    if isinstance(e, ir.Bind):
        return _bind(e, frame, em)
    return _op(e, frame, em)


def _op(e: ir.Op, frame: Frame, em: Emitter) -> str:
    a = [expr(x, frame, em) for x in e.args]
    op = e.op
    if op == "mod":  # as division: undefined for 0 (a located error, not a ZeroDivisionError)
        site = em.site(e.span)
        return f"({a[0]} % {a[1]} if {a[1]} else _raise({site}, 'modulo by zero'))"
    if op in _INFIX:
        return f"({a[0]} {_INFIX[op]} {a[1]})"
    if op == "not":
        return f"(not {a[0]})"
    if op == "neg":
        return f"(-{a[0]})"
    if op == "implies":
        return f"((not {a[0]}) or {a[1]})"
    if op == "div":
        site = em.site(e.span)
        return f"({a[0]} // {a[1]} if {a[1]} else _raise({site}, 'division by zero'))"
    if op in ("in", "notin"):
        right = e.args[1]
        neg = "not " if op == "notin" else ""
        if isinstance(right, ir.Op) and right.op == "range" and not is_constant(right):
            lo, hi = (expr(x, frame, em) for x in right.args)
            return f"({neg}({lo} <= {a[0]} <= {hi}))"
        return f"({a[0]} {neg}in {a[1]})"
    if op == "range":
        return f"frozenset(range({a[0]}, {a[1]} + 1))"
    if op == "enabled":  # `_enabled` is the compiled system's (explicit/compile.py)
        return f"_enabled({e.data.index}, {frame.state}, ({''.join(x + ', ' for x in a)}))"
    if op == "subseteq":
        return f"({a[0]} <= {a[1]})"
    if op == "subset":
        return f"_powerset({a[0]})"
    if op == "index":
        offset, checked, size = e.data
        key = f"{a[1]} - {offset}" if offset else a[1]
        if not checked:
            return f"{a[0]}[{key}]"
        site = em.site(e.span)
        return (f"(lambda _m, _i: _m[_i] if 0 <= _i < {size} else "
                f"_raise({site}, 'key ' + str(_i + {offset}) + ' outside the map domain'))"
                f"({a[0]}, {key})")
    if op == "seqindex":  # 1-based, as in TLA+
        site = em.site(e.span)
        return (f"(lambda _q, _i: _q[_i - 1] if 1 <= _i <= len(_q) else "
                f"_raise({site}, 'position ' + str(_i) + ' outside a sequence of length ' "
                f"+ str(len(_q))))({a[0]}, {a[1]})")
    if op == "field":
        return f"{a[0]}[{e.data}]"
    if op == "ite":
        return f"({a[1]} if {a[0]} else {a[2]})"
    if op == "set":
        return f"frozenset(({''.join(x + ', ' for x in a)}))"
    if op in ("seq", "record"):
        if isinstance(e.type, T.SeqType) and e.type.bag:
            return f"tuple(sorted(({''.join(x + ', ' for x in a)})))"
        return f"({''.join(x + ', ' for x in a)})"
    if op in ("min", "max", "abs"):
        return f"{op}({', '.join(a)})"
    if op in ("card", "len"):
        return f"len({a[0]})"
    if op == "head":
        site = em.site(e.span)
        return f"({a[0]}[0] if {a[0]} else _raise({site}, 'head of an empty sequence'))"
    if op == "tail":
        return f"{a[0]}[1:]"
    if op == "append":
        seq_type = e.args[0].type
        if isinstance(seq_type, T.SeqType) and seq_type.bag:
            return f"_bag_add({a[0]}, {a[1]})"
        return f"({a[0]} + ({a[1]},))"
    if op == "count":
        return f"{a[0]}.count({a[1]})"
    raise AssertionError(f"unknown operator {op}")


_UNROLL_LIMIT = 16  # quantifiers over constant domains of at most this size are unrolled


def _bind(e: ir.Bind, frame: Frame, em: Emitter) -> str:
    if e.kind in (Binder.FORALL, Binder.EXISTS) and is_constant(e.domain):
        domain_values = T.sort_values(evaluate(e.domain, em))
        if len(domain_values) <= _UNROLL_LIMIT:
            if not domain_values:
                return "True" if e.kind == Binder.FORALL else "False"
            joiner = " and " if e.kind == Binder.FORALL else " or "
            return "(" + joiner.join(
                f"({expr(e.body, frame.bind(e.var, em.const(v)), em)})"
                for v in domain_values) + ")"
    inner = frame.bind(e.var)
    var = inner.local(e.var)
    domain = expr(e.domain, frame, em)
    body = expr(e.body, inner, em)
    if e.kind == Binder.FORALL:
        return f"all({body} for {var} in {domain})"
    if e.kind == Binder.EXISTS:
        return f"any({body} for {var} in {domain})"
    if e.kind == Binder.SETCOMP:
        cond = f" if {expr(e.cond, inner, em)}" if e.cond is not None else ""
        return f"frozenset({body} for {var} in {domain}{cond})"
    if e.kind == Binder.CHOOSE:  # the first in the type's order, as TLC's CHOOSE
        return f"_first({em.site(e.span)}, ({var} for {var} in _sorted({domain}) if {body}))"
    if e.kind == Binder.MAPLIT:
        ordered = em.const(tuple(T.values(e.var_type)))
        return f"tuple({body} for {var} in {ordered})"
    raise AssertionError(f"unknown binder {e.kind}")
