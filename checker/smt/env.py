"""Where an expression is evaluated (`Env`), and the evaluation errors found on the way
(`FaultSite`); `unsupported` is the located E500 error for what the encoding cannot express."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional, Sequence

import z3

from checker import errors
from checker.errors import Span, SpecError
from checker.ir import types as T
from checker.smt.values import Sym, conj


@dataclass(frozen=True)
class FaultSite:
    """An evaluation error the explicit semantics would raise when `when` holds."""

    when: z3.BoolRef
    message: str
    span: Span


@dataclass(frozen=True)
class Local:
    name: str
    value: Sym
    type: T.Type
    # `let`: the errors its value may raise, raised where the name is used (TLA+'s LET)
    faults: tuple[FaultSite, ...] = ()


@dataclass(frozen=True)
class Env:
    """Where an expression is evaluated: the state(s), bound names, and when it is reached."""

    state: Sequence[Sym]
    next: Optional[Sequence[Sym]]
    locals: tuple[Local, ...]
    guard: z3.BoolRef
    faults: list[FaultSite]

    def bind(self, name: str, value: Sym, t: T.Type) -> Env:
        return replace(self, locals=self.locals + (Local(name, value, t),))

    def guarded(self, cond: Any) -> Env:
        return replace(self, guard=conj([self.guard, cond]))

    def lookup(self, name: str) -> Local:
        for local in reversed(self.locals):
            if local.name == name:
                return local
        raise KeyError(name)


def unsupported(what: str, span: Optional[Span]) -> SpecError:
    return SpecError(errors.UNSUPPORTED, f"the Z3 encoding cannot express {what}", span)
