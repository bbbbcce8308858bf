"""Counterexamples to proof obligations, confirmed with the explicit semantics.

A Z3 model of a failed obligation is decoded to a state (or a step), replayed on the spec
compiled with the constant values Z3 chose, and checked by a bounded explicit search with those
values: is its first state reachable, and is the property violated at all? The first model Z3
returns is arbitrary, so when it is not confirmed, a few more with other constant values are
tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import z3

from checker.explicit.search import SearchOptions, explore
from checker.explicit.system import State, TransitionSystem
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir.kinds import ObligationKind, PropertyKind, StopReason
from checker.smt.confirm import (CompiledSpecs, constant_values, decode_state, fault_detail,
                                 model_value, replay_step, step_fault, violated_invariants,
                                 violates_transition)
from checker.smt.limits import Limits
from checker.smt.proof_report import Counterexample
from checker.smt.system import SymbolicSystem
from checker.smt.values import disj
from checker.trace import trace

OTHER_TIMINGS = 4  # further counterexamples tried, with other constant values

# the obligations whose counterexample is a step (the others': a state)
_STEPS = (ObligationKind.CONSECUTION, ObligationKind.STEP, ObligationKind.NO_ERRORS_ON_STEPS)
# the obligations whose counterexample starts in an initial state
_INITIAL = (ObligationKind.INITIATION, ObligationKind.INITIAL_DOMAIN)

Solve = Callable[[list[z3.BoolRef]], Optional[z3.ModelRef]]  # a model of more formulas, if any


@dataclass(frozen=True)
class Target:
    """What a counterexample breaks: the property (None for the error obligations), the
    invariants of the induction, and the property the explicit search watches."""

    prop: Optional[ir.Property]
    invariants: tuple[str, ...]
    watched: Optional[str]


@dataclass
class Counterexamples:
    system: SymbolicSystem
    compiled: CompiledSpecs
    reach_states: int
    reach_seconds: Optional[float]  # None: bounded by states only, so results are repeatable
    limits: Limits = field(default_factory=Limits)  # the deadline bounds the searches too

    def confirmed(self, obligation: ObligationKind, model: z3.ModelRef, target: Target,
                  solve: Solve) -> Counterexample:
        """The counterexample in `model`, or a confirmed one with other constant values (a
        model of `solve` with them excluded), when one of a few is."""
        first = self.decoded(obligation, model, target)
        tried = [first]
        symbols = self.system.symbols
        while symbols and len(tried) <= OTHER_TIMINGS and not tried[-1].confirmed:
            others = [disj([s != v for s, v in ((symbols[n], c.constants[n]) for n in symbols)])
                      for c in tried]
            again = solve(others)
            if again is None:
                break
            tried.append(self.decoded(obligation, again, target))
        return next((c for c in tried if c.confirmed), first)

    def decoded(self, obligation: ObligationKind, model: z3.ModelRef,
                target: Target) -> Counterexample:
        system = self.system
        value = model_value(model)
        constants = constant_values(system.symbols, value)
        pre = decode_state(system.spec, system.cur, value)
        states: tuple[State, ...] = (pre,)
        if obligation in _STEPS:
            states += (decode_state(system.spec, system.nxt, value),)
        compiled = self.compiled.at(constants)
        if obligation in _STEPS:
            replay_step(compiled, states[0], states[1], f"{obligation} with {constants}")
        error = _property_error(compiled, states, target, obligation)
        failing = _failing(compiled, states, target, obligation) if error is None else ()
        kind = PropertyKind.TRANSITION if obligation == ObligationKind.STEP \
            else PropertyKind.INVARIANT
        if obligation == ObligationKind.NO_ERRORS:
            failing = (fault_detail(compiled, pre),)
            kind = PropertyKind.EVALUATION
        elif obligation == ObligationKind.NO_ERRORS_ON_STEPS:
            failing = (step_fault(compiled, states[0], states[1]),)
            kind = PropertyKind.EVALUATION
        name = target.prop.name if target.prop is not None else None
        built = trace.build(compiled, list(states), property=name, kind=kind)
        # a property whose evaluation fails stops the explicit search: where the error lies is
        # asked of a search that does not evaluate it
        watched = target.watched if error is None else None
        reached, note, violated = self._reachability(compiled, pre, obligation, watched)
        return Counterexample(obligation, constants, states, built, failing, note, reached,
                              violated, error)

    def _seconds(self) -> Optional[float]:
        """The time a search may take: `reach_seconds`, and no more than the deadline leaves."""
        left = self.limits.remaining()
        if left is None:
            return self.reach_seconds
        left = max(0.0, left)
        return left if self.reach_seconds is None else min(left, self.reach_seconds)

    def _reachability(self, compiled: TransitionSystem, state: State,
                      obligation: ObligationKind,
                      watched: Optional[str]) -> tuple[Optional[bool], str, Optional[int]]:
        """Whether an explicit search with the counterexample's constant values reaches its
        first state, and whether it violates the property at all (the shortest trace's
        length)."""
        if obligation in _INITIAL:
            return True, "an initial state", None
        options = SearchOptions(max_states=self.reach_states, timeout=self._seconds(),
                                check_deadlock=False,
                                properties=frozenset({watched}) if watched else frozenset())
        try:
            search = explore(compiled, options)
        except codegen.Fault as fault:  # the search stops when a property's evaluation fails
            return None, f"unknown (the explicit search stopped: {fault.detail})", None
        if search.stopped == StopReason.INTERRUPTED:
            raise KeyboardInterrupt  # the search took the Ctrl-C: the proof stops too
        violated = search.violations[0].length if search.violations else None
        if state in search.graph.index:
            depth = len(search.graph.path_to(search.graph.index[state]))
            steps = f"{depth - 1} step{'s' if depth != 2 else ''}"
            return True, (f"reachable: the explicit search reaches it in {steps} with these "
                          "constant values"), violated
        if search.complete:
            return False, (f"unreachable: an exhaustive search with these constant values "
                           f"({search.distinct:,} states) never reaches it"), violated
        why = (f"the search found {watched} violated first" if violated is not None
               else f"the explicit search stopped after {search.distinct:,} states")
        return None, f"unknown ({why}, without reaching it)", violated


def _property_error(compiled: TransitionSystem, states: Sequence[State], target: Target,
                    obligation: ObligationKind) -> Optional[str]:
    """The error evaluating the invariants (or the property) at the end of a counterexample
    to initiation, consecution or a step, if evaluating them fails there."""
    if obligation not in (ObligationKind.INITIATION, ObligationKind.CONSECUTION,
                          ObligationKind.STEP):
        return None
    try:
        _failing(compiled, states, target, obligation)
    except codegen.Fault as fault:
        site = compiled.sites[fault.site]
        where = f" at {site.span}" if site.span is not None else ""
        return f"evaluating the property fails: {site.message(fault.detail)}{where}"
    return None


def _failing(compiled: TransitionSystem, states: Sequence[State], target: Target,
             obligation: ObligationKind) -> tuple[str, ...]:
    """The conjuncts of the induction (or the property) false at the end of a counterexample."""
    if obligation == ObligationKind.STEP and target.prop is not None:
        broken = violates_transition(compiled, states[0], states[-1], target.prop.name)
        return (target.prop.name,) if broken else ()
    if obligation in (ObligationKind.INITIATION, ObligationKind.CONSECUTION):
        return violated_invariants(compiled, states[-1], target.invariants)
    return ()
