"""Expressions that refer to something declared: names, state and process variables, map and
sequence indexing, record fields, and the expansion of `def` operators; with the checks every
expression checker shares (`expect`, `expect_bool`, `constant`). `ExprChecker` builds on it."""

from __future__ import annotations

import difflib
from typing import Optional

from checker import errors
from checker.errors import Note, SpecError
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.lang import declarations as D
from checker.lang import syntax as s
from checker.lang.scope import Namespace, Primes, ProcInfo, Scope


# How deeply expressions may nest, counting the bodies of the `def`s they use, and how deeply
# statement blocks may nest (docs/errors.md, E103): beyond, the generated Python and the Z3
# encoder would reach Python's limits. Long chains of `and`, `or`, `+` ... do not nest (the
# parser builds them balanced).
MAX_NESTING = 64
MAX_BLOCKS = 24


class ReferenceChecker:
    """Checks references against a filled namespace; `expr` dispatches on the syntax node's class
    to a method `_<Class>` (the operators and literals are `ExprChecker`'s)."""

    def __init__(self, ns: Namespace):
        self.ns = ns
        self.depth = 0  # expressions being checked, one inside the other

    # ------------------------------------------------------------ helpers
    def _undefined(self, name: str, span: errors.Span, what: str = "name") -> SpecError:
        close = difflib.get_close_matches(name, self.ns.all_names(), n=1)
        notes = [Note(f"did you mean '{close[0]}'?")] if close else []
        return SpecError(errors.UNDEFINED, f"undefined {what} '{name}'", span, notes)

    def _mismatch(self, expected: str, got: T.Type, span: errors.Span, what: str = "") -> SpecError:
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

    def constant(self, e: s.Expr, scope: Optional[Scope] = None,
                 expected: Optional[T.Type] = None) -> tuple[ir.Expr, T.Value]:
        """Check an expression that must not depend on the state, and evaluate it."""
        out = self.expr(e, scope or Scope(state=False), expected)
        if not codegen.is_constant(out):
            raise SpecError(errors.NOT_CONSTANT, "this must be a constant expression", e.span)
        try:
            return out, codegen.evaluate(out)
        except codegen.Fault as fault:
            raise SpecError(errors.EVALUATION, fault.detail, e.span) from None

    # ------------------------------------------------------------ expressions
    def expr(self, e: s.Expr, scope: Scope, expected: Optional[T.Type] = None) -> ir.Expr:
        if self.depth >= MAX_NESTING:
            raise SpecError(errors.TOO_DEEP, f"expression nested more than {MAX_NESTING} levels "
                            "deep (counting the bodies of the `def`s it uses)", e.span,
                            [Note("name parts of it with `def`s used side by side, or split it")])
        method = getattr(self, "_" + type(e).__name__)
        self.depth += 1
        try:
            result: ir.Expr = method(e, scope, expected)
        finally:
            self.depth -= 1
        return result

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

    def _var(self, var: ir.Var, scope: Scope, span: errors.Span) -> ir.Expr:
        if not scope.state:
            raise SpecError(errors.NOT_CONSTANT,
                            f"state variable '{var.name}' cannot be read here: this must be a "
                            "constant expression", span)
        return ir.Var(var.slot, var.name, var.type, scope.primes == Primes.INSIDE, span)

    def _process_var(self, var: ir.Var, proc: ProcInfo, scope: Scope, span: errors.Span) -> ir.Expr:
        base = self._var(var, scope, span)
        if proc.index_type is None:
            return base
        assert isinstance(var.type, T.MapType)
        return ir.Op("index", (base, ir.Local("self", proc.index_type, span)), var.type.value,
                     span, (T.key_offset(var.type.key), False, T.size(var.type.key)))

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

    def _index(self, base: ir.Expr, key_syntax: s.Expr, scope: Scope, span: errors.Span) -> ir.Expr:
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

    def _expand(self, d: D.Def, args: tuple[s.Expr, ...], scope: Scope,
                span: errors.Span) -> ir.Expr:
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
                      scope.primes, scope.state, scope.defs + (d.name,), enabled=scope.enabled)
        for name, value in zip(d.params, values):
            inner = inner.bind(name, value)
        return self.expr(d.body, inner)
