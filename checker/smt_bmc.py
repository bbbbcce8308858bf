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
from functools import partial
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import z3

from checker import codegen, ir, trace
from checker.compile import compile_spec
from checker.smt_system import SymbolicSystem, encode
from checker.smt_values import Sym, conj, const, decode, disj, eq, neg
from checker.system import State, TransitionSystem


class EncodingMismatch(AssertionError):
    """The Z3 encoding and the explicit semantics disagree: a bug in checkmodel."""


@dataclass(frozen=True)
class BmcViolation:
    kind: str  # "invariant", "transition", "deadlock", "evaluation"
    name: str  # the property, "Deadlock", or "EvaluationError"
    states: tuple[State, ...]
    trace: trace.Trace
    detail: Optional[str] = None  # for an evaluation error: what fails


@dataclass
class BmcResult:
    spec: ir.Spec
    depth: int  # the bound asked for (steps)
    reached: int  # the last step count that was fully checked (-1 if none)
    violations: list[BmcViolation]
    checked: list[str]
    elapsed: float
    unknown: Optional[str] = None  # Z3's reason when a query came back unknown
    step_times: list[float] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.unknown is None


@dataclass(frozen=True)
class _Goal:
    kind: str
    name: str
    condition: Callable[[int], z3.BoolRef]  # the violation at step k


class _Unrolling:
    """Per-step copies of the template state, choices and formulas."""

    def __init__(self, system: SymbolicSystem):
        self.system = system
        self.states: list[tuple[Sym, ...]] = []
        self.cur_leaves = system.state_leaves(system.cur)
        self.nxt_leaves = system.state_leaves(system.nxt)
        self.choices = system.choice_vars()
        self.step_formula = system.step()
        self.fault_formula = system.faults()

    def state(self, k: int) -> tuple[Sym, ...]:
        while len(self.states) <= k:
            self.states.append(self.system.fresh_state(f"s{len(self.states)}!"))
        return self.states[k]

    def at(self, formula: z3.BoolRef, k: int, with_next: bool = False) -> z3.BoolRef:
        """A template formula over cur (and nxt) moved to step k (and k+1)."""
        pairs = list(zip(self.cur_leaves, self.system.state_leaves(self.state(k))))
        if with_next:
            pairs += list(zip(self.nxt_leaves, self.system.state_leaves(self.state(k + 1))))
        pairs += [(c, z3.Int(f"{c}@{k}")) for c in self.choices]
        return z3.substitute(formula, *pairs) if pairs else formula


def bmc(spec: ir.Spec, depth: int, properties: Optional[frozenset[str]] = None,
        keep_going: bool = False, check_deadlock: bool = True,
        timeout: Optional[float] = None,
        system: Optional[SymbolicSystem] = None,
        compiled: Optional[TransitionSystem] = None) -> BmcResult:
    """Look for the shortest violation of the selected properties within `depth` steps."""
    start = time.monotonic()
    system = system or encode(spec)
    compiled = compiled or compile_spec(spec)
    unroll = _Unrolling(system)
    goals = _goals(system, unroll, properties, check_deadlock and spec.check_deadlock)
    solver = z3.Solver()
    if timeout is not None:
        solver.set("timeout", max(1, int(timeout * 1000)))
    solver.add(unroll.at(system.init, 0))
    solver.add(unroll.at(system.within, 0))
    result = BmcResult(spec, depth, -1, [], [g.name for g in goals], 0.0)
    remaining = list(goals)
    for k in range(depth + 1):
        step_start = time.monotonic()
        if k > 0:
            solver.add(unroll.at(unroll.step_formula, k - 1, with_next=True))
            solver.add(unroll.at(system.within, k))
        found = _check_step(solver, unroll, compiled, remaining, k, keep_going, result)
        result.step_times.append(time.monotonic() - step_start)
        if result.unknown is not None:
            break
        result.reached = k
        for violation in found:
            result.violations.append(violation)
            remaining = [g for g in remaining if g.name != violation.name]
        stop = found and (not keep_going or any(v.kind == "evaluation" for v in found))
        if stop or not remaining:
            break
    result.elapsed = time.monotonic() - start
    return result


def _goals(system: SymbolicSystem, unroll: _Unrolling, wanted: Optional[frozenset[str]],
           deadlock: bool) -> list[_Goal]:
    goals = []
    for name, f in system.invariants.items():
        if wanted is None or name in wanted:
            bad = conj([neg(f.holds), neg(disj([x.when for x in f.faults]))])
            goals.append(_Goal("invariant", name, partial(_at_state, unroll, bad)))
    for name, f in system.transitions.items():
        if wanted is None or name in wanted:
            bad = conj([neg(f.holds), neg(disj([x.when for x in f.faults]))])
            goals.append(_Goal("transition", name, partial(_at_step_into, unroll, bad)))
    if deadlock and (wanted is None or "Deadlock" in wanted):
        stuck = system.no_successor()
        goals.append(_Goal("deadlock", "Deadlock", partial(_at_state, unroll, stuck)))
    errors = disj([unroll.fault_formula] + [x.when for f in system.invariants.values()
                                            for x in f.faults])
    goals.append(_Goal("evaluation", "EvaluationError", partial(_at_state, unroll, errors)))
    return goals


def _at_state(unroll: _Unrolling, formula: z3.BoolRef, k: int) -> z3.BoolRef:
    return unroll.at(formula, k)


def _at_step_into(unroll: _Unrolling, formula: z3.BoolRef, k: int) -> z3.BoolRef:
    return unroll.at(formula, k - 1, with_next=True) if k > 0 else z3.BoolVal(False)


def _check_step(solver: z3.Solver, unroll: _Unrolling, compiled: TransitionSystem,
                goals: Sequence[_Goal], k: int, keep_going: bool,
                result: BmcResult) -> list[BmcViolation]:
    conditions = [(g, g.condition(k)) for g in goals]
    answer = solver.check(disj([c for _, c in conditions]))
    if answer == z3.unknown:
        result.unknown = solver.reason_unknown()
        return []
    if answer == z3.unsat:
        return []
    found: list[BmcViolation] = []
    for goal, condition in conditions:
        answer = solver.check(condition)
        if answer == z3.unknown:
            result.unknown = solver.reason_unknown()
            return found
        if answer != z3.sat:
            continue
        found.append(_confirmed(compiled, unroll, solver.model(), goal, k))
        if not keep_going or goal.kind == "evaluation":
            break
    if not found:
        raise EncodingMismatch(f"step {k}: some violation is satisfiable but none alone is")
    return found


def decode_path(unroll: _Unrolling, model: z3.ModelRef, k: int) -> tuple[State, ...]:
    spec = unroll.system.spec
    return tuple(tuple(decode(v.type, x, model) for v, x in zip(spec.vars, unroll.state(j)))
                 for j in range(k + 1))


def _confirmed(compiled: TransitionSystem, unroll: _Unrolling, model: z3.ModelRef,
               goal: _Goal, k: int) -> BmcViolation:
    states = decode_path(unroll, model, k)
    replay_path(compiled, states)
    detail = _confirm_violation(compiled, states, goal)
    built = trace.build(compiled, list(states), property=goal.name, kind=goal.kind)
    return BmcViolation(goal.kind, goal.name, states, built, detail)


def replay_path(compiled: TransitionSystem, states: Sequence[State]) -> None:
    """Check a decoded path step by step against the compiled successor function."""
    if states[0] not in set(compiled.initial):
        raise EncodingMismatch(f"the Z3 model's first state is not initial: {states[0]}")
    for j in range(1, len(states)):
        try:
            successors = compiled.successors(states[j - 1])
        except codegen.Fault as fault:
            raise EncodingMismatch(f"state {j} of the Z3 model raises an evaluation error "
                                   f"({fault.detail}) that Z3 did not report") from None
        if states[j] not in successors:
            raise EncodingMismatch(f"the Z3 model's step {j} -> {j + 1} is not a step of the "
                                   f"spec: {states[j - 1]} -> {states[j]}")
    for j, s in enumerate(states):
        if not compiled.within_constraints(s):
            raise EncodingMismatch(f"state {j + 1} of the Z3 model violates a constraint")


def _confirm_violation(compiled: TransitionSystem, states: Sequence[State],
                       goal: _Goal) -> Optional[str]:
    last = states[-1]
    if goal.kind == "invariant":
        index = [p.name for p in compiled.invariants].index(goal.name)
        if compiled.first_violated_invariant(last, frozenset({index})) != index:
            raise EncodingMismatch(f"invariant {goal.name} holds in the Z3 model's last state")
        return None
    if goal.kind == "transition":
        index = [p.name for p in compiled.transitions].index(goal.name)
        if compiled.first_violated_transition(states[-2], last, frozenset({index})) != index:
            raise EncodingMismatch(f"transition property {goal.name} holds on the Z3 model's "
                                   "last step")
        return None
    if goal.kind == "deadlock":
        if compiled.successors(last):
            raise EncodingMismatch("the Z3 model's last state has successors: no deadlock")
        return None
    return _fault_detail(compiled, last)


def _fault_detail(compiled: TransitionSystem, state: State) -> str:
    try:
        compiled.successors(state)
        for index in range(len(compiled.invariants)):
            compiled.first_violated_invariant(state, frozenset({index}))
    except codegen.Fault as fault:
        site = compiled.sites[fault.site]
        span = site[1] if isinstance(site, tuple) else getattr(site, "span", None)
        where = f" at {span}" if span is not None else ""
        if isinstance(site, tuple) and site and site[0] == "domain":
            return f"value {fault.detail} is outside the domain {site[2]}{where}"
        return f"{fault.detail}{where}"
    raise EncodingMismatch("Z3 reports an evaluation error in a state the explicit semantics "
                           "evaluates without error")


# ---------------------------------------------------------------- reachable states (tests)


def reachable_states(spec: ir.Spec, depth: int, limit: int = 100_000) -> set[State]:
    """Every state reachable within `depth` steps (inside the constraints), enumerated by Z3."""
    system = encode(spec)
    unroll = _Unrolling(system)
    found: set[State] = set()
    solver = z3.Solver()
    solver.add(unroll.at(system.init, 0))
    solver.add(unroll.at(system.within, 0))
    for k in range(depth + 1):
        if k > 0:
            solver.add(unroll.at(unroll.step_formula, k - 1, with_next=True))
            solver.add(unroll.at(system.within, k))
        solver.push()
        last = unroll.state(k)
        for s in found:
            solver.add(neg(_is_state(system, last, s)))
        while solver.check() == z3.sat:
            s = decode_path(unroll, solver.model(), k)[-1]
            found.add(s)
            if len(found) > limit:
                raise RuntimeError("too many states to enumerate")
            solver.add(neg(_is_state(system, last, s)))
        solver.pop()
    return found


def _is_state(system: SymbolicSystem, sym: Sequence[Sym], state: State) -> z3.BoolRef:
    return conj([eq(v.type, x, v.type, const(v.type, value))
                 for v, x, value in zip(system.spec.vars, sym, state)])

