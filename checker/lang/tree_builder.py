"""Lark's parse tree to the syntax tree of a module (`checker.lang.declarations`), without recursion."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lark import Token, Tree

from checker.ir.kinds import FairnessKind, TemporalOp
from checker.lang import declarations as D
from checker.lang import syntax as s
from checker.lang.expr_builder import ASSOCIATIVE, ExprBuilder, token_text

_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


class TreeBuilder(ExprBuilder):
    """Declarations and modules; `module` walks the tree bottom-up."""

    def module(self, tree: Tree[Any]) -> D.Module:
        """Build bottom-up with an explicit stack, so a 100,000-term sum or an expression nested
        10,000 deep does not reach Python's recursion limit (the type checker bounds nesting)."""
        work: list[tuple[Any, int]] = [(tree, -1)]
        built: list[Any] = []
        while work:
            node, arity = work.pop()
            if not isinstance(node, Tree):
                built.append(node)
            elif arity < 0:
                operands = _chain_operands(node) if node.data in ASSOCIATIVE else node.children
                work.append((node, len(operands)))
                work.extend((child, -1) for child in reversed(operands))
            else:
                children = built[len(built) - arity:]
                del built[len(built) - arity:]
                built.append(self._node(node, children))
        result = built.pop()
        assert isinstance(result, D.Module)
        return result

    def _node(self, tree: Tree[Any], children: list[Any]) -> Any:
        if tree.data in ASSOCIATIVE:
            return self._balanced(ASSOCIATIVE[tree.data], children, self._span(tree.meta))
        method = getattr(self, str(tree.data), None)
        if method is None:
            return Tree(tree.data, children, tree.meta)
        return method(tree.meta, children)
    # ------------------------------------------------------------ module and declarations
    def start(self, meta: Any, children: list[Any]) -> D.Module:
        name = None
        decls = []
        for child in children:
            if isinstance(child, tuple) and child and child[0] == "module":
                name = child[1]
            elif child is not None:
                decls.append(child)
        return D.Module(name, tuple(decls), self.path, self._span(meta))

    def module_header(self, meta: Any, c: list[Any]) -> tuple[str, str]:
        return ("module", token_text(c[0]))

    def import_decl(self, meta: Any, c: list[Any]) -> D.Import:
        return D.Import(_unquote(c[0]), self._span(meta))

    def const_typed(self, meta: Any, c: list[Any]) -> D.Const:
        return D.Const(token_text(c[1]), c[2], c[3], c[4], self._span(meta), c[0] is not None)

    def const_where(self, meta: Any, c: list[Any]) -> s.Expr:
        return c[0]  # type: ignore[no-any-return]

    def const_atoms(self, meta: Any, c: list[Any]) -> D.ConstAtoms:
        return D.ConstAtoms(token_text(c[1]), c[2], self._span(meta), c[0] is not None)

    def switch_decl(self, meta: Any, c: list[Any]) -> D.Switch:
        return D.Switch(token_text(c[1]), c[2], c[3], self._span(meta), c[0] is not None)

    def enum_decl(self, meta: Any, c: list[Any]) -> D.EnumDecl:
        return D.EnumDecl(token_text(c[0]), c[1], self._span(meta))

    def type_decl(self, meta: Any, c: list[Any]) -> D.TypeDecl:
        return D.TypeDecl(token_text(c[0]), c[1], self._span(meta))

    def var_eq(self, meta: Any, c: list[Any]) -> D.VarDecl:
        return D.VarDecl(token_text(c[0]), c[1], c[2], False, self._span(meta))

    def var_in(self, meta: Any, c: list[Any]) -> D.VarDecl:
        return D.VarDecl(token_text(c[0]), c[1], c[2], True, self._span(meta))

    def def_decl(self, meta: Any, c: list[Any]) -> D.Def:
        params = c[1] if c[1] is not None else ()
        return D.Def(token_text(c[0]), params, c[2], self._span(meta))

    def def_params(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(token_text(t) for t in c if t is not None)

    def action_decl(self, meta: Any, c: list[Any]) -> D.Action:
        fairness, name, params, guard, body = c
        return D.Action(token_text(name), params or (), guard, body, fairness, self._span(meta))

    def action_params(self, meta: Any, c: list[Any]) -> tuple[D.Param, ...]:
        return tuple(c)

    def param(self, meta: Any, c: list[Any]) -> D.Param:
        return D.Param(token_text(c[0]), c[1], self._span(meta))

    def guard(self, meta: Any, c: list[Any]) -> s.Expr:
        return c[0]  # type: ignore[no-any-return]

    def process_decl(self, meta: Any, c: list[Any]) -> D.Process:
        fairness, name, index, *items = c
        return D.Process(
            token_text(name), index,
            tuple(i for i in items if isinstance(i, D.VarDecl)),
            tuple(i for i in items if isinstance(i, D.Action)),
            tuple(i for i in items if isinstance(i, D.Def)),
            fairness, self._span(meta))

    def process_index(self, meta: Any, c: list[Any]) -> D.Param:
        return D.Param(token_text(c[0]), c[1], self._span(meta))

    def weak_fair(self, meta: Any, c: list[Any]) -> FairnessKind:
        return FairnessKind.WEAK

    def strong_fair(self, meta: Any, c: list[Any]) -> FairnessKind:
        return FairnessKind.STRONG

    def fairness_decl(self, meta: Any, c: list[Any]) -> D.FairnessDecl:
        return D.FairnessDecl(c[0], c[1], self._span(meta), tuple(c[2:]))

    def qual_name(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(token_text(t) for t in c)

    def invariant_decl(self, meta: Any, c: list[Any]) -> D.Invariant:
        return D.Invariant(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], False,
                           self._span(meta))

    def helper_decl(self, meta: Any, c: list[Any]) -> D.Invariant:
        return D.Invariant(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], True,
                           self._span(meta))

    def transition_decl(self, meta: Any, c: list[Any]) -> D.Transition:
        return D.Transition(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def constraint_decl(self, meta: Any, c: list[Any]) -> D.Constraint:
        return D.Constraint(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def temporal_decl(self, meta: Any, c: list[Any]) -> D.Temporal:
        return D.Temporal(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2], self._span(meta))

    def t_always_eventually(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        return D.TemporalFormula(TemporalOp.ALWAYS_EVENTUALLY, c[0], None, self._span(meta))

    def t_eventually_always(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        return D.TemporalFormula(TemporalOp.EVENTUALLY_ALWAYS, c[0], None, self._span(meta))

    def t_eventually(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        return D.TemporalFormula(TemporalOp.EVENTUALLY, c[0], None, self._span(meta))

    def t_always(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        return D.TemporalFormula(TemporalOp.ALWAYS, c[0], None, self._span(meta))

    def t_leads_to(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        return D.TemporalFormula(TemporalOp.LEADS_TO, c[0], c[1], self._span(meta))

    def t_forall(self, meta: Any, c: list[Any]) -> D.TemporalFormula:
        span = self._span(meta)
        inner: D.TemporalFormula = c[2]
        binder = D.TemporalBinder(token_text(c[0]), c[1], span)
        return replace(inner, binders=(binder,) + inner.binders, span=span)

    def reachable_decl(self, meta: Any, c: list[Any]) -> D.Reachable:
        return D.Reachable(token_text(c[0]), _unquote(c[1]) if c[1] else None, c[2],
                           self._span(meta))

    def set_decl(self, meta: Any, c: list[Any]) -> D.SetOverride:
        return D.SetOverride(token_text(c[0]), c[1], self._span(meta))

    def deadlock_on(self, meta: Any, c: list[Any]) -> D.DeadlockSetting:
        return D.DeadlockSetting(True, self._span(meta))

    def deadlock_off(self, meta: Any, c: list[Any]) -> D.DeadlockSetting:
        return D.DeadlockSetting(False, self._span(meta))

    def continue_on(self, meta: Any, c: list[Any]) -> D.ContinueSetting:
        return D.ContinueSetting(True, self._span(meta))

    def continue_off(self, meta: Any, c: list[Any]) -> D.ContinueSetting:
        return D.ContinueSetting(False, self._span(meta))

    def name_list(self, meta: Any, c: list[Any]) -> tuple[str, ...]:
        return tuple(token_text(t) for t in c)

def _unquote(token: Token) -> str:
    """A string literal's text: \\n, \\t, \\" and \\\\ are escapes; any other backslash stays."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), str(token)[1:-1])


def _chain_operands(tree: Tree[Any]) -> list[Any]:
    """The operands of a left-nested chain of one operator, `((a + b) + c) + d` -> [a, b, c, d]."""
    operands = []
    node: Any = tree
    while isinstance(node, Tree) and node.data == tree.data:
        operands.append(node.children[1])
        node = node.children[0]
    operands.append(node)
    operands.reverse()
    return operands
