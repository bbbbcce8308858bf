"""The syntax tree of a spec's expressions, types and statements: frozen dataclasses whose `span`
is ignored by equality. Declarations and modules are in `checker.lang.declarations`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from checker.errors import NO_SPAN, Span
from checker.ir.kinds import Binder


def span_field() -> Span:
    """A `span` field that equality and repr ignore."""
    return field(default=NO_SPAN, compare=False, repr=False)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not", "neg", "prime", "subset" (the set of all subsets)
    arg: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # and or implies equiv eq ne lt le gt ge in notin union inter minus add sub mul div mod range
    left: Expr
    right: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Quant:
    kind: Binder  # forall, exists, or choose (`choose x in S: P`, TLA+'s CHOOSE)
    var: str
    domain: Expr
    body: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Index:
    base: Expr
    key: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Field:
    base: Expr
    name: str
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class SetLit:
    elems: tuple[Expr, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class SetComp:
    elem: Expr
    var: str
    domain: Expr
    cond: Optional[Expr]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class MapLit:
    var: str
    domain: Expr
    body: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class RecordLit:
    fields: tuple[tuple[str, Expr], ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class SeqLit:
    elems: tuple[Expr, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Ite:
    cond: Expr
    then: Expr
    else_: Expr
    span: Span = span_field()


Expr = Union[Name, IntLit, BoolLit, Unary, Binary, Quant, Index, Field, Call, SetLit, SetComp,
             MapLit, RecordLit, SeqLit, Ite]

# ---------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class TBool:
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TInt:
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TRange:
    lo: Expr
    hi: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TNamed:
    name: str
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TEnum:
    members: tuple[str, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TSet:
    elem: TypeExpr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TMap:
    key: TypeExpr
    value: TypeExpr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TSeq:
    elem: TypeExpr
    capacity: Expr
    bag: bool = False
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class TRecord:
    fields: tuple[tuple[str, TypeExpr], ...]
    span: Span = span_field()


TypeExpr = Union[TBool, TInt, TRange, TNamed, TEnum, TSet, TMap, TSeq, TRecord]

# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Assign:
    target: Expr  # Name, Index or Field
    value: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class If:
    branches: tuple[tuple[Expr, Block], ...]
    else_: Optional[Block]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Either:
    blocks: tuple[Block, ...]
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Choose:
    var: str
    domain: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Let:
    var: str
    value: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Await:
    cond: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Send:
    value: Expr
    channel: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Receive:
    var: str
    channel: Expr
    span: Span = span_field()


@dataclass(frozen=True, slots=True)
class Skip:
    span: Span = span_field()


Stmt = Union[Assign, If, Either, Choose, Let, Await, Send, Receive, Skip]


@dataclass(frozen=True, slots=True)
class Block:
    stmts: tuple[Stmt, ...]
    span: Span = span_field()
