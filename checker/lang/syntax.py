"""The syntax tree of a spec: frozen dataclasses whose `span` is ignored by equality."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from checker.errors import NO_SPAN as NO_SPAN, Span as Span  # syntax nodes carry spans
from checker.ir.kinds import Binder, FairnessKind, TemporalOp




def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not", "neg", "prime"
    arg: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # and or implies equiv eq ne lt le gt ge in notin union inter minus add sub mul div mod range
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Quant:
    kind: Binder  # forall or exists
    var: str
    domain: Expr
    body: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Index:
    base: Expr
    key: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Field:
    base: Expr
    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SetLit:
    elems: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SetComp:
    elem: Expr
    var: str
    domain: Expr
    cond: Optional[Expr]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class MapLit:
    var: str
    domain: Expr
    body: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class RecordLit:
    fields: tuple[tuple[str, Expr], ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SeqLit:
    elems: tuple[Expr, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Ite:
    cond: Expr
    then: Expr
    else_: Expr
    span: Span = _span()


Expr = Union[Name, IntLit, BoolLit, Unary, Binary, Quant, Index, Field, Call, SetLit, SetComp,
             MapLit, RecordLit, SeqLit, Ite]

# ---------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class TBool:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TInt:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TRange:
    lo: Expr
    hi: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TNamed:
    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TEnum:
    members: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TSet:
    elem: TypeExpr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TMap:
    key: TypeExpr
    value: TypeExpr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TSeq:
    elem: TypeExpr
    capacity: Expr
    bag: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TRecord:
    fields: tuple[tuple[str, TypeExpr], ...]
    span: Span = _span()


TypeExpr = Union[TBool, TInt, TRange, TNamed, TEnum, TSet, TMap, TSeq, TRecord]

# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Assign:
    target: Expr  # Name, Index or Field
    value: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class If:
    branches: tuple[tuple[Expr, Block], ...]
    else_: Optional[Block]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Either:
    blocks: tuple[Block, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Choose:
    var: str
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
    value: Expr
    channel: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Receive:
    var: str
    channel: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Skip:
    span: Span = _span()


Stmt = Union[Assign, If, Either, Choose, Let, Await, Send, Receive, Skip]


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span = _span()


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Import:
    path: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Const:
    name: str
    type: TypeExpr
    value: Expr
    where: Optional[Expr]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ConstAtoms:
    """`const Runs = {r1, r2};`: a finite set of symbolic values, which is also a type."""

    name: str
    atoms: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Switch:
    name: str
    type: TypeExpr
    value: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class EnumDecl:
    name: str
    members: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TypeDecl:
    name: str
    type: TypeExpr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class VarDecl:
    name: str
    type: TypeExpr
    init: Expr
    init_in: bool  # `var x: T in S` (any member of S) rather than `= e`
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Def:
    name: str
    params: tuple[str, ...]
    body: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    domain: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    params: tuple[Param, ...]
    guard: Optional[Expr]
    body: Block
    fairness: Optional[FairnessKind]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Process:
    name: str
    index: Optional[Param]
    vars: tuple[VarDecl, ...]
    actions: tuple[Action, ...]
    defs: tuple[Def, ...]
    fairness: Optional[FairnessKind]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Invariant:
    name: str
    doc: Optional[str]
    expr: Expr
    helper: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    doc: Optional[str]
    expr: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Constraint:
    name: str
    doc: Optional[str]
    expr: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class TemporalFormula:
    kind: TemporalOp
    left: Expr
    right: Optional[Expr] = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Temporal:
    name: str
    doc: Optional[str]
    formula: TemporalFormula
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SetOverride:
    """`set N = 4;`: override the value of a const or switch declared elsewhere."""

    name: str
    value: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class DeadlockSetting:
    check: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ContinueSetting:
    """`continue on;`: search on after a violation, as `--continue` does."""

    keep_going: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class FairnessDecl:
    kind: FairnessKind
    target: tuple[str, ...]
    span: Span = _span()


Decl = Union[Import, Const, ConstAtoms, Switch, EnumDecl, TypeDecl, VarDecl, Def, Action, Process,
             Invariant, Transition, Constraint, Temporal, SetOverride, DeadlockSetting,
             ContinueSetting, FairnessDecl]


@dataclass(frozen=True, slots=True)
class Module:
    name: Optional[str]
    decls: tuple[Decl, ...]
    path: str
    span: Span = _span()
