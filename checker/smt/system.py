"""A whole spec as Z3 formulas over one template pair of states (`cur`, `nxt`).

The initial states, the domains of the variables, the state constraints, every property, and
one `Instance` per action instance (executed symbolically by `checker.smt.actions`). BMC and
proofs copy these templates per step with `z3.substitute`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import z3

from checker.ir.kinds import PropertyKind
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.errors import Span
from checker.smt.actions import ActionWriter, Instance
from checker.smt.domains import domain
from checker.smt.env import Env, FaultSite, unsupported
from checker.smt.expr import ExprEncoder
from checker.smt.ops import member
from checker.smt.values import TRUE, Refusal, Sym, conj, const, disj, eq, fresh, leaves, neg

CHOICE_EXPANSION_LIMIT = 4096  # choice combinations per action instance, for `for all choices`


@dataclass(frozen=True)
class Formula:
    """A property's truth value and the evaluation errors its evaluation can raise."""

    holds: z3.BoolRef
    faults: tuple[FaultSite, ...]


@dataclass
class SymbolicSystem:
    spec: ir.Spec
    exprs: ExprEncoder
    cur: tuple[Sym, ...]
    nxt: tuple[Sym, ...]
    instances: tuple[Instance, ...]
    init: z3.BoolRef  # over cur
    init_faults: tuple[FaultSite, ...]
    domain: z3.BoolRef  # over cur: every variable holds a value of its type
    within: z3.BoolRef  # over cur: the state constraints
    invariants: dict[str, Formula]  # over cur
    transitions: dict[str, Formula]  # over cur and nxt
    assumptions: z3.BoolRef  # the `where` conditions of symbolic constants
    symbols: dict[str, z3.ArithRef] = field(default_factory=dict)
    within_faults: tuple[FaultSite, ...] = ()  # over cur: evaluating the constraints fails

    def step(self) -> z3.BoolRef:
        """cur -> nxt is a step of some action instance that raises no evaluation error."""
        return disj([conj([i.enabled, neg(i.faulty), self.same(self.nxt, i.next)])
                     for i in self.instances])

    def step_function(self, selector: z3.ArithRef) -> z3.BoolRef:
        """The same relation as `step`, with the instance taken named by `selector` and each
        leaf of nxt defined as a function of cur (much smaller, and faster to solve)."""
        cur = self.state_leaves(self.cur)
        nxt = self.state_leaves(self.nxt)
        nexts = [self.state_leaves(i.next) for i in self.instances]
        if any(len(n) != len(cur) for n in nexts):
            return conj([selector == 0, self.step()])  # a shape mismatch: keep the plain form
        parts = [selector >= 0, selector < len(self.instances),
                 disj([conj([selector == k, i.enabled, neg(i.faulty)])
                       for k, i in enumerate(self.instances)])]
        for j, (before, after) in enumerate(zip(cur, nxt)):
            value = before
            for k in reversed(range(len(self.instances))):
                candidate = nexts[k][j]
                if candidate is not before and not candidate.eq(before):
                    value = z3.If(selector == k, candidate, value)
            parts.append(after == value)
        return conj(parts)

    def same(self, a: Sequence[Sym], b: Sequence[Sym]) -> z3.BoolRef:
        return conj([eq(v.type, x, v.type, y) for v, x, y in zip(self.spec.vars, a, b)])

    def faults(self) -> z3.BoolRef:
        """Some action instance raises an evaluation error from cur (for some choices)."""
        return disj([i.faulty for i in self.instances])

    def no_successor(self) -> z3.BoolRef:
        """No action instance is enabled in cur, whatever the choices (a deadlock)."""
        return conj([self._for_all_choices(i, neg(i.enabled), "deadlock detection")
                     for i in self.instances])

    def never_faults(self) -> z3.BoolRef:
        """No action instance raises an evaluation error from cur, whatever the choices."""
        return conj([self._for_all_choices(i, neg(i.faulty), "evaluation-error analysis")
                     for i in self.instances])

    def _for_all_choices(self, inst: Instance, formula: z3.BoolRef, what: str) -> z3.BoolRef:
        """`formula` for every value of the instance's choices (expanded: they are finite)."""
        sizes = [c.size for c in inst.choices]
        total = 1
        for n in sizes:
            total *= n
        if total > CHOICE_EXPANSION_LIMIT:
            action = self.spec.actions[inst.action]
            raise unsupported(f"{what} for '{action.name}', whose choices combine in {total} "
                              "ways", action.span)
        parts = []
        for combo in itertools.product(*[range(n) for n in sizes]):
            pairs = [(c.var, z3.IntVal(v)) for c, v in zip(inst.choices, combo)]
            parts.append(z3.substitute(formula, *pairs) if pairs else formula)
        return conj(parts)

    def state_leaves(self, state: Sequence[Sym]) -> list[z3.ExprRef]:
        return [x for v in state for x in leaves(v)]

    def choice_vars(self) -> list[z3.ArithRef]:
        return [c.var for i in self.instances for c in i.choices]

    def fresh_state(self, prefix: str) -> tuple[Sym, ...]:
        return tuple(fresh(v.type, f"{prefix}{v.name}") for v in self.spec.vars)


# ---------------------------------------------------------------- building


def encode(spec: ir.Spec, symbols: Optional[Mapping[str, z3.ArithRef]] = None,
           collecting: bool = False) -> SymbolicSystem:
    """The symbolic system of a spec; `symbols` names the constants left symbolic (proofs).

    With `collecting`, symbolic constants that shape the encoding are recorded in
    `exprs.uses.shaping` (and used at their values) instead of being refused.
    """
    exprs = ExprEncoder(symbols or {}, collecting)
    cur = _state(spec, exprs, "")
    nxt = _state(spec, exprs, "'")
    writer = ActionWriter(spec, exprs)
    instances = tuple(inst for k, action in enumerate(spec.actions)
                      for inst in writer.action(k, action, cur))
    init, init_faults = _init(spec, exprs, cur)
    dom = conj([domain(v.type, x, exprs.bounds) for v, x in zip(spec.vars, cur)])
    invariants: dict[str, Formula] = {}
    transitions: dict[str, Formula] = {}
    within: list[z3.BoolRef] = []
    within_faults: list[FaultSite] = []
    for p in spec.properties:
        if p.kind == PropertyKind.INVARIANT:
            invariants[p.name] = _formula(exprs, p.expr, cur, None)
        elif p.kind == PropertyKind.TRANSITION:
            transitions[p.name] = _step_formula(spec, exprs, p.expr, cur, nxt)
        elif p.kind == PropertyKind.CONSTRAINT:
            # constraints are evaluated in order, each only where those before it hold
            constraint = _formula(exprs, p.expr, cur, None)
            within_faults.extend(FaultSite(conj(within + [x.when]), x.message, x.span)
                                 for x in constraint.faults)
            within.append(constraint.holds)
    assumptions = conj([exprs.constant(c.where) for c in spec.constants
                        if c.where is not None and c.name in exprs.symbols])
    return SymbolicSystem(spec, exprs, cur, nxt, instances, init, init_faults, dom,
                          conj(within), invariants, transitions, assumptions,
                          dict(exprs.symbols), tuple(within_faults))


def _state(spec: ir.Spec, exprs: ExprEncoder, prefix: str) -> tuple[Sym, ...]:
    out = []
    for v in spec.vars:
        _check_structure(exprs, v.type, v.span, v.name)
        try:
            out.append(fresh(v.type, prefix + v.name))
        except Refusal as refusal:
            raise unsupported(f"variable '{v.name}': {refusal}", v.span) from None
    return tuple(out)


def _check_structure(exprs: ExprEncoder, t: T.Type, span: Span, name: str) -> None:
    """Map keys, set and bag elements and capacities must not depend on symbolic constants."""
    for names, what in _shaping(exprs, t):
        try:
            exprs.uses.needs_concrete(names, f"the {what} of variable '{name}' ({t})")
        except Refusal as refusal:
            raise unsupported(str(refusal), span) from None


def _shaping(exprs: ExprEncoder, t: T.Type) -> list[tuple[frozenset[str], str]]:
    """The symbolic constants that fix the shape of a type, with what they size."""
    if isinstance(t, T.MapType):
        return [(exprs.uses.names_in_type(t.key), "key range")] + _shaping(exprs, t.value)
    if isinstance(t, T.SetType):
        return [(exprs.uses.names_in_type(t.elem), "element range")]
    if isinstance(t, T.SeqType):
        found = []
        if t.capacity_expr is not None:
            found.append((exprs.uses.names_in(t.capacity_expr), "capacity"))
        if t.bag:
            found.append((exprs.uses.names_in_type(t.elem), "element range"))
        return found + _shaping(exprs, t.elem)
    if isinstance(t, T.RecordType):
        return [x for _, f in t.fields for x in _shaping(exprs, f)]
    return []


def _formula(exprs: ExprEncoder, e: ir.Expr, cur: Sequence[Sym],
             nxt: Optional[Sequence[Sym]]) -> Formula:
    faults: list[FaultSite] = []
    holds = exprs.expr(e, Env(cur, nxt, (), TRUE, faults))
    return Formula(holds, tuple(faults))


def _step_formula(spec: ir.Spec, exprs: ExprEncoder, e: ir.Expr, cur: Sequence[Sym],
                  nxt: Sequence[Sym]) -> Formula:
    """A transition property as TLA+'s `[P]_vars`: P, or a step that changes no variable (on
    which P is not evaluated, so it raises no error), as the explicit semantics has it."""
    f = _formula(exprs, e, cur, nxt)
    moved = neg(conj([eq(v.type, x, v.type, y) for v, x, y in zip(spec.vars, cur, nxt)]))
    return Formula(disj([f.holds, neg(moved)]),
                   tuple(FaultSite(conj([moved, x.when]), x.message, x.span) for x in f.faults))


def _init(spec: ir.Spec, exprs: ExprEncoder, cur: Sequence[Sym]) -> tuple[z3.BoolRef,
                                                                         tuple[FaultSite, ...]]:
    indexed = {name: index for name, index in spec.processes if index is not None}
    faults: list[FaultSite] = []
    env = Env(cur, None, (), TRUE, faults)
    parts = []
    for slot, var in enumerate(spec.vars):
        if var.process in indexed:
            index_type = indexed[var.process]
            assert isinstance(var.type, T.MapType)
            for i, key in enumerate(T.values(index_type)):
                keyed = env.bind("self", const(index_type, key), index_type)
                parts.append(_initial(exprs, var, var.type.value, cur[slot][i], keyed))
        else:
            parts.append(_initial(exprs, var, var.type, cur[slot], env))
    return conj(parts), tuple(faults)


def _initial(exprs: ExprEncoder, var: ir.StateVar, t: T.Type, x: Sym, env: Env) -> z3.BoolRef:
    value = exprs.expr(var.init, env)
    if var.init_in:
        assert isinstance(var.init.type, T.SetType)
        return member(t, x, var.init.type, value)
    return eq(t, x, var.init.type, value)
