"""Type checking of operators, literals and builtin calls: syntax nodes in, typed IR out.

Bidirectional: `expr(e, scope, expected)` uses the expected type where a literal cannot say its
own (`{}`, `<<>>`, records). Every mistake raises a `SpecError` with a code and a span.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from checker import errors
from checker.errors import Note, SpecError
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import Binder
from checker.lang import enabled, set_exprs
from checker.lang import syntax as s
from checker.lang.reference_checker import ReferenceChecker
from checker.lang.scope import Primes, Scope
from checker.lang.type_rules import BUILTINS, OP_TEXT, arith_type, join, minmax_type


class NeedsContext(SpecError):
    """A literal (`{}`, `<<>>`) whose type only an expected type can give: `_pair` then checks
    the other operand first and hands its type over."""


class ExprChecker(ReferenceChecker):
    """Checks operators, literals and builtin calls; see `ReferenceChecker` for the rest."""

    def _IntLit(self, e: s.IntLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        return ir.Lit(e.value, T.IntType(e.value, e.value), e.span)

    def _BoolLit(self, e: s.BoolLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        return ir.Lit(e.value, T.BOOL, e.span)

    def _Unary(self, e: s.Unary, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if e.op == "not":
            return ir.Op("not", (self.expect_bool(e.arg, scope, what="operand of 'not'"),),
                         T.BOOL, e.span)
        if e.op == "neg":
            arg = self.expect_int(e.arg, scope)
            t = arg.type
            assert isinstance(t, T.IntType)
            bounds = T.IntType(-t.hi, -t.lo) if t.bounded else T.INT  # type: ignore[operator]
            return ir.Op("neg", (arg,), bounds, e.span)
        if e.op == "subset":
            return set_exprs.powerset(self, e, scope)
        # prime
        if scope.primes == Primes.FORBIDDEN:
            raise SpecError(errors.PRIME_MISUSE,
                            "primed expressions (the next state) are allowed only in "
                            "`transition` properties", e.span)
        if scope.primes == Primes.INSIDE:
            raise SpecError(errors.PRIME_MISUSE, "an expression cannot be primed twice", e.span)
        return self.expr(e.arg, replace(scope, primes=Primes.INSIDE), expected)

    def _Binary(self, e: s.Binary, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        op = e.op
        if op in ("and", "or", "implies", "equiv"):
            left = self.expect_bool(e.left, scope, what=f"left operand of '{OP_TEXT[op]}'")
            right = self.expect_bool(e.right, scope, what=f"right operand of '{OP_TEXT[op]}'")
            return ir.Op(op, (left, right), T.BOOL, e.span)
        if op in ("eq", "ne"):
            left, right = self._pair(e.left, e.right, scope)
            if not T.compatible(left.type, right.type):
                raise SpecError(errors.TYPE_MISMATCH,
                                f"cannot compare {left.type} with {right.type}", e.span)
            return ir.Op(op, (left, right), T.BOOL, e.span)
        if op in ("lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod"):
            left = self.expect_int(e.left, scope)
            right = self.expect_int(e.right, scope)
            if op in ("lt", "le", "gt", "ge"):
                return ir.Op(op, (left, right), T.BOOL, e.span)
            return ir.Op(op, (left, right), arith_type(op, left.type, right.type), e.span)
        if op in ("in", "notin"):
            right = self.expr(e.right, scope)
            if isinstance(right.type, T.SetType):
                elem = right.type.elem
            elif isinstance(right.type, T.SeqType):
                elem = right.type.elem
            else:
                raise self._mismatch("a set, sequence or bag", right.type, e.right.span,
                                     f"right operand of '{OP_TEXT[op]}'")
            left = self.expect(e.left, scope, elem, f"left operand of '{OP_TEXT[op]}'")
            return ir.Op(op, (left, right), T.BOOL, e.span)
        if op in ("union", "inter", "minus"):
            left, right = self._pair(e.left, e.right, scope)
            if not isinstance(left.type, T.SetType):
                raise self._mismatch("a set", left.type, e.left.span, f"operand of '{op}'")
            if not T.compatible(left.type, right.type):
                raise self._mismatch(str(left.type), right.type, e.right.span, f"operand of '{op}'")
            return ir.Op(op, (left, right), join(left.type, right.type), e.span)
        if op == "subseteq":
            return set_exprs.subseteq(self, e, scope)
        if op == "range":
            lo = self.expect_int(e.left, scope)
            hi = self.expect_int(e.right, scope)
            bounds: T.Type = T.INT
            if isinstance(lo, ir.Lit) and isinstance(hi, ir.Lit):
                bounds = T.IntType(lo.value, hi.value, lo, hi)
            return ir.Op("range", (lo, hi), T.SetType(bounds), e.span)
        raise AssertionError(op)

    def _pair(self, a: s.Expr, b: s.Expr, scope: Scope) -> tuple[ir.Expr, ir.Expr]:
        """Check two operands that must share a type, letting either one give it to the other."""
        try:
            left = self.expr(a, scope)
        except NeedsContext:
            right = self.expr(b, scope)
            return self.expr(a, scope, right.type), right
        return left, self.expr(b, scope, left.type)

    def _Quant(self, e: s.Quant, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if e.kind == Binder.CHOOSE:
            return set_exprs.choose(self, e, scope)
        domain, elem = self._set_domain(e.domain, scope)
        body = self.expect_bool(e.body, scope.bind(e.var, ir.Local(e.var, elem, e.span)),
                                what=f"body of '{e.kind}'")
        return ir.Bind(e.kind, e.var, elem, domain, body, None, T.BOOL, e.span)

    def _set_domain(self, e: s.Expr, scope: Scope) -> tuple[ir.Expr, T.Type]:
        domain = self.expr(e, scope)
        if not isinstance(domain.type, T.SetType):
            raise self._mismatch("a set", domain.type, e.span, "domain")
        return domain, domain.type.elem

    def _Call(self, e: s.Call, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if e.func == "enabled" and e.func not in self.ns.defs:
            return enabled.enabled(self, e, scope)
        if e.func in self.ns.defs and e.func not in BUILTINS:
            return self._expand(self.ns.defs[e.func], e.args, scope, e.span)
        if e.func not in BUILTINS:
            raise self._undefined(e.func, e.span, "function")
        arity = BUILTINS[e.func]
        if len(e.args) != arity:
            raise SpecError(errors.ARITY, f"'{e.func}' takes {arity} argument(s), "
                            f"{len(e.args)} given", e.span)
        f = e.func
        if f in ("min", "max"):
            a, b = (self.expect_int(x, scope) for x in e.args)
            return ir.Op(f, (a, b), minmax_type(f, a.type, b.type), e.span)
        if f == "abs":
            a = self.expect_int(e.args[0], scope)
            return ir.Op(f, (a,), T.INT, e.span)
        arg = self.expr(e.args[0], scope)
        if f == "card":
            if not isinstance(arg.type, T.SetType):
                raise self._mismatch("a set", arg.type, e.args[0].span, "argument of 'card'")
            return ir.Op(f, (arg,), T.INT, e.span)
        if f == "keys":
            if not isinstance(arg.type, T.MapType):
                raise self._mismatch("a map", arg.type, e.args[0].span, "argument of 'keys'")
            return ir.Lit(frozenset(T.values(arg.type.key)), T.SetType(arg.type.key), e.span)
        if not isinstance(arg.type, T.SeqType):
            raise self._mismatch("a sequence or bag", arg.type, e.args[0].span,
                                 f"argument of '{f}'")
        seq = arg.type
        if f == "len":
            return ir.Op(f, (arg,), T.IntType(0, seq.capacity), e.span)
        if f == "head":
            return ir.Op(f, (arg,), seq.elem, e.span)
        if f == "tail":
            return ir.Op(f, (arg,), seq, e.span)
        item = self.expect(e.args[1], scope, seq.elem, f"second argument of '{f}'")
        if f == "append":
            return ir.Op(f, (arg, item), T.SeqType(seq.elem, seq.capacity + 1, seq.bag), e.span)
        return ir.Op("count", (arg, item), T.IntType(0, seq.capacity), e.span)

    def _SetLit(self, e: s.SetLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if not e.elems:
            if isinstance(expected, T.SetType):
                return ir.Lit(frozenset(), expected, e.span)
            raise NeedsContext(errors.TYPE_MISMATCH, "cannot tell the type of `{}` here", e.span,
                            [Note("compare or assign it to a value of known type")])
        want = expected.elem if isinstance(expected, T.SetType) else None
        elems = self._same_type(e.elems, scope, want, "set element")
        elem_type = elems[0].type
        for x in elems[1:]:
            elem_type = join(elem_type, x.type)
        return ir.Op("set", tuple(elems), T.SetType(elem_type), e.span)

    def _same_type(self, items: tuple[s.Expr, ...], scope: Scope, want: Optional[T.Type],
                   what: str) -> list[ir.Expr]:
        out = [self.expr(items[0], scope, want)]
        for item in items[1:]:
            out.append(self.expect(item, scope, out[0].type, what))
        return out

    def _SetComp(self, e: s.SetComp, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        domain, elem = self._set_domain(e.domain, scope)
        inner = scope.bind(e.var, ir.Local(e.var, elem, e.span))
        want = expected.elem if isinstance(expected, T.SetType) else None
        body = self.expr(e.elem, inner, want)
        cond = self.expect_bool(e.cond, inner, what="filter") if e.cond is not None else None
        return ir.Bind(Binder.SETCOMP, e.var, elem, domain, body, cond, T.SetType(body.type), e.span)

    def _MapLit(self, e: s.MapLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        domain, value = self.constant(e.domain, scope)
        assert isinstance(domain.type, T.SetType)
        key = expected.key if isinstance(expected, T.MapType) else domain.type.elem
        if not T.is_finite(key) or frozenset(T.values(key)) != value:
            raise SpecError(errors.TYPE_MISMATCH,
                            f"a map literal must range over all of its key type {key}", e.domain.span)
        want = expected.value if isinstance(expected, T.MapType) else None
        body = self.expr(e.body, scope.bind(e.var, ir.Local(e.var, key, e.span)), want)
        return ir.Bind(Binder.MAPLIT, e.var, key, domain, body, None, T.MapType(key, body.type), e.span)

    def _RecordLit(self, e: s.RecordLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        names = [n for n, _ in e.fields]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise SpecError(errors.DUPLICATE, f"field '{sorted(dupes)[0]}' given twice", e.span)
        if isinstance(expected, T.RecordType):
            want = [n for n, _ in expected.fields]
            if sorted(names) != want:
                raise SpecError(errors.TYPE_MISMATCH,
                                f"record fields {sorted(names)} do not match {expected}", e.span)
            given = dict(e.fields)
            args = tuple(self.expect(given[n], scope, t, f"field '{n}'") for n, t in expected.fields)
            return ir.Op("record", args, expected, e.span)
        checked = {n: self.expr(x, scope) for n, x in e.fields}
        rtype = T.record({n: x.type for n, x in checked.items()})
        return ir.Op("record", tuple(checked[n] for n, _ in rtype.fields), rtype, e.span)

    def _SeqLit(self, e: s.SeqLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if isinstance(expected, T.SeqType):
            args = tuple(self.expect(x, scope, expected.elem, "sequence element") for x in e.elems)
            return ir.Op("seq", args, T.SeqType(expected.elem, len(args), expected.bag), e.span)
        if not e.elems:
            raise NeedsContext(errors.TYPE_MISMATCH, "cannot tell the type of `<<>>` here", e.span)
        items = self._same_type(e.elems, scope, None, "sequence element")
        return ir.Op("seq", tuple(items), T.SeqType(items[0].type, len(items)), e.span)

    def _Ite(self, e: s.Ite, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        cond = self.expect_bool(e.cond, scope)
        then = self.expr(e.then, scope, expected)
        other = self.expect(e.else_, scope, then.type, "else branch")
        return ir.Op("ite", (cond, then, other), join(then.type, other.type), e.span)
