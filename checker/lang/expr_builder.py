"""Lark's parse tree to syntax nodes for types, statements and expressions (`checker.lang.syntax`);
`tree_builder` adds declarations and walks the tree."""

from __future__ import annotations

from typing import Any

from lark import Token

from checker import errors
from checker.ir.kinds import Binder
from checker.lang import syntax as s

# Rules of associative operators (grammar alias -> operator); their chains are built balanced.
ASSOCIATIVE = {"or_": "or", "and_": "and", "union": "union", "inter": "inter", "add": "add",
               "mul": "mul"}
_GROUP = 8


def token_text(token: Token) -> str:
    return str(token)



class ExprBuilder:
    """Each method named after a grammar rule gets the node's meta (positions) and its children,
    already built, and returns the syntax node."""

    def __init__(self, path: str):
        self.path = path

    def _span(self, meta: Any) -> errors.Span:
        if getattr(meta, "empty", True):
            return errors.NO_SPAN
        return errors.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> errors.Span:
        return errors.Span(self.path, token.line or 0, token.column or 0, token.end_line or 0,
                      token.end_column or 0)


    def _balanced(self, op: str, operands: list[s.Expr], span: errors.Span) -> s.Expr:
        """`a op b op c ...` for an associative `op`: left-nested as written up to _GROUP
        operands (so it prints as written), a balanced tree of such groups beyond."""
        if len(operands) <= _GROUP:
            out = operands[0]
            for right in operands[1:]:
                out = s.Binary(op, out, right, _joined(out.span, right.span, span))
            return out
        mid = len(operands) // 2
        left = self._balanced(op, operands[:mid], span)
        right = self._balanced(op, operands[mid:], span)
        return s.Binary(op, left, right, _joined(left.span, right.span, span))

    # ------------------------------------------------------------ types
    def t_bool(self, meta: Any, c: list[Any]) -> s.TBool:
        return s.TBool(self._span(meta))

    def t_int(self, meta: Any, c: list[Any]) -> s.TInt:
        return s.TInt(self._span(meta))

    def t_range(self, meta: Any, c: list[Any]) -> s.TRange:
        return s.TRange(c[0], c[1], self._span(meta))

    def t_named(self, meta: Any, c: list[Any]) -> s.TNamed:
        return s.TNamed(token_text(c[0]), self._span(meta))

    def t_enum(self, meta: Any, c: list[Any]) -> s.TEnum:
        return s.TEnum(c[0], self._span(meta))

    def t_set(self, meta: Any, c: list[Any]) -> s.TSet:
        return s.TSet(c[0], self._span(meta))

    def t_map(self, meta: Any, c: list[Any]) -> s.TMap:
        return s.TMap(c[0], c[1], self._span(meta))

    def t_seq(self, meta: Any, c: list[Any]) -> s.TSeq:
        return s.TSeq(c[0], c[1], False, self._span(meta))

    def t_bag(self, meta: Any, c: list[Any]) -> s.TSeq:
        return s.TSeq(c[0], c[1], True, self._span(meta))

    def t_record(self, meta: Any, c: list[Any]) -> s.TRecord:
        return s.TRecord(tuple(c), self._span(meta))

    def field_type(self, meta: Any, c: list[Any]) -> tuple[str, s.TypeExpr]:
        return (token_text(c[0]), c[1])

    def neg_int_lit(self, meta: Any, c: list[Any]) -> s.IntLit:
        return s.IntLit(-int(c[0]), self._span(meta))

    # ------------------------------------------------------------ statements
    def block(self, meta: Any, c: list[Any]) -> s.Block:
        return s.Block(tuple(c), self._span(meta))

    def s_assign(self, meta: Any, c: list[Any]) -> s.Assign:
        return s.Assign(c[0], c[1], self._span(meta))

    def s_if(self, meta: Any, c: list[Any]) -> s.If:
        branches = [(c[0], c[1])]
        else_block = None
        for part in c[2:]:
            if part is None:
                continue
            if isinstance(part, s.Block):
                else_block = part
            else:
                branches.append(part)
        return s.If(tuple(branches), else_block, self._span(meta))

    def elif_part(self, meta: Any, c: list[Any]) -> tuple[s.Expr, s.Block]:
        return (c[0], c[1])

    def else_part(self, meta: Any, c: list[Any]) -> s.Block:
        return c[0]  # type: ignore[no-any-return]

    def s_either(self, meta: Any, c: list[Any]) -> s.Either:
        return s.Either(tuple(c), self._span(meta))

    def s_choose(self, meta: Any, c: list[Any]) -> s.Choose:
        return s.Choose(token_text(c[0]), c[1], self._span(meta))

    def s_let(self, meta: Any, c: list[Any]) -> s.Let:
        return s.Let(token_text(c[0]), c[1], self._span(meta))

    def s_await(self, meta: Any, c: list[Any]) -> s.Await:
        return s.Await(c[0], self._span(meta))

    def s_send(self, meta: Any, c: list[Any]) -> s.Send:
        return s.Send(c[0], c[1], self._span(meta))

    def s_receive(self, meta: Any, c: list[Any]) -> s.Receive:
        return s.Receive(token_text(c[0]), c[1], self._span(meta))

    def s_skip(self, meta: Any, c: list[Any]) -> s.Skip:
        return s.Skip(self._span(meta))

    def lv_name(self, meta: Any, c: list[Any]) -> s.Name:
        return s.Name(token_text(c[0]), self._span(meta))

    def lv_index(self, meta: Any, c: list[Any]) -> s.Index:
        return s.Index(c[0], c[1], self._span(meta))

    def lv_field(self, meta: Any, c: list[Any]) -> s.Field:
        return s.Field(c[0], token_text(c[1]), self._span(meta))

    # ------------------------------------------------------------ expressions
    def forall(self, meta: Any, c: list[Any]) -> s.Quant:
        return s.Quant(Binder.FORALL, token_text(c[0]), c[1], c[2], self._span(meta))

    def exists(self, meta: Any, c: list[Any]) -> s.Quant:
        return s.Quant(Binder.EXISTS, token_text(c[0]), c[1], c[2], self._span(meta))

    def choose_expr(self, meta: Any, c: list[Any]) -> s.Quant:
        return s.Quant(Binder.CHOOSE, token_text(c[0]), c[1], c[2], self._span(meta))

    def powerset(self, meta: Any, c: list[Any]) -> s.Unary:
        return s.Unary("subset", c[0], self._span(meta))

    def _binary(op: str) -> Any:  # type: ignore[misc]
        def build(self: ExprBuilder, meta: Any, c: list[Any]) -> s.Binary:
            return s.Binary(op, c[0], c[1], self._span(meta))
        return build

    implies = _binary("implies")
    equiv = _binary("equiv")
    eq = _binary("eq")
    ne = _binary("ne")
    lt = _binary("lt")
    le = _binary("le")
    gt = _binary("gt")
    ge = _binary("ge")
    member = _binary("in")
    not_member = _binary("notin")
    subseteq = _binary("subseteq")
    minus = _binary("minus")
    range = _binary("range")
    sub = _binary("sub")
    div = _binary("div")
    mod = _binary("mod")

    def not_(self, meta: Any, c: list[Any]) -> s.Unary:
        return s.Unary("not", c[0], self._span(meta))

    def negate(self, meta: Any, c: list[Any]) -> s.Unary:
        return s.Unary("neg", c[0], self._span(meta))

    def prime(self, meta: Any, c: list[Any]) -> s.Unary:
        return s.Unary("prime", c[0], self._span(meta))

    def index(self, meta: Any, c: list[Any]) -> s.Index:
        return s.Index(c[0], c[1], self._span(meta))

    def field(self, meta: Any, c: list[Any]) -> s.Field:
        return s.Field(c[0], token_text(c[1]), self._span(meta))

    def call(self, meta: Any, c: list[Any]) -> s.Call:
        return s.Call(token_text(c[0]), tuple(a for a in c[1:] if a is not None), self._span(meta))

    def name(self, meta: Any, c: list[Any]) -> s.Name:
        return s.Name(token_text(c[0]), self._span(meta))

    def int_lit(self, meta: Any, c: list[Any]) -> s.IntLit:
        return s.IntLit(int(c[0]), self._span(meta))

    def true_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(True, self._span(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(False, self._span(meta))

    def set_lit(self, meta: Any, c: list[Any]) -> s.SetLit:
        return s.SetLit(tuple(e for e in c if e is not None), self._span(meta))

    def set_comp(self, meta: Any, c: list[Any]) -> s.SetComp:
        return s.SetComp(c[0], token_text(c[1]), c[2], c[3], self._span(meta))

    def map_lit(self, meta: Any, c: list[Any]) -> s.MapLit:
        return s.MapLit(token_text(c[0]), c[1], c[2], self._span(meta))

    def record_lit(self, meta: Any, c: list[Any]) -> s.RecordLit:
        return s.RecordLit(tuple(c), self._span(meta))

    def field_init(self, meta: Any, c: list[Any]) -> tuple[str, s.Expr]:
        return (token_text(c[0]), c[1])

    def seq_lit(self, meta: Any, c: list[Any]) -> s.SeqLit:
        return s.SeqLit(tuple(e for e in c if e is not None), self._span(meta))

    def ite(self, meta: Any, c: list[Any]) -> s.Ite:
        return s.Ite(c[0], c[1], c[2], self._span(meta))


def _joined(left: errors.Span, right: errors.Span, fallback: errors.Span) -> errors.Span:
    if left is errors.NO_SPAN or right is errors.NO_SPAN or left.file != right.file:
        return fallback
    return errors.Span(left.file, left.line, left.column, right.end_line, right.end_column)
