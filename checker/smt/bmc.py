"""Bounded model checking: the shortest violation within K steps, found by Z3 and replayed.

The path s0 -> s1 -> ... -> sk is unrolled one step at a time (k = 0, 1, ..., K), so the first
violation found is a shortest one. Every state of the path satisfies the state constraints
(as in the explicit search, which neither keeps nor expands states outside them). At each k
the solver is asked whether some selected property fails at sk (or on the step into sk), sk
has no successor (deadlock), or expanding sk raises an evaluation error.

Every trace is replayed by the explicit semantics (the compiled successor function) before it
is reported; a Z3 model that does not replay raises `EncodingMismatch`, an internal error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import z3

from checker.explicit.compile import compile_spec
from checker.explicit.system import State, TransitionSystem
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import PropertyKind
from checker.smt.bitvec import BitVectors
from checker.smt.confirm import (CompiledSpecs, EncodingMismatch, ModelValue, confirm_violation,
                                 constant_values, decode_state, model_value, replay_path)
from checker.smt.interrupt import INTERRUPTS, is_interrupt, terminable
from checker.smt.limits import Limit, Limits, check
from checker.smt.symbolic import symbolic_system
from checker.smt.system import Formula, SymbolicSystem, encode
from checker.smt.values import Sym, conj, const, disj, eq, leaf_intervals, neg
from checker.trace import trace


@dataclass(frozen=True)
class BmcViolation:
    kind: PropertyKind  # invariant, transition, deadlock or evaluation
    name: str  # the property, "Deadlock", or "EvaluationError"
    states: tuple[State, ...]
    trace: trace.Trace
    detail: Optional[str] = None  # for an evaluation error: what fails
    constants: dict[str, int] = field(default_factory=dict)  # symbolic constants' values


@dataclass
class BmcResult:
    spec: ir.Spec
    depth: int  # the bound asked for (steps)
    reached: int  # the last step count that was fully checked (-1 if none)
    violations: list[BmcViolation]
    checked: list[str]  # the properties looked at (evaluation errors are always looked for)
    elapsed: float
    unknown: Optional[str] = None  # Z3's reason when a query came back unknown
    limit: Optional[Limit] = None  # the limit that cut that query short, if one did
    limits: Limits = field(default_factory=Limits)  # what bounded Z3 (checker.smt.limits)
    step_times: list[float] = field(default_factory=list)
    width: Optional[int] = None  # bits of the bit-vector encoding (None: integers)
    symbolic: list[str] = field(default_factory=list)  # constants left symbolic
    kept_going: bool = False  # went on after a violation, for the others' shortest violations

    interrupted: bool = False  # Ctrl-C or SIGTERM: `reached` is the last depth finished

    @property
    def complete(self) -> bool:
        return self.unknown is None and not self.interrupted

    @property
    def unfinished(self) -> Optional[str]:
        """Why a depth is unfinished, in words (None when every depth asked was decided)."""
        if self.unknown is None:
            return None
        return self.limit.value if self.limit is not None else f"Z3: {self.unknown}"


@dataclass(frozen=True)
class BmcDepth:
    """Progress: every behaviour of `depth` steps has been looked at."""

    depth: int
    seconds: float  # this depth
    elapsed: float  # since the start
    open: tuple[str, ...]  # properties without a violation so far
    violated: tuple[str, ...]  # found so far (in order)


DepthCallback = Callable[[BmcDepth], None]


@dataclass(frozen=True)
class _Goal:
    kind: PropertyKind
    name: str
    template: z3.BoolRef  # the violation, over cur (and nxt for a transition property)
    on_step: bool = False  # over cur and nxt (an error evaluating a transition property)

    def at(self, unroll: _Unrolling, k: int) -> z3.BoolRef:
        """The violation at step k (for a transition property: on the step into k)."""
        if self.kind != PropertyKind.TRANSITION and not self.on_step:
            return unroll.at(self.template, k)
        return unroll.at(self.template, k - 1, with_next=True) if k > 0 else z3.BoolVal(False)


class _Unrolling:
    """Per-step copies of the template state, choices and formulas.

    Templates are translated to bit-vectors once (when their integers have known bounds, see
    `checker.smt_bitvec`), then copied to each step with `z3.substitute`.
    """

    def __init__(self, system: SymbolicSystem, templates: Sequence[z3.BoolRef]):
        self.system = system
        self.states: list[tuple[Sym, ...]] = []
        self.selector = z3.Int("act!")
        self.cur_leaves = system.state_leaves(system.cur)
        self.nxt_leaves = system.state_leaves(system.nxt)
        self.choices = system.choice_vars() + [self.selector]
        self.step_formula = system.step_function(self.selector)
        intervals = {str(x): (lo, hi) for v, sym in zip(system.spec.vars, system.cur)
                     for x, lo, hi in leaf_intervals(v.type, sym)}
        intervals.update({str(x): (lo, hi) for v, sym in zip(system.spec.vars, system.nxt)
                          for x, lo, hi in leaf_intervals(v.type, sym)})
        intervals.update({str(c.var): (0, c.size - 1) for i in system.instances
                          for c in i.choices})
        intervals[str(self.selector)] = (0, max(0, len(system.instances) - 1))
        for c in system.spec.constants:
            if c.name in system.symbols and isinstance(c.type, T.IntType) \
                    and c.type.lo is not None and c.type.hi is not None:
                intervals[c.name] = (c.type.lo, c.type.hi)
        self.bounds = conj([conj([lo <= x, x <= hi]) for v, sym in zip(system.spec.vars,
                                                                         system.cur)
                            for x, lo, hi in leaf_intervals(v.type, sym)])
        everything = [self.step_formula, self.bounds, system.init, system.within,
                      system.assumptions]
        self.bits = BitVectors(intervals, everything + list(templates))

    @property
    def width(self) -> Optional[int]:
        return self.bits.width

    def solver(self) -> z3.Solver:
        return z3.SolverFor("QF_BV") if self.width is not None else z3.Solver()

    def state(self, k: int) -> tuple[Sym, ...]:
        while len(self.states) <= k:
            self.states.append(self.system.fresh_state(f"s{len(self.states)}!"))
        return self.states[k]

    def _leaf(self, x: z3.ExprRef) -> z3.ExprRef:
        return self.bits.leaf(x) if self.width is not None else x

    def at(self, formula: z3.BoolRef, k: int, with_next: bool = False) -> z3.BoolRef:
        """A template formula over cur (and nxt) moved to step k (and k+1)."""
        leaf = self._leaf
        pairs = [(leaf(a), leaf(b)) for a, b in
                 zip(self.cur_leaves, self.system.state_leaves(self.state(k)))]
        if with_next:
            pairs += [(leaf(a), leaf(b)) for a, b in
                      zip(self.nxt_leaves, self.system.state_leaves(self.state(k + 1)))]
        pairs += [(leaf(c), leaf(z3.Int(f"{c}@{k}"))) for c in self.choices]
        term = self.bits.term(formula) if self.width is not None else formula
        return z3.substitute(term, *pairs) if pairs else term

    def start(self, solver: z3.Solver) -> None:
        solver.add(self.at(self.system.assumptions, 0))
        solver.add(self.at(self.system.init, 0))
        solver.add(self.at(self.bounds, 0))

    def extend(self, solver: z3.Solver, k: int) -> None:
        """Add the step into state k (k >= 1): state k - 1 lies within the constraints (it is
        expanded); state k may lie outside them, where it is checked but not expanded (TLC)."""
        solver.add(self.at(self.system.within, k - 1))
        solver.add(self.at(self.step_formula, k - 1, with_next=True))
        solver.add(self.at(self.bounds, k))

    def value(self, model: z3.ModelRef) -> ModelValue:
        return model_value(model, self._leaf)


def bmc(spec: ir.Spec, depth: int, properties: Optional[frozenset[str]] = None,
        keep_going: bool = False, check_deadlock: bool = True,
        timeout: Optional[float] = None,
        system: Optional[SymbolicSystem] = None,
        compiled: Optional[TransitionSystem] = None,
        symbolic: bool = False,
        on_depth: Optional[DepthCallback] = None,
        rlimit: Optional[int] = None, query_timeout: Optional[float] = None) -> BmcResult:
    """Look for the shortest violation of the selected properties within `depth` steps;
    `on_depth` hears of each depth when it is done. `timeout` (seconds) bounds the whole search:
    each query gets the time that remains; `query_timeout` (seconds) and `rlimit` (units of Z3
    work, `checker.smt.limits`) bound each query. A depth cut short by any of them is
    unfinished, and nothing is claimed for it.

    With `symbolic`, the integer constants are symbolic as in proofs: a violation for any of
    their values is found, and replayed on the spec reloaded with the values Z3 chose.
    """
    start = time.monotonic()
    symbols: list[str] = []
    if symbolic:
        system, chosen, _ = symbolic_system(spec)
        symbols = [c.name for c in chosen]
    system = system or encode(spec)
    # compiled now, as the explicit checker would be: a spec it rejects (an initial value outside
    # its domain, say) is rejected here with the same error
    explicit = CompiledSpecs(spec, compiled or compile_spec(spec))
    goals = _goals(system, properties, check_deadlock and spec.check_deadlock)
    unroll = _Unrolling(system, [g.template for g in goals])
    solver = unroll.solver()
    limits = Limits(timeout, query_timeout, rlimit, start)
    unroll.start(solver)
    checked = [g.name for g in goals if g.kind != PropertyKind.EVALUATION]
    result = BmcResult(spec, depth, -1, [], checked, 0.0, width=unroll.width,
                       symbolic=symbols, kept_going=keep_going, limits=limits)
    try:
        with terminable():
            _unroll_all(solver, unroll, explicit, goals, result, start, on_depth)
    except INTERRUPTS as exc:  # Ctrl-C or SIGTERM: the result says which depths were finished
        if not is_interrupt(exc):
            raise
        result.interrupted = True
    result.elapsed = time.monotonic() - start
    return result


def _unroll_all(solver: z3.Solver, unroll: _Unrolling, explicit: CompiledSpecs,
                goals: list[_Goal], result: BmcResult, start: float,
                on_depth: Optional[DepthCallback]) -> None:
    limits, depth, keep_going = result.limits, result.depth, result.kept_going
    remaining = list(goals)
    for k in range(depth + 1):
        step_start = time.monotonic()
        if k > 0:
            unroll.extend(solver, k)
        found = _check_step(solver, limits, unroll, explicit, remaining, k, keep_going, result)
        result.step_times.append(time.monotonic() - step_start)
        if result.unknown is not None:
            break
        result.reached = k
        for violation in found:
            result.violations.append(violation)
            remaining = [g for g in remaining if g.name != violation.name]
        if on_depth is not None:
            on_depth(BmcDepth(k, result.step_times[-1], time.monotonic() - start,
                              tuple(g.name for g in remaining if g.kind != PropertyKind.EVALUATION),
                              tuple(v.name for v in result.violations)))
        stop = found and (not keep_going or any(v.kind == PropertyKind.EVALUATION for v in found))
        if stop or not remaining:
            break


def _goals(system: SymbolicSystem, wanted: Optional[frozenset[str]],
           deadlock: bool) -> list[_Goal]:
    goals = []
    for name, f in system.invariants.items():
        if wanted is None or name in wanted:
            goals.append(_Goal(PropertyKind.INVARIANT, name, conj([neg(f.holds), neg(_raises(f))])))
    for name, f in system.transitions.items():
        if wanted is None or name in wanted:
            goals.append(_Goal(PropertyKind.TRANSITION, name, conj([neg(f.holds), neg(_raises(f))])))
    if deadlock and (wanted is None or "Deadlock" in wanted):
        # a state whose expansion raises an error is an evaluation error, not a deadlock; a
        # state outside the constraints is not expanded
        stuck = conj([system.within, system.no_successor(), system.never_faults()])
        goals.append(_Goal(PropertyKind.DEADLOCK, "Deadlock", stuck))
    # errors expanding a state, in its constraints or invariants, or in a step's properties
    errors = disj([conj([system.within, system.faults()])]
                  + [x.when for x in system.within_faults]
                  + [_raises(f) for f in system.invariants.values()])
    goals.append(_Goal(PropertyKind.EVALUATION, "EvaluationError", errors))
    step_errors = [_raises(f) for f in system.transitions.values()]
    if step_errors:
        goals.append(_Goal(PropertyKind.EVALUATION, "EvaluationError", disj(step_errors), True))
    return goals


def _raises(f: Formula) -> z3.BoolRef:
    return disj([x.when for x in f.faults])


def _check_step(solver: z3.Solver, limits: Limits, unroll: _Unrolling,
                explicit: CompiledSpecs, goals: Sequence[_Goal], k: int, keep_going: bool,
                result: BmcResult) -> list[BmcViolation]:
    """The violations of length k: one model per round, every goal it violates is read off it."""
    pending = [(g, g.at(unroll, k)) for g in goals]
    found: list[BmcViolation] = []
    while pending:
        answer = check(solver, limits, disj([c for _, c in pending]))
        if answer.result == z3.unknown:
            result.unknown, result.limit = answer.reason, answer.limit
            return found
        if answer.result == z3.unsat:
            return found
        model = solver.model()
        hit = [(g, c) for g, c in pending
               if z3.is_true(model.eval(c, model_completion=True))]
        if not hit:
            raise EncodingMismatch(f"step {k}: the model violates no goal it was asked for")
        for goal, _ in hit:
            found.append(_confirmed(explicit, unroll, model, goal, k))
            if not keep_going or goal.kind == PropertyKind.EVALUATION:
                return found
        pending = [(g, c) for g, c in pending if all(g is not h for h, _ in hit)]
    return found


def decode_path(unroll: _Unrolling, model: z3.ModelRef, k: int) -> tuple[State, ...]:
    value = unroll.value(model)
    return tuple(decode_state(unroll.system.spec, unroll.state(j), value) for j in range(k + 1))


def _confirmed(explicit: CompiledSpecs, unroll: _Unrolling, model: z3.ModelRef,
               goal: _Goal, k: int) -> BmcViolation:
    """The violation in a model, replayed on the spec compiled with its constant values."""
    constants = constant_values(unroll.system.symbols, unroll.value(model))
    compiled = explicit.at(constants)
    states = decode_path(unroll, model, k)
    replay_path(compiled, states)
    detail = confirm_violation(compiled, states, goal.kind, goal.name)
    built = trace.build(compiled, list(states), property=goal.name, kind=goal.kind)
    return BmcViolation(goal.kind, goal.name, states, built, detail, constants)


# ---------------------------------------------------------------- reachable states (tests)


def reachable_states(spec: ir.Spec, depth: int, limit: int = 100_000) -> set[State]:
    """Every state reachable within `depth` steps (inside the constraints), enumerated by Z3."""
    system = encode(spec)
    unroll = _Unrolling(system, [])
    found: set[State] = set()
    solver = unroll.solver()
    unroll.start(solver)
    for k in range(depth + 1):
        if k > 0:
            unroll.extend(solver, k)
        solver.push()
        solver.add(unroll.at(system.within, k))
        last = unroll.state(k)
        for s in found:
            solver.add(unroll.at(neg(_is_state(system, system.cur, s)), k))
        while solver.check() == z3.sat:
            s = decode_path(unroll, solver.model(), k)[-1]
            found.add(s)
            if len(found) > limit:
                raise RuntimeError("too many states to enumerate")
            solver.add(unroll.at(neg(_is_state(system, system.cur, s)), k))
        solver.pop()
        del last
    return found


def _is_state(system: SymbolicSystem, sym: Sequence[Sym], state: State) -> z3.BoolRef:
    return conj([eq(v.type, x, v.type, const(v.type, value))
                 for v, x, value in zip(system.spec.vars, sym, state)])

