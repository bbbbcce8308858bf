"""The declarations of a spec module (constants, variables, actions, processes, properties,
settings) and the module itself: frozen dataclasses whose `span` is ignored by equality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from checker.errors import Span
from checker.ir.kinds import FairnessKind, TemporalOp
from checker.lang.syntax import Block, Expr, TypeExpr, span_field


@dataclass(frozen=True, slots=True)
class Import:
    path: str
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Const:
    name: str
    type: TypeExpr
    value: Expr
    where: Optional[Expr]
    span: Span = span_field()
    assumed: bool = False  # `assume const`: a bound or an environment assumption


@dataclass(frozen=True, slots=True)
class ConstAtoms:
    """`const Runs = {r1, r2};`: a finite set of symbolic values, which is also a type."""

    name: str
    atoms: tuple[str, ...]
    span: Span = span_field()
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class Switch:
    name: str
    type: TypeExpr
    value: Expr
    span: Span = span_field()
    assumed: bool = False  # `assume switch`: an environment assumption


@dataclass(frozen=True, slots=True)
class EnumDecl:
    name: str
    members: tuple[str, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TypeDecl:
    name: str
    type: TypeExpr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class VarDecl:
    name: str
    type: TypeExpr
    init: Expr
    init_in: bool  # `var x: T in S` (any member of S) rather than `= e`
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Def:
    name: str
    params: tuple[str, ...]
    body: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    domain: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    params: tuple[Param, ...]
    guard: Optional[Expr]
    body: Block
    fairness: Optional[FairnessKind]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Process:
    name: str
    index: Optional[Param]
    vars: tuple[VarDecl, ...]
    actions: tuple[Action, ...]
    defs: tuple[Def, ...]
    fairness: Optional[FairnessKind]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Invariant:
    name: str
    doc: Optional[str]
    expr: Expr
    helper: bool
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    doc: Optional[str]
    expr: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Constraint:
    name: str
    doc: Optional[str]
    expr: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TemporalFormula:
    kind: TemporalOp
    left: Expr
    right: Optional[Expr] = None
    span: Span = span_field()
    # `forall p in Procs: eventually ...`: the bound names, outermost first
    binders: tuple[TemporalBinder, ...] = ()


@dataclass(frozen=True, slots=True)
class TemporalBinder:
    var: str
    domain: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Temporal:
    name: str
    doc: Optional[str]
    formula: TemporalFormula
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Reachable:
    """`reachable Name: P;`: some reachable state satisfies P (a witness must be found)."""

    name: str
    doc: Optional[str]
    expr: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class SetOverride:
    """`set N = 4;`: override the value of a const or switch declared elsewhere."""

    name: str
    value: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class DeadlockSetting:
    check: bool
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class ContinueSetting:
    """`continue on;`: search on after a violation, as `--continue` does."""

    keep_going: bool
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class FairnessDecl:
    kind: FairnessKind
    target: tuple[str, ...]
    span: Span = span_field()
    others: tuple[tuple[str, ...], ...] = ()  # `fair a or b or c;`: the group's other members


Decl = Union[Import, Const, ConstAtoms, Switch, EnumDecl, TypeDecl, VarDecl, Def, Action, Process,
             Invariant, Transition, Constraint, Temporal, Reachable, SetOverride,
             DeadlockSetting, ContinueSetting, FairnessDecl]


@dataclass(frozen=True, slots=True)
class Module:
    name: Optional[str]
    decls: tuple[Decl, ...]
    path: str
    span: Span = span_field()
