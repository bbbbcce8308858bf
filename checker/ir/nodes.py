"""The typed intermediate representation that both semantics (explicit and Z3) consume.

The type checker produces it from the syntax tree: names are resolved (state variables to slots,
constants to literals, operators expanded), process-local variables are map-valued globals, and
every node carries its type and the span of the text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from checker.errors import NO_SPAN, Span
from checker.ir.kinds import Binder, ConstSource, FairnessKind, PathKind, PropertyKind, TemporalOp
from checker.ir.types import Type, Value


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Lit:
    """A constant, already in stored form. `const` names the constant it came from, if any."""

    value: Value
    type: Type
    span: Span = _span()
    const: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Var:
    slot: int
    name: str
    type: Type
    primed: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Local:
    """A bound name: quantifier variable, `let`, `choose`, `receive`, action parameter, `self`."""

    name: str
    type: Type
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Op:
    """An operator applied to arguments. `data` holds a field index or a key offset.

    ops: not neg and or implies equiv eq ne lt le gt ge add sub mul div mod in notin union inter
    minus range index seqindex field ite set seq record min max abs card len head tail append count keys
    """

    op: str
    args: tuple[Expr, ...]
    type: Type
    span: Span = _span()
    data: Any = None


@dataclass(frozen=True, slots=True)
class EnabledRef:
    """The `data` of an `enabled` Op: the action (its index in `Spec.actions`) whose first
    `len(args)` parameters are fixed by the Op's arguments; the others range over their domains."""

    index: int
    action: str
    params: tuple[Param, ...]


@dataclass(frozen=True, slots=True)
class Bind:
    """A binder: forall, exists, setcomp ({elem for var in domain if cond}), maplit."""

    kind: Binder
    var: str
    var_type: Type
    domain: Expr
    body: Expr
    cond: Optional[Expr]
    type: Type
    span: Span = _span()


Expr = Union[Lit, Var, Local, Op, Bind]


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step into a variable: `[key]` of a map (key offset in `offset`) or `.field` (index)."""

    kind: PathKind
    key: Optional[Expr]
    field_index: int
    offset: int
    type: Type  # the type of the container being stepped into


@dataclass(frozen=True, slots=True)
class Target:
    """An assignable place: a state variable and a path into it."""

    var: Var
    path: tuple[PathStep, ...]
    type: Type  # the type of the place itself
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Assign:
    target: Target
    value: Expr
    check: bool  # whether the value needs a run-time domain check
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class If:
    branches: tuple[tuple[Expr, tuple[Stmt, ...]], ...]
    else_: tuple[Stmt, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Either:
    blocks: tuple[tuple[Stmt, ...], ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Choose:
    var: str
    type: Type
    domain: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Let:
    var: str
    value: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Await:
    cond: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Send:
    channel: Target
    value: Expr
    check: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Receive:
    var: str
    channel: Target
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Skip:
    span: Span = _span()


Stmt = Union[Assign, If, Either, Choose, Let, Await, Send, Receive, Skip]


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True, slots=True)
class StateVar:
    name: str
    type: Type
    init: Expr  # a constant expression; with `init_in`, a set of initial values
    init_in: bool
    process: Optional[str]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: Type
    domain: tuple[Value, ...]  # evaluated, in order
    span: Span = _span()
    # the checked domain expression (`{1, T}`): `checkmodel prove` refuses a domain that
    # depends on a symbolic constant
    domain_expr: Optional[Expr] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Action:
    name: str  # "worker.claim" for a process action
    process: Optional[str]
    params: tuple[Param, ...]  # for an indexed process, `self` comes first
    guard: Optional[Expr]
    body: tuple[Stmt, ...]
    fairness: Optional[FairnessKind]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Property:
    """A named property: an invariant, transition property, constraint, temporal property or
    reachability witness."""

    name: str
    kind: PropertyKind
    doc: Optional[str]
    expr: Expr  # for temporal properties, the first operand
    helper: bool = False
    temporal: Optional[TemporalOp] = None
    right: Optional[Expr] = None  # second operand of leads_to
    span: Span = _span()
    # `forall p in Procs: eventually ...`: `expr`/`right` read each binder as a `Local`
    binders: tuple[PropertyBinder, ...] = ()


@dataclass(frozen=True, slots=True)
class PropertyBinder:
    """A name bound over a constant set for a whole temporal property (outermost first)."""

    var: str
    type: Type
    domain: Expr  # the checked domain expression, as written
    values: tuple[Value, ...]  # its value, in order
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Constant:
    """A `const` or `switch` with its chosen value and where that value came from."""

    name: str
    type: Type
    value: Value
    switch: bool
    where: Optional[Expr]
    source: ConstSource
    span: Span = _span()
    # the checked expression the value was computed from (`3 + NSteps * 2`): `checkmodel prove`
    # keeps a constant defined from others tied to them when they are symbolic
    definition: Optional[Expr] = field(default=None, compare=False, repr=False)
    # declared with `assume`: an environment assumption or a bound, printed with every verdict
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class Fairness:
    kind: FairnessKind
    actions: tuple[str, ...]  # the actions it covers
    span: Span = _span()
    process: Optional[str] = None  # set when a whole process is fair (per process instance)
    # `fair a or b;`: one condition on the group (every binding of every action in it), TLA+'s
    # WF_vars(A \/ B); otherwise a single action's condition is per binding of its parameters
    grouped: bool = False


@dataclass(frozen=True)
class Spec:
    name: str
    path: str
    vars: tuple[StateVar, ...]
    actions: tuple[Action, ...]
    properties: tuple[Property, ...]
    constants: tuple[Constant, ...]
    fairness: tuple[Fairness, ...]
    processes: tuple[tuple[str, Optional[Type]], ...]  # name and index type, in order
    check_deadlock: bool
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    keep_going: bool = False  # `continue on;`: search on after a violation by default
    # files merged in as if imported (`prove --helpers`): with `path`, the constants given on
    # the command line and `check_deadlock`, what `lang.frontend.reload` needs to load it again
    helpers: tuple[str, ...] = field(default=(), compare=False)

    def var_index(self, name: str) -> int:
        for i, v in enumerate(self.vars):
            if v.name == name:
                return i
        raise KeyError(name)

    def property(self, name: str) -> Property:
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(name)

    def action(self, name: str) -> Action:
        for a in self.actions:
            if a.name == name:
                return a
        raise KeyError(name)
