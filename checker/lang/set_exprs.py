"""Type checking of TLA+'s set operators: `S subseteq T`, `subset S`, `choose x in S: P`.

Called from `expr_checker.ExprChecker`, which passes itself as `checker`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker import errors
from checker.errors import SpecError
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import Binder
from checker.lang import syntax as s
from checker.lang.scope import Scope

if TYPE_CHECKING:
    from checker.lang.expr_checker import ExprChecker

POWERSET_LIMIT = 2 ** 16  # `subset S` of a set type with more elements is refused


def subseteq(checker: ExprChecker, e: s.Binary, scope: Scope) -> ir.Expr:
    """`S subseteq T`: every member of S is in T (TLA+'s \\subseteq)."""
    left, right = checker._pair(e.left, e.right, scope)
    if not isinstance(left.type, T.SetType):
        raise checker._mismatch("a set", left.type, e.left.span, "operand of 'subseteq'")
    if not T.compatible(left.type, right.type):
        raise checker._mismatch(str(left.type), right.type, e.right.span,
                                "operand of 'subseteq'")
    return ir.Op("subseteq", (left, right), T.BOOL, e.span)


def powerset(checker: ExprChecker, e: s.Unary, scope: Scope) -> ir.Expr:
    """`subset S`: the set of all subsets of S (TLA+'s SUBSET)."""
    arg = checker.expr(e.arg, scope)
    if not isinstance(arg.type, T.SetType):
        raise checker._mismatch("a set", arg.type, e.arg.span, "operand of 'subset'")
    if not T.is_finite(arg.type.elem) or T.size(arg.type.elem) > 16:
        raise SpecError(errors.UNBOUNDED,
                        f"`subset` of a set of {arg.type.elem} has too many subsets to enumerate",
                        e.span, [errors.Note("`subset` needs an element type of at most 16 "
                                             "values; `S subseteq T` tests one subset")])
    return ir.Op("subset", (arg,), T.SetType(arg.type), e.span)


def choose(checker: ExprChecker, e: s.Quant, scope: Scope) -> ir.Expr:
    """`choose x in S: P`: the first member of S (in the order of its type) satisfying P; an
    evaluation error when there is none (TLA+'s CHOOSE, deterministic as in TLC)."""
    domain, elem = checker._set_domain(e.domain, scope)
    body = checker.expect_bool(e.body, scope.bind(e.var, ir.Local(e.var, elem, e.span)),
                               what="body of 'choose'")
    return ir.Bind(Binder.CHOOSE, e.var, elem, domain, body, None, elem, e.span)
