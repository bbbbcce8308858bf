"""Text to syntax tree: one LALR Lark parser (tables cached on disk), syntax errors with the tokens
that would have fitted; `tree_builder` turns Lark's tree into `syntax`/`declarations` nodes."""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import resources
from typing import Optional

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from checker import errors
from checker.lang import declarations as D
from checker.lang import syntax as s
from checker.lang.tree_builder import TreeBuilder

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


def parse_module(text: str, path: str) -> D.Module:
    """Parse one spec file. Raises `SpecError` (E100) with a location on a syntax error."""
    parser = _parser()
    try:
        tree = parser.parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, path, parser) from None
    return TreeBuilder(path).module(tree)


def parse_expr(text: str, path: str = "<expr>") -> s.Expr:
    """Parse one expression (used for `--const N=3` and `--set x=false`)."""
    module = parse_module(f"set __value__ = {text};", path)
    decl = module.decls[0]
    assert isinstance(decl, D.SetOverride)
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
    if exc.pos_in_stream is not None and text.startswith("/*", exc.pos_in_stream):
        message, label, expected = "unterminated comment: `/*` without a closing `*/`", None, []
    notes = []
    if label:
        message = f"{message}: {label}"
    if expected and len(expected) <= 8:
        notes.append(errors.Note("expected one of: " + ", ".join(expected)))
    span = errors.Span(path, line, column, line, column + 1)
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
