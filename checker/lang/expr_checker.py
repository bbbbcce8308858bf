"""Type checking of expressions and statements: syntax nodes in, typed IR out.

Bidirectional: `expr(e, scope, expected)` uses the expected type where a literal cannot say its
own (`{}`, `<<>>`, records). Every mistake raises a `SpecError` with a code and a span.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Optional

from checker.ir.kinds import Binder
from checker import errors
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.lang import syntax as s
from checker.ir import types as T
from checker.errors import Note, SpecError
from checker.lang.scope import Namespace, Primes, ProcInfo, Scope

BUILTINS = {"min": 2, "max": 2, "abs": 1, "card": 1, "len": 1, "head": 1, "tail": 1,
            "append": 2, "count": 2, "keys": 1}


class ExprChecker:
    """Checks expressions and statements against a filled namespace."""

    def __init__(self, ns: Namespace):
        self.ns = ns

    # ------------------------------------------------------------ helpers
    def _undefined(self, name: str, span: s.Span, what: str = "name") -> SpecError:
        close = difflib.get_close_matches(name, self.ns.all_names(), n=1)
        notes = [Note(f"did you mean '{close[0]}'?")] if close else []
        return SpecError(errors.UNDEFINED, f"undefined {what} '{name}'", span, notes)

    def _mismatch(self, expected: str, got: T.Type, span: s.Span, what: str = "") -> SpecError:
        prefix = f"{what}: " if what else ""
        return SpecError(errors.TYPE_MISMATCH, f"{prefix}expected {expected}, found {got}", span)

    def expect_bool(self, e: s.Expr, scope: Scope, code: str = errors.TYPE_MISMATCH,
                    what: str = "condition") -> ir.Expr:
        out = self.expr(e, scope, T.BOOL)
        if not isinstance(out.type, T.BoolType):
            raise SpecError(code, f"{what} is not boolean: it has type {out.type}", e.span)
        return out

    def expect_int(self, e: s.Expr, scope: Scope) -> ir.Expr:
        out = self.expr(e, scope)
        if not isinstance(out.type, T.IntType):
            raise self._mismatch("an integer", out.type, e.span)
        return out

    def expect(self, e: s.Expr, scope: Scope, want: T.Type, what: str = "") -> ir.Expr:
        out = self.expr(e, scope, want)
        if not T.compatible(out.type, want):
            raise self._mismatch(str(want), out.type, e.span, what)
        return out

    def constant(self, e: s.Expr, scope: Optional[Scope] = None) -> tuple[ir.Expr, T.Value]:
        """Check an expression that must not depend on the state, and evaluate it."""
        out = self.expr(e, scope or Scope(state=False))
        if not codegen.is_constant(out):
            raise SpecError(errors.NOT_CONSTANT, "this must be a constant expression", e.span)
        try:
            return out, codegen.evaluate(out)
        except codegen.Fault as fault:
            raise SpecError(errors.EVALUATION, fault.detail, e.span) from None

    # ------------------------------------------------------------ expressions
    def expr(self, e: s.Expr, scope: Scope, expected: Optional[T.Type] = None) -> ir.Expr:
        method = getattr(self, "_" + type(e).__name__)
        result: ir.Expr = method(e, scope, expected)
        return result

    def _IntLit(self, e: s.IntLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        return ir.Lit(e.value, T.IntType(e.value, e.value), e.span)

    def _BoolLit(self, e: s.BoolLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        return ir.Lit(e.value, T.BOOL, e.span)

    def _Name(self, e: s.Name, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        name = e.name
        bound = scope.lookup(name)
        if bound is not None:
            return bound
        proc = scope.process
        if proc is not None:
            if name in ("self", proc.index_name) and proc.index_type is not None:
                return ir.Local("self", proc.index_type, e.span)
            local_var = self.ns.process_vars.get(proc.name, {}).get(name)
            if local_var is not None:
                return self._process_var(local_var, proc, scope, e.span)
        if name in self.ns.vars:
            return self._var(self.ns.vars[name], scope, e.span)
        if name in self.ns.constants:
            c = self.ns.constants[name]
            return ir.Lit(c.value, c.type, e.span, const=name)
        if name in self.ns.members:
            enum, index = self.ns.members[name]
            return ir.Lit(index, enum, e.span)
        if name in self.ns.types:
            t = self.ns.types[name]
            if not T.is_finite(t):
                raise SpecError(errors.UNBOUNDED, f"type '{name}' is not finite", e.span)
            return ir.Lit(frozenset(T.values(t)), T.SetType(t), e.span)
        if name in self.ns.defs:
            return self._expand(self.ns.defs[name], (), scope, e.span)
        if name in self.ns.processes:
            raise SpecError(errors.TYPE_MISMATCH,
                            f"'{name}' is a process; read its variables as "
                            f"{name}[i].x or {name}.x", e.span)
        raise self._undefined(name, e.span)

    def _var(self, var: ir.Var, scope: Scope, span: s.Span) -> ir.Expr:
        if not scope.state:
            raise SpecError(errors.NOT_CONSTANT,
                            f"state variable '{var.name}' cannot be read here: this must be a "
                            "constant expression", span)
        return ir.Var(var.slot, var.name, var.type, scope.primes == Primes.INSIDE, span)

    def _process_var(self, var: ir.Var, proc: ProcInfo, scope: Scope, span: s.Span) -> ir.Expr:
        base = self._var(var, scope, span)
        if proc.index_type is None:
            return base
        assert isinstance(var.type, T.MapType)
        return ir.Op("index", (base, ir.Local("self", proc.index_type, span)), var.type.value,
                     span, (T.key_offset(var.type.key), False, T.size(var.type.key)))

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
            left = self.expect_bool(e.left, scope, what=f"left operand of '{_OP_TEXT[op]}'")
            right = self.expect_bool(e.right, scope, what=f"right operand of '{_OP_TEXT[op]}'")
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
            return ir.Op(op, (left, right), _arith_type(op, left.type, right.type), e.span)
        if op in ("in", "notin"):
            right = self.expr(e.right, scope)
            if isinstance(right.type, T.SetType):
                elem = right.type.elem
            elif isinstance(right.type, T.SeqType):
                elem = right.type.elem
            else:
                raise self._mismatch("a set, sequence or bag", right.type, e.right.span,
                                     f"right operand of '{_OP_TEXT[op]}'")
            left = self.expect(e.left, scope, elem, f"left operand of '{_OP_TEXT[op]}'")
            return ir.Op(op, (left, right), T.BOOL, e.span)
        if op in ("union", "inter", "minus"):
            left, right = self._pair(e.left, e.right, scope)
            if not isinstance(left.type, T.SetType):
                raise self._mismatch("a set", left.type, e.left.span, f"operand of '{op}'")
            if not T.compatible(left.type, right.type):
                raise self._mismatch(str(left.type), right.type, e.right.span, f"operand of '{op}'")
            return ir.Op(op, (left, right), _join(left.type, right.type), e.span)
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
        except SpecError as first:
            if first.code != errors.TYPE_MISMATCH or "type of" not in first.message:
                raise
            right = self.expr(b, scope)
            return self.expr(a, scope, right.type), right
        return left, self.expr(b, scope, left.type)

    def _Quant(self, e: s.Quant, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        domain, elem = self._set_domain(e.domain, scope)
        body = self.expect_bool(e.body, scope.bind(e.var, ir.Local(e.var, elem, e.span)),
                                what=f"body of '{e.kind}'")
        return ir.Bind(e.kind, e.var, elem, domain, body, None, T.BOOL, e.span)

    def _set_domain(self, e: s.Expr, scope: Scope) -> tuple[ir.Expr, T.Type]:
        domain = self.expr(e, scope)
        if not isinstance(domain.type, T.SetType):
            raise self._mismatch("a set", domain.type, e.span, "domain")
        return domain, domain.type.elem

    def _Index(self, e: s.Index, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if isinstance(e.base, s.Name) and e.base.name in self.ns.processes \
                and scope.lookup(e.base.name) is None:
            raise SpecError(errors.TYPE_MISMATCH,
                            f"name a variable of process '{e.base.name}': "
                            f"{e.base.name}[i].variable", e.span)
        base = self.expr(e.base, scope)
        if isinstance(base.type, T.SeqType) and not base.type.bag:
            position = self.expect_int(e.key, scope)
            return ir.Op("seqindex", (base, position), base.type.elem, e.span)
        if not isinstance(base.type, T.MapType):
            raise self._mismatch("a map or a sequence", base.type, e.base.span, "indexed value")
        return self._index(base, e.key, scope, e.span)

    def _index(self, base: ir.Expr, key_syntax: s.Expr, scope: Scope, span: s.Span) -> ir.Expr:
        assert isinstance(base.type, T.MapType)
        key_type = base.type.key
        key = self.expect(key_syntax, scope, key_type, "map key")
        checked = False
        if isinstance(key_type, T.IntType):
            kt = key.type
            assert isinstance(kt, T.IntType)
            checked = not (kt.bounded and kt.lo >= key_type.lo and kt.hi <= key_type.hi)  # type: ignore[operator]
        return ir.Op("index", (base, key), base.type.value, span,
                     (T.key_offset(key_type), checked, T.size(key_type)))

    def _Field(self, e: s.Field, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        owned = self.process_variable(e, scope)
        if owned is not None:
            proc, var, index = owned
            value = self._var(var, scope, e.span)
            return value if index is None else self._index(value, index, scope, e.span)
        base = self.expr(e.base, scope)
        position = self.field_index(base.type, e)
        assert isinstance(base.type, T.RecordType)
        return ir.Op("field", (base,), base.type.fields[position][1], e.span, position)

    def field_index(self, record: T.Type, e: s.Field) -> int:
        """The position of `.name` in a record type, or a located error."""
        if not isinstance(record, T.RecordType):
            raise self._mismatch("a record", record, e.base.span, f"'.{e.name}'")
        try:
            return record.index(e.name)
        except KeyError:
            names = ", ".join(n for n, _ in record.fields)
            raise SpecError(errors.UNDEFINED, f"record has no field '{e.name}'", e.span,
                            [Note(f"its fields are: {names}")]) from None

    def process_variable(self, e: s.Field, scope: Scope
                         ) -> Optional[tuple[ProcInfo, ir.Var, Optional[s.Expr]]]:
        """`worker[r].stage` or `janitor.count`: a process's variable named from anywhere, with
        the index expression (None for a process without index)."""
        base = e.base
        if isinstance(base, s.Index) and isinstance(base.base, s.Name):
            proc_name, index = base.base.name, base.key
        elif isinstance(base, s.Name):
            proc_name, index = base.name, None
        else:
            return None
        if proc_name not in self.ns.processes or scope.lookup(proc_name) is not None:
            return None
        proc = self.ns.processes[proc_name]
        var = self.ns.process_vars.get(proc_name, {}).get(e.name)
        if var is None:
            raise self._undefined(e.name, e.span, f"variable of process '{proc_name}':")
        if (index is None) != (proc.index_type is None):
            form = f"{proc_name}[i].{e.name}" if proc.index_type else f"{proc_name}.{e.name}"
            raise SpecError(errors.ARITY, f"write this as {form}", e.span)
        return proc, var, index

    def _Call(self, e: s.Call, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
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
            return ir.Op(f, (a, b), _minmax_type(f, a.type, b.type), e.span)
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

    def _expand(self, d: s.Def, args: tuple[s.Expr, ...], scope: Scope,
                span: s.Span) -> ir.Expr:
        if len(args) != len(d.params):
            raise SpecError(errors.ARITY, f"'{d.name}' takes {len(d.params)} argument(s), "
                            f"{len(args)} given", span,
                            [Note(f"'{d.name}' is defined here", d.span)])
        if d.name in scope.defs:
            raise SpecError(errors.ARITY, f"'{d.name}' is recursive, which is not supported",
                            span, [Note("defined here", d.span)])
        values = [self.expr(a, scope) for a in args]
        proc_name = self.ns.def_process.get(d.name)
        inner = Scope((), self.ns.processes.get(proc_name) if proc_name else scope.process,
                      scope.primes, scope.state, scope.defs + (d.name,))
        for name, value in zip(d.params, values):
            inner = inner.bind(name, value)
        return self.expr(d.body, inner)

    def _SetLit(self, e: s.SetLit, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        if not e.elems:
            if isinstance(expected, T.SetType):
                return ir.Lit(frozenset(), expected, e.span)
            raise SpecError(errors.TYPE_MISMATCH, "cannot tell the type of `{}` here", e.span,
                            [Note("compare or assign it to a value of known type")])
        want = expected.elem if isinstance(expected, T.SetType) else None
        elems = self._same_type(e.elems, scope, want, "set element")
        elem_type = elems[0].type
        for x in elems[1:]:
            elem_type = _join(elem_type, x.type)
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
            raise SpecError(errors.TYPE_MISMATCH, "cannot tell the type of `<<>>` here", e.span)
        items = self._same_type(e.elems, scope, None, "sequence element")
        return ir.Op("seq", tuple(items), T.SeqType(items[0].type, len(items)), e.span)

    def _Ite(self, e: s.Ite, scope: Scope, expected: Optional[T.Type]) -> ir.Expr:
        cond = self.expect_bool(e.cond, scope)
        then = self.expr(e.then, scope, expected)
        other = self.expect(e.else_, scope, then.type, "else branch")
        return ir.Op("ite", (cond, then, other), _join(then.type, other.type), e.span)


def _join(a: T.Type, b: T.Type) -> T.Type:
    """The smallest type holding values of both (only integer bounds and capacities differ)."""
    if isinstance(a, T.IntType) and isinstance(b, T.IntType):
        if a.bounded and b.bounded:
            return T.IntType(min(a.lo, b.lo), max(a.hi, b.hi))  # type: ignore[type-var]
        return T.INT
    if isinstance(a, T.SetType) and isinstance(b, T.SetType):
        return T.SetType(_join(a.elem, b.elem))
    if isinstance(a, T.SeqType) and isinstance(b, T.SeqType):
        return T.SeqType(_join(a.elem, b.elem), max(a.capacity, b.capacity), a.bag)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        return T.MapType(a.key, _join(a.value, b.value))
    if isinstance(a, T.RecordType) and isinstance(b, T.RecordType):
        return T.RecordType(tuple((n, _join(x, y)) for (n, x), (_, y) in zip(a.fields, b.fields)))
    return a


def _arith_type(op: str, a: T.Type, b: T.Type) -> T.Type:
    assert isinstance(a, T.IntType) and isinstance(b, T.IntType)
    if not (a.bounded and b.bounded):
        return T.INT
    assert a.lo is not None and a.hi is not None and b.lo is not None and b.hi is not None
    if op == "add":
        return T.IntType(a.lo + b.lo, a.hi + b.hi)
    if op == "sub":
        return T.IntType(a.lo - b.hi, a.hi - b.lo)
    if op == "mul":
        corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        return T.IntType(min(corners), max(corners))
    if op == "mod" and b.lo > 0:
        return T.IntType(0, b.hi - 1)
    return T.INT


def _minmax_type(f: str, a: T.Type, b: T.Type) -> T.Type:
    assert isinstance(a, T.IntType) and isinstance(b, T.IntType)
    if not (a.bounded and b.bounded):
        return T.INT
    pick = min if f == "min" else max
    return T.IntType(pick(a.lo, b.lo), pick(a.hi, b.hi))  # type: ignore[type-var]


_OP_TEXT = {"and": "and", "or": "or", "implies": "=>", "equiv": "<=>", "in": "in",
            "notin": "not in"}
