"""Type checking of action bodies: statements in, IR statements out."""

from __future__ import annotations

from checker.ir.kinds import PathKind
from checker import errors
from checker.ir import nodes as ir
from checker.lang import syntax as s
from checker.ir import types as T
from checker.errors import SpecError
from checker.lang.expr_checker import ExprChecker
from checker.lang.reference_checker import MAX_BLOCKS
from checker.lang.scope import Namespace, Scope


class StmtChecker(ExprChecker):
    """Adds statements and assignable places to the expression checker."""

    def __init__(self, ns: Namespace):
        super().__init__(ns)
        self.blocks = 0  # statement blocks being checked, one inside the other

    def block(self, stmts: tuple[s.Stmt, ...], scope: Scope) -> tuple[ir.Stmt, ...]:
        self.blocks += 1
        try:
            out: list[ir.Stmt] = []
            for stmt in stmts:
                if self.blocks > MAX_BLOCKS:
                    raise SpecError(errors.TOO_DEEP, f"statement blocks nested more than "
                                    f"{MAX_BLOCKS} deep", stmt.span)
                checked, scope = self.stmt(stmt, scope)
                out.append(checked)
            return tuple(out)
        finally:
            self.blocks -= 1

    def stmt(self, st: s.Stmt, scope: Scope) -> tuple[ir.Stmt, Scope]:
        if isinstance(st, s.Assign):
            target = self.target(st.target, scope)
            value = self.expect(st.value, scope, target.type, f"value assigned to {_show(st.target)}")
            return ir.Assign(target, value, T.needs_check(value.type, target.type), st.span), scope
        if isinstance(st, s.If):
            branches = tuple(
                (self.expect_bool(cond, scope, errors.NOT_BOOLEAN, "condition of 'if'"),
                 self.block(body.stmts, scope)) for cond, body in st.branches)
            other = self.block(st.else_.stmts, scope) if st.else_ else ()
            return ir.If(branches, other, st.span), scope
        if isinstance(st, s.Either):
            return ir.Either(tuple(self.block(b.stmts, scope) for b in st.blocks), st.span), scope
        if isinstance(st, s.Choose):
            domain, elem = self._set_domain(st.domain, scope)
            return (ir.Choose(st.var, elem, domain, st.span),
                    scope.bind(st.var, ir.Local(st.var, elem, st.span)))
        if isinstance(st, s.Let):
            value = self.expr(st.value, scope)
            return (ir.Let(st.var, value, st.span),
                    scope.bind(st.var, ir.Local(st.var, value.type, st.span)))
        if isinstance(st, s.Await):
            cond = self.expect_bool(st.cond, scope, errors.NOT_BOOLEAN, "condition of 'await'")
            return ir.Await(cond, st.span), scope
        if isinstance(st, s.Send):
            channel = self._channel(st.channel, scope)
            assert isinstance(channel.type, T.SeqType)
            value = self.expect(st.value, scope, channel.type.elem, "message")
            return (ir.Send(channel, value, T.needs_check(value.type, channel.type.elem), st.span),
                    scope)
        if isinstance(st, s.Receive):
            channel = self._channel(st.channel, scope)
            assert isinstance(channel.type, T.SeqType)
            return (ir.Receive(st.var, channel, st.span),
                    scope.bind(st.var, ir.Local(st.var, channel.type.elem, st.span)))
        return ir.Skip(st.span), scope

    def _channel(self, e: s.Expr, scope: Scope) -> ir.Target:
        channel = self.target(e, scope)
        if not isinstance(channel.type, T.SeqType):
            raise SpecError(errors.TYPE_MISMATCH,
                            f"a channel must be a fifo, seq or bag; {_show(e)} has type "
                            f"{channel.type}", e.span)
        return channel

    def target(self, e: s.Expr, scope: Scope) -> ir.Target:
        """An assignable place: a state variable (global or of this process) and a path into it."""
        if isinstance(e, s.Name):
            return self._root(e, scope)
        if isinstance(e, s.Index):
            base = self.target(e.base, scope)
            if not isinstance(base.type, T.MapType):
                raise self._mismatch("a map", base.type, e.base.span, "indexed place")
            key = self.expect(e.key, scope, base.type.key, "map key")
            step = ir.PathStep(PathKind.INDEX, key, 0, T.key_offset(base.type.key), base.type)
            return ir.Target(base.var, base.path + (step,), base.type.value, e.span)
        if isinstance(e, s.Field):
            owned = self._process_target(e, scope)
            if owned is not None:
                return owned
            base = self.target(e.base, scope)
            index = self.field_index(base.type, e)
            assert isinstance(base.type, T.RecordType)
            step = ir.PathStep(PathKind.FIELD, None, index, 0, base.type)
            return ir.Target(base.var, base.path + (step,), base.type.fields[index][1], e.span)
        raise SpecError(errors.NOT_ASSIGNABLE, "only variables can be assigned", e.span)

    def _process_target(self, e: s.Field, scope: Scope) -> ir.Target | None:
        """`worker[r].stage := ...` from anywhere, `janitor.count := ...`."""
        owned = self.process_variable(e, scope)
        if owned is None:
            return None
        _, var, index = owned
        if index is None:
            return ir.Target(var, (), var.type, e.span)
        assert isinstance(var.type, T.MapType)
        key = self.expect(index, scope, var.type.key, "process index")
        step = ir.PathStep(PathKind.INDEX, key, 0, T.key_offset(var.type.key), var.type)
        return ir.Target(var, (step,), var.type.value, e.span)

    def _root(self, e: s.Name, scope: Scope) -> ir.Target:
        name = e.name
        if scope.lookup(name) is not None:
            raise SpecError(errors.NOT_ASSIGNABLE,
                            f"'{name}' is a local name (a parameter, `let`, `choose` or bound "
                            "variable) and cannot be assigned", e.span)
        proc = scope.process
        if proc is not None and name in self.ns.process_vars.get(proc.name, {}):
            var = self.ns.process_vars[proc.name][name]
            if proc.index_type is None:
                return ir.Target(var, (), var.type, e.span)
            assert isinstance(var.type, T.MapType)
            key = ir.Local("self", proc.index_type, e.span)
            step = ir.PathStep(PathKind.INDEX, key, 0, T.key_offset(var.type.key), var.type)
            return ir.Target(var, (step,), var.type.value, e.span)
        if name in self.ns.vars:
            var = self.ns.vars[name]
            return ir.Target(var, (), var.type, e.span)
        if name in self.ns.constants:
            kind = "switch" if self.ns.constants[name].switch else "constant"
            raise SpecError(errors.NOT_ASSIGNABLE, f"'{name}' is a {kind} and cannot be assigned",
                            e.span)
        if name in self.ns.members or name in self.ns.types or name in self.ns.defs:
            raise SpecError(errors.NOT_ASSIGNABLE, f"'{name}' is not a variable", e.span)
        raise self._undefined(name, e.span, "variable")


def _show(e: s.Expr) -> str:
    if isinstance(e, s.Name):
        return f"'{e.name}'"
    if isinstance(e, s.Field):
        return f"'.{e.name}'"
    return "this place"
