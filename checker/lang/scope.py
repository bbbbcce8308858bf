"""What names mean while a spec is type-checked: the declarations (`Namespace`) and the local
bindings and context of the expression being checked (`Scope`)."""

from __future__ import annotations

from enum import Enum, auto
from dataclasses import dataclass, field, replace
from typing import Optional

from checker import errors
from checker.ir import nodes as ir
from checker.lang import declarations as D
from checker.ir import types as T


@dataclass(frozen=True)
class ProcInfo:
    name: str
    index_name: Optional[str]
    index_type: Optional[T.Type]
    span: errors.Span


@dataclass
class Namespace:
    """Everything a name can resolve to, filled in by the declaration pass."""

    types: dict[str, T.Type] = field(default_factory=dict)
    members: dict[str, tuple[T.EnumType, int]] = field(default_factory=dict)
    constants: dict[str, ir.Constant] = field(default_factory=dict)
    vars: dict[str, ir.Var] = field(default_factory=dict)
    process_vars: dict[str, dict[str, ir.Var]] = field(default_factory=dict)
    processes: dict[str, ProcInfo] = field(default_factory=dict)
    defs: dict[str, D.Def] = field(default_factory=dict)
    def_process: dict[str, Optional[str]] = field(default_factory=dict)
    actions: dict[str, tuple[int, ir.Action]] = field(default_factory=dict)  # name -> index, IR

    def all_names(self) -> list[str]:
        return [*self.types, *self.members, *self.constants, *self.vars, *self.processes,
                *self.defs]


class Primes(Enum):
    """Whether primed variables (the next state) may appear where an expression is checked."""

    FORBIDDEN = auto()  # state predicates, guards, initial values
    ALLOWED = auto()  # transition properties
    INSIDE = auto()  # under a prime: every variable means its next-state value


@dataclass(frozen=True)
class Scope:
    locals: tuple[tuple[str, ir.Expr], ...] = ()
    process: Optional[ProcInfo] = None
    primes: Primes = Primes.FORBIDDEN
    state: bool = True  # may read state variables
    defs: tuple[str, ...] = ()  # operators being expanded (to refuse recursion)
    prime_context: str = "here"
    enabled: bool = False  # `enabled(a)` may be used (in properties, once the actions are known)

    def lookup(self, name: str) -> Optional[ir.Expr]:
        for bound, value in reversed(self.locals):
            if bound == name:
                return value
        return None

    def bind(self, name: str, value: ir.Expr) -> Scope:
        return replace(self, locals=self.locals + ((name, value),))
