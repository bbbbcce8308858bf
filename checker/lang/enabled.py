"""Type checking of `enabled(a)`, TLA+'s ENABLED: some step of the action is possible.

`enabled(a)` is about any binding of a's parameters, `enabled(a(1, x))` fixes the first ones,
`enabled(worker.claim)` is about any instance of a process's action and `enabled(worker[r].claim)`
about the instance `r`. It may be used in invariants, temporal properties and `reachable`
properties (not in actions: a guard about its own action would have no meaning).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker import errors
from checker.errors import Note, SpecError
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.lang import syntax as s
from checker.lang.scope import Scope

if TYPE_CHECKING:
    from checker.lang.expr_checker import ExprChecker


def enabled(checker: ExprChecker, e: s.Call, scope: Scope) -> ir.Expr:
    if not scope.enabled:
        raise SpecError(errors.NOT_CONSTANT if not scope.state else errors.TYPE_MISMATCH,
                        "`enabled(...)` may be used only in invariants, temporal and reachable "
                        "properties", e.span)
    if len(e.args) != 1:
        raise SpecError(errors.ARITY, "`enabled` takes one action: enabled(a), enabled(a(x))",
                        e.span)
    name, fixed = _target(e.args[0])
    if name is None or name not in checker.ns.actions:
        known = ", ".join(sorted(checker.ns.actions)) or "none"
        raise SpecError(errors.UNDEFINED, "`enabled` needs the name of an action", e.args[0].span,
                        [Note(f"actions: {known}")])
    k, action = checker.ns.actions[name]
    if len(fixed) > len(action.params):
        raise SpecError(errors.ARITY, f"'{name}' has {len(action.params)} parameter(s) "
                        f"(with `self` first in a process), {len(fixed)} given", e.span)
    args = tuple(checker.expect(x, scope, p.type, f"parameter '{p.name}'")
                 for x, p in zip(fixed, action.params))
    return ir.Op("enabled", args, T.BOOL, e.span, ir.EnabledRef(k, name, action.params))


def _target(e: s.Expr) -> tuple[str | None, tuple[s.Expr, ...]]:
    """`a`, `a(x, y)`, `worker.claim`, `worker[r].claim` -> the action's name, fixed arguments."""
    if isinstance(e, s.Name):
        return e.name, ()
    if isinstance(e, s.Call):
        return e.func, e.args
    if isinstance(e, s.Field):
        if isinstance(e.base, s.Name):
            return f"{e.base.name}.{e.name}", ()
        if isinstance(e.base, s.Index) and isinstance(e.base.base, s.Name):
            return f"{e.base.base.name}.{e.name}", (e.base.key,)
    return None, ()
