"""Text to syntax tree: one LALR Lark parser and a Transformer that builds `checker.syntax` nodes."""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import resources
from typing import Any, Optional

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from checker.ir.kinds import Binder, FairnessKind, TemporalOp
from checker import errors
from checker.lang import syntax as s

# Known mistakes and the label shown for them (Lark's match_examples picks the closest).
_EXAMPLES: dict[str, list[str]] = {
    "missing ';' after a statement": [
        "action a { x := 1 }",
        "action a { x := 1 y := 2; }",
        "action a { skip }",
    ],
    "missing ';' after a declaration": [
        "var x: 0..3 = 0 var y: bool = true;",
        "const N: 1..3 = 2 var x: bool = true;",
        "invariant I: x > 0 invariant J: x < 3;",
    ],
    "'=' is comparison; assignment is ':='": [
        "action a { x = 1; }",
        "action a { x[r] = 1; }",
    ],
    "a variable needs a type and an initial value: `var x: T = e;`": [
        "var x = 0;",
        "var x: 0..3;",
    ],
    "an action body is a block in braces: `action a when g { ... }`": [
        "action a when x > 0 x := 1;",
        "action a x := 1;",
    ],
    "unbalanced brackets or braces": [
        "action a { x := (1 + 2; }",
        "invariant I: (x > 0;",
    ],
}


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser, loaded from the user's cache when an earlier run saved it there.

    Building the tables takes most of a second; Lark saves them to the cache file and checks on
    loading that grammar, options and Lark version are the ones it was saved with (it rebuilds
    otherwise, also when the file is unreadable or half written by a concurrent run).
    """
    grammar = resources.files("checker.lang").joinpath("grammar.lark").read_text()
    cache = _cache_file(grammar)
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True,
                cache=cache if cache is not None else False)


def _cache_file(grammar: str) -> Optional[str]:
    """`$XDG_CACHE_HOME/checkmodel/grammar-<hash>.lark` (~/.cache by default), or None when the
    directory cannot be created (then the parser is built on every start)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "checkmodel")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"grammar-{digest}.lark")


def parse_module(text: str, path: str) -> s.Module:
    """Parse one spec file. Raises `SpecError` (E100) with a location on a syntax error."""
    parser = _parser()
    try:
        tree = parser.parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, path, parser) from None
    return _Builder(path).transform(tree)  # type: ignore[no-any-return]


def parse_expr(text: str, path: str = "<expr>") -> s.Expr:
    """Parse one expression (used for `--const N=3` and `--set x=false`)."""
    module = parse_module(f"set __value__ = {text};", path)
    decl = module.decls[0]
    assert isinstance(decl, s.SetOverride)
    return decl.value


def _syntax_error(exc: UnexpectedInput, text: str, path: str, parser: Lark) -> errors.SpecError:
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedEOF) or line is None or line < 1:
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    label: Optional[str] = None
    try:
        label = exc.match_examples(parser.parse, _EXAMPLES, use_accepts=True)
    except Exception:  # match_examples re-parses; a failure there only loses the hint
        label = None
    if isinstance(exc, UnexpectedToken):
        found = "end of file" if exc.token.type == "$END" else f"'{exc.token}'"
        message = f"unexpected {found}"
        expected = sorted(_describe(t) for t in exc.accepts or exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        message = f"unexpected character '{text[exc.pos_in_stream or 0]}'"
        expected = []
    else:
        message = "unexpected end of file"
        expected = sorted(_describe(t) for t in getattr(exc, "expected", []) or [])
    notes = []
    if label:
        message = f"{message}: {label}"
    if expected and len(expected) <= 8:
        notes.append(errors.Note("expected one of: " + ", ".join(expected)))
    span = s.Span(path, line, column, line, column + 1)
    return errors.SpecError(errors.SYNTAX, message, span, notes)


_TERMINAL_TEXT = {
    "SEMICOLON": "';'", "COLON": "':'", "COMMA": "','", "LBRACE": "'{'", "RBRACE": "'}'",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "NAME": "a name",
    "INT": "a number", "STRING": "a string", "EQUAL": "'='", "DOT": "'.'", "QUOTE": "'",
    "MORETHAN": "'>'", "LESSTHAN": "'<'", "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'",
    "SLASH": "'/'", "PERCENT": "'%'", "$END": "end of file",
}


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_TEXT:
        return _TERMINAL_TEXT[terminal]
    pattern = _parser().get_terminal(terminal).pattern
    return f"'{pattern.value}'" if pattern.type == "str" else terminal.lower()


def _text(token: Token) -> str:
    return str(token)


@v_args(meta=True)
class _Builder(Transformer[Token, Any]):
    """Lark tree to syntax nodes. Each method gets the node's meta (positions) and children."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def _span(self, meta: Any) -> s.Span:
        if getattr(meta, "empty", True):
            return s.NO_SPAN
        return s.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> s.Span:
        return s.Span(self.path, token.line or 0, token.column or 0, token.end_line or 0,
                      token.end_column or 0)

    # ------------------------------------------------------------ module and declarations
    def start(self, meta: Any, children: list[Any]) -> s.Module:
        name = None
        decls = []
        for child in children:
            if isinstance(child, tuple) and child and child[0] == "module":
                name = child[1]
            elif child is not None:
                decls.append(child)
        return s.Module(name, tuple(decls), self.path, self._span(meta))

    def module_header(self, meta: Any, c: list[Any]) -> tuple[str, str]:
        return ("module", _text(c[0]))

    def import_decl(self, meta: Any, c: list[Any]) -> s.Import:
        return s.Import(_unquote(c[0]), self._span(meta))

    def const_typed(self, meta: Any, c: list[Any]) -> s.Const:
        return s.Const(_text(c[0]), c[1], c[2], c[3], self._span(meta))

    def const_where(self, meta: Any, c: list[Any]) -> s.Expr:
        return c[0]  # type: ignore[no-any-return]

    def const_atoms(self, meta: Any, c: list[Any]) -> s.ConstAtoms:
        return s.ConstAtoms(_text(c[0]), c[1], self._span(meta))

    def switch_decl(self, meta: Any, c: list[Any]) -> s.Switch:
        return s.Switch(_text(c[0]), c[1], c[2], self._span(meta))

    def enum_decl(self, meta: Any, c: list[Any]) -> s.EnumDecl:
        return s.EnumDecl(_text(c[0]), c[1], self._span(meta))

    def type_decl(self, meta: Any, c: list[Any]) -> s.TypeDecl:
        return s.TypeDecl(_text(c[0]), c[1], self._span(meta))

    def var_eq(self, meta: Any, c: list[Any]) -> s.VarDecl:
        return s.VarDecl(_text(c[0]), c[1], c[2], False, self._span(meta))

    def var_in(self, meta: Any, c: list[Any]) -> s.VarDecl:
        return s.VarDecl(_text(c[0]), c[1], c[2], True, self._span(meta))

    def def_decl(self, meta: Any, c: list[Any]) -> s.Def:
        params = c[1] if c[1] is not None else ()
        return s.Def(_text(c[0]), params, c[2], self._span(meta))

    def def_params(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(_text(t) for t in c if t is not None)

    def action_decl(self, meta: Any, c: list[Any]) -> s.Action:
        fairness, name, params, guard, body = c
        return s.Action(_text(name), params or (), guard, body, fairness, self._span(meta))

    def action_params(self, meta: Any, c: list[Any]) -> tuple[s.Param, ...]:
        return tuple(c)

    def param(self, meta: Any, c: list[Any]) -> s.Param:
        return s.Param(_text(c[0]), c[1], self._span(meta))

    def guard(self, meta: Any, c: list[Any]) -> s.Expr:
        return c[0]  # type: ignore[no-any-return]

    def process_decl(self, meta: Any, c: list[Any]) -> s.Process:
        fairness, name, index, *items = c
        return s.Process(
            _text(name), index,
            tuple(i for i in items if isinstance(i, s.VarDecl)),
            tuple(i for i in items if isinstance(i, s.Action)),
            tuple(i for i in items if isinstance(i, s.Def)),
            fairness, self._span(meta))

    def process_index(self, meta: Any, c: list[Any]) -> s.Param:
        return s.Param(_text(c[0]), c[1], self._span(meta))

    def weak_fair(self, meta: Any, c: list[Any]) -> str:
        return FairnessKind.WEAK

    def strong_fair(self, meta: Any, c: list[Any]) -> str:
        return FairnessKind.STRONG

    def fairness_decl(self, meta: Any, c: list[Any]) -> s.FairnessDecl:
        return s.FairnessDecl(c[0], c[1], self._span(meta))

    def qual_name(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(_text(t) for t in c)

    def invariant_decl(self, meta: Any, c: list[Any]) -> s.Invariant:
        return s.Invariant(_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], False,
                           self._span(meta))

    def helper_decl(self, meta: Any, c: list[Any]) -> s.Invariant:
        return s.Invariant(_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], True,
                           self._span(meta))

    def transition_decl(self, meta: Any, c: list[Any]) -> s.Transition:
        return s.Transition(_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def constraint_decl(self, meta: Any, c: list[Any]) -> s.Constraint:
        return s.Constraint(_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def temporal_decl(self, meta: Any, c: list[Any]) -> s.Temporal:
        return s.Temporal(_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def t_always_eventually(self, meta: Any, c: list[Any]) -> s.TemporalFormula:
        return s.TemporalFormula(TemporalOp.ALWAYS_EVENTUALLY, c[0], None, self._span(meta))

    def t_eventually_always(self, meta: Any, c: list[Any]) -> s.TemporalFormula:
        return s.TemporalFormula(TemporalOp.EVENTUALLY_ALWAYS, c[0], None, self._span(meta))

    def t_eventually(self, meta: Any, c: list[Any]) -> s.TemporalFormula:
        return s.TemporalFormula(TemporalOp.EVENTUALLY, c[0], None, self._span(meta))

    def t_always(self, meta: Any, c: list[Any]) -> s.TemporalFormula:
        return s.TemporalFormula(TemporalOp.ALWAYS, c[0], None, self._span(meta))

    def t_leads_to(self, meta: Any, c: list[Any]) -> s.TemporalFormula:
        return s.TemporalFormula(TemporalOp.LEADS_TO, c[0], c[1], self._span(meta))

    def set_decl(self, meta: Any, c: list[Any]) -> s.SetOverride:
        return s.SetOverride(_text(c[0]), c[1], self._span(meta))

    def deadlock_on(self, meta: Any, c: list[Any]) -> s.DeadlockSetting:
        return s.DeadlockSetting(True, self._span(meta))

    def deadlock_off(self, meta: Any, c: list[Any]) -> s.DeadlockSetting:
        return s.DeadlockSetting(False, self._span(meta))

    def continue_on(self, meta: Any, c: list[Any]) -> s.ContinueSetting:
        return s.ContinueSetting(True, self._span(meta))

    def continue_off(self, meta: Any, c: list[Any]) -> s.ContinueSetting:
        return s.ContinueSetting(False, self._span(meta))

    def name_list(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(_text(t) for t in c)

    # ------------------------------------------------------------ types
    def t_bool(self, meta: Any, c: list[Any]) -> s.TBool:
        return s.TBool(self._span(meta))

    def t_int(self, meta: Any, c: list[Any]) -> s.TInt:
        return s.TInt(self._span(meta))

    def t_range(self, meta: Any, c: list[Any]) -> s.TRange:
        return s.TRange(c[0], c[1], self._span(meta))

    def t_named(self, meta: Any, c: list[Any]) -> s.TNamed:
        return s.TNamed(_text(c[0]), self._span(meta))

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
        return (_text(c[0]), c[1])

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
        return s.Choose(_text(c[0]), c[1], self._span(meta))

    def s_let(self, meta: Any, c: list[Any]) -> s.Let:
        return s.Let(_text(c[0]), c[1], self._span(meta))

    def s_await(self, meta: Any, c: list[Any]) -> s.Await:
        return s.Await(c[0], self._span(meta))

    def s_send(self, meta: Any, c: list[Any]) -> s.Send:
        return s.Send(c[0], c[1], self._span(meta))

    def s_receive(self, meta: Any, c: list[Any]) -> s.Receive:
        return s.Receive(_text(c[0]), c[1], self._span(meta))

    def s_skip(self, meta: Any, c: list[Any]) -> s.Skip:
        return s.Skip(self._span(meta))

    def lv_name(self, meta: Any, c: list[Any]) -> s.Name:
        return s.Name(_text(c[0]), self._span(meta))

    def lv_index(self, meta: Any, c: list[Any]) -> s.Index:
        return s.Index(c[0], c[1], self._span(meta))

    def lv_field(self, meta: Any, c: list[Any]) -> s.Field:
        return s.Field(c[0], _text(c[1]), self._span(meta))

    # ------------------------------------------------------------ expressions
    def forall(self, meta: Any, c: list[Any]) -> s.Quant:
        return s.Quant(Binder.FORALL, _text(c[0]), c[1], c[2], self._span(meta))

    def exists(self, meta: Any, c: list[Any]) -> s.Quant:
        return s.Quant(Binder.EXISTS, _text(c[0]), c[1], c[2], self._span(meta))

    def _binary(op: str) -> Any:  # type: ignore[misc]
        def build(self: _Builder, meta: Any, c: list[Any]) -> s.Binary:
            return s.Binary(op, c[0], c[1], self._span(meta))
        return build

    implies = _binary("implies")
    equiv = _binary("equiv")
    or_ = _binary("or")
    and_ = _binary("and")
    eq = _binary("eq")
    ne = _binary("ne")
    lt = _binary("lt")
    le = _binary("le")
    gt = _binary("gt")
    ge = _binary("ge")
    member = _binary("in")
    not_member = _binary("notin")
    union = _binary("union")
    inter = _binary("inter")
    minus = _binary("minus")
    range = _binary("range")
    add = _binary("add")
    sub = _binary("sub")
    mul = _binary("mul")
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
        return s.Field(c[0], _text(c[1]), self._span(meta))

    def call(self, meta: Any, c: list[Any]) -> s.Call:
        return s.Call(_text(c[0]), tuple(a for a in c[1:] if a is not None), self._span(meta))

    def name(self, meta: Any, c: list[Any]) -> s.Name:
        return s.Name(_text(c[0]), self._span(meta))

    def int_lit(self, meta: Any, c: list[Any]) -> s.IntLit:
        return s.IntLit(int(c[0]), self._span(meta))

    def true_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(True, self._span(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> s.BoolLit:
        return s.BoolLit(False, self._span(meta))

    def set_lit(self, meta: Any, c: list[Any]) -> s.SetLit:
        return s.SetLit(tuple(e for e in c if e is not None), self._span(meta))

    def set_comp(self, meta: Any, c: list[Any]) -> s.SetComp:
        return s.SetComp(c[0], _text(c[1]), c[2], c[3], self._span(meta))

    def map_lit(self, meta: Any, c: list[Any]) -> s.MapLit:
        return s.MapLit(_text(c[0]), c[1], c[2], self._span(meta))

    def record_lit(self, meta: Any, c: list[Any]) -> s.RecordLit:
        return s.RecordLit(tuple(c), self._span(meta))

    def field_init(self, meta: Any, c: list[Any]) -> tuple[str, s.Expr]:
        return (_text(c[0]), c[1])

    def seq_lit(self, meta: Any, c: list[Any]) -> s.SeqLit:
        return s.SeqLit(tuple(e for e in c if e is not None), self._span(meta))

    def ite(self, meta: Any, c: list[Any]) -> s.Ite:
        return s.Ite(c[0], c[1], c[2], self._span(meta))


def _unquote(token: Token) -> str:
    raw = str(token)[1:-1]
    return raw.encode().decode("unicode_escape") if "\\" in raw else raw
