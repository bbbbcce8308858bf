"""Inductive proofs of safety properties for every value of the integer constants.

For a property P with the spec's `helper invariant`s H1..Hn, Inv = P /\\ H1 /\\ ... /\\ Hn (for a
transition property, Inv = H1 /\\ ... /\\ Hn and P is checked on every step from Inv). The
obligations, each a Z3 query over one state (or one step) with the constants symbolic
(`checker.smt.symbolic` says which):

- initiation:   every initial state inside the constraints satisfies Inv;
- consecution:  Inv /\\ Next => Inv' (a step from a state of Inv, inside the constraints, into a
                state inside the constraints);
- step:         (transition properties) Inv /\\ Next => P;
- no errors:    no action raises an evaluation error from a state of Inv, and the initial states
                lie in their variables' domains (otherwise the explicit checker would stop with
                an error, and a proof about the steps it takes would say nothing).

A failed obligation's counterexample is confirmed explicitly (`checker.smt.counterexample`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional, Sequence

import z3

from checker.ir import nodes as ir
from checker.ir.kinds import ObligationKind, Outcome, ProofStatus, PropertyKind
from checker.smt.confirm import CompiledSpecs
from checker.smt.counterexample import Counterexamples, Target
from checker.smt.interrupt import INTERRUPTS, is_interrupt, terminable
from checker.smt.limits import Answer, Limits, check
from checker.smt.proof_report import ErrorCheck, Obligation, ProofResult, ProveReport
from checker.smt.symbolic import symbolic_system
from checker.smt.system import SymbolicSystem
from checker.smt.values import conj, disj, neg


@dataclass
class _Context:
    spec: ir.Spec
    system: SymbolicSystem
    step: z3.BoolRef
    calm: z3.BoolRef  # no action raises an evaluation error from cur
    limits: Limits
    counterexamples: Counterexamples


def prove(spec: ir.Spec, properties: Optional[Sequence[str]] = None,
          timeout: Optional[float] = None, reach_states: int = 200_000,
          reach_seconds: Optional[float] = None,
          on_result: Optional[Callable[[ProofResult], None]] = None,
          rlimit: Optional[int] = None, query_timeout: Optional[float] = 60.0) -> ProveReport:
    """Try to prove the selected (default: all non-helper) invariants and transition
    properties of `spec` by induction, for every value of its symbolic constants; then that
    no evaluation error can happen, assuming the helpers and every invariant proved.

    Counterexamples with other constant values are replayed on the spec reloaded with them
    (`lang.frontend.reload`: its files, helper files and command-line overrides).
    `on_result` hears of each property's proof as it ends. `timeout` (seconds) bounds the whole
    proof: each query gets the time that remains; `query_timeout` (seconds) and `rlimit` (units
    of Z3 work, `checker.smt.limits`) bound each query. An obligation cut short by any of them,
    or not asked because the deadline had passed, is UNKNOWN."""
    start = time.monotonic()
    limits = Limits(timeout, query_timeout, rlimit, start)
    system, symbolic, fixed = symbolic_system(spec)
    selector = z3.Int("act!")
    found = Counterexamples(system, CompiledSpecs(spec), reach_states, reach_seconds, limits)
    ctx = _Context(spec, system, system.step_function(selector), system.never_faults(),
                   limits, found)
    targets = _targets(spec, properties)
    report = ProveReport(spec, symbolic, fixed, [], limits, 0.0, None,
                         tuple(p.name for p in targets))
    try:
        with terminable():
            _prove_all(ctx, targets, report, on_result)
    except INTERRUPTS as exc:  # Ctrl-C or SIGTERM: the report says what was finished
        if not is_interrupt(exc):
            raise
        report.interrupted = True
    report.seconds = time.monotonic() - start
    return report


def _prove_all(ctx: _Context, targets: Sequence[ir.Property], report: ProveReport,
               on_result: Optional[Callable[[ProofResult], None]]) -> None:
    results = report.results
    for p in targets:
        results.append(_prove_one(ctx, p))
        if on_result is not None:
            on_result(results[-1])
    helpers = _helpers(ctx.spec)
    if helpers and not any(r.status == ProofStatus.PROVED for r in results):
        # every proof above includes the helpers; with none proved, prove them on their own
        results.append(_prove_one(ctx, _all_helpers(ctx.spec, helpers)))
        if on_result is not None:
            on_result(results[-1])
    report.errors = _prove_no_errors(ctx, targets, results)


def _targets(spec: ir.Spec, wanted: Optional[Sequence[str]]) -> list[ir.Property]:
    safety = [p for p in spec.properties if p.kind.is_safety]
    if wanted:
        return [p for p in safety if p.name in wanted]
    return [p for p in safety if not p.helper]


def _helpers(spec: ir.Spec, but: str = "") -> list[str]:
    return [p.name for p in spec.properties
            if p.kind == PropertyKind.INVARIANT and p.helper and p.name != but]


HELPERS = "(helper invariants)"


def _all_helpers(spec: ir.Spec, names: list[str]) -> ir.Property:
    """A pseudo-property: the helpers, proved inductive together."""
    first = spec.property(names[0])
    return ir.Property(HELPERS, PropertyKind.INVARIANT, "the helper invariants together", first.expr,
                       helper=True, span=first.span)


def _prove_one(ctx: _Context, prop: ir.Property) -> ProofResult:
    """Initiation, consecution (and for a transition property, the step obligation)."""
    start = time.monotonic()
    system = ctx.system
    helpers = _helpers(ctx.spec, prop.name)
    own = [prop.name] if prop.kind == PropertyKind.INVARIANT and prop.name != HELPERS else []
    inv_names = own + helpers
    result = ProofResult(prop, tuple(helpers))
    # Inv holds where it is defined only: a state where its evaluation fails is an error of the
    # explicit checker, so it breaks the induction (it is never assumed away)
    now = _defined_and_true(system, inv_names)
    later = _moved(system, now)
    pre = [system.assumptions, system.domain, system.within, now]
    # steps from states where no action raises an evaluation error: the explicit semantics
    # stops at such a state, and `no evaluation errors` is proved separately
    step = [ctx.step, ctx.calm]  # the next state may lie outside the constraints: checked
    queries: list[tuple[ObligationKind, list[z3.BoolRef]]] = [  # every initial state
        (ObligationKind.INITIATION, [system.assumptions, system.init, neg(now)])]
    if prop.kind == PropertyKind.TRANSITION:
        f = system.transitions[prop.name]
        raises = disj([x.when for x in f.faults])
        queries.append((ObligationKind.STEP, pre + step + [disj([neg(f.holds), raises])]))
    if inv_names:
        queries.append((ObligationKind.CONSECUTION, pre + step + [neg(later)]))
    for name, formulas in queries:
        obligation, model = _discharge(ctx, name, formulas)
        result.obligations.append(obligation)
        if model is not None and result.counterexample is None:
            watched = prop.name if prop.name != HELPERS else None
            target = Target(prop, tuple(inv_names), watched)
            result.counterexample = ctx.counterexamples.confirmed(
                name, model, target, partial(_more, ctx, formulas))
    result.seconds = time.monotonic() - start
    return result


def _prove_no_errors(ctx: _Context, targets: Sequence[ir.Property],
                     results: Sequence[ProofResult]) -> ErrorCheck:
    """No action raises an evaluation error from a state of the helpers and the invariants
    proved (a sound assumption: they hold in every state reached without an error), no
    property's evaluation fails there, and the initial states lie in their domains."""
    start = time.monotonic()
    system = ctx.system
    proved = [r.target.name for r in results
              if r.target.kind == PropertyKind.INVARIANT and r.status == ProofStatus.PROVED and r.target.name != HELPERS]
    # every proof includes the helpers: one proved result shows that they hold
    helpers = _helpers(ctx.spec) if any(r.status == ProofStatus.PROVED for r in results) else []
    assumed = tuple(dict.fromkeys(helpers + proved))
    check = ErrorCheck(assumed)
    inv = _defined_and_true(system, assumed)
    evaluated = [system.invariants[p.name] for p in targets
                 if p.kind == PropertyKind.INVARIANT and p.name != HELPERS]
    # the helpers are checked like any invariant (and assumed only once proved)
    evaluated += [system.invariants[n] for n in dict.fromkeys(_helpers(ctx.spec) + list(assumed))]
    faults = disj([system.faults()] + [x.when for f in evaluated for x in f.faults])
    pre = [system.assumptions, system.domain, system.within, inv]
    queries = [(ObligationKind.NO_ERRORS, pre + [faults]),
               (ObligationKind.INITIAL_DOMAIN, [system.assumptions, system.init, system.within,
                                   neg(system.domain)])]
    stepwise = [x.when for p in targets if p.kind == PropertyKind.TRANSITION
                for x in system.transitions[p.name].faults]
    if any(p.kind == PropertyKind.CONSTRAINT for p in ctx.spec.properties):
        # invariants are evaluated on successors outside the constraints too, and the
        # constraints on every successor (and initial state)
        stepwise += [_moved(system, x.when) for f in evaluated for x in f.faults]
        stepwise += [_moved(system, x.when) for x in system.within_faults]
        if system.within_faults:
            queries.append((ObligationKind.INITIAL_DOMAIN, [
                system.assumptions, system.init, disj([x.when for x in system.within_faults])]))
    if system.init_faults:  # computing an initial value fails (`1 / 0`, a missing key)
        queries.append((ObligationKind.INITIAL_DOMAIN, [
            system.assumptions, system.init, disj([x.when for x in system.init_faults])]))
    if stepwise:  # a transition property's evaluation fails on a step the checker takes
        step = [ctx.step, ctx.calm]  # the next state may lie outside the constraints: checked
        queries.append((ObligationKind.NO_ERRORS_ON_STEPS, pre + step + [disj(stepwise)]))
    for name, formulas in queries:
        obligation, model = _discharge(ctx, name, formulas)
        check.obligations.append(obligation)
        if model is not None and check.counterexample is None:
            check.counterexample = ctx.counterexamples.decoded(name, model,
                                                               Target(None, assumed, None))
    check.seconds = time.monotonic() - start
    return check


def _defined_and_true(system: SymbolicSystem, names: Sequence[str]) -> z3.BoolRef:
    """The named invariants evaluate without an error, and hold."""
    formulas = [system.invariants[n] for n in names]
    return conj([f.holds for f in formulas] + [neg(x.when) for f in formulas for x in f.faults])


def _moved(system: SymbolicSystem, formula: z3.BoolRef) -> z3.BoolRef:
    """A formula over cur, moved to nxt."""
    pairs = list(zip(system.state_leaves(system.cur), system.state_leaves(system.nxt)))
    return z3.substitute(formula, *pairs)


def _more(ctx: _Context, formulas: list[z3.BoolRef],
          more: list[z3.BoolRef]) -> Optional[z3.ModelRef]:
    """A model of an obligation's query with more formulas, if there is one."""
    return _solve(ctx, formulas + more)[1]


def _discharge(ctx: _Context, name: ObligationKind,
               formulas: list[z3.BoolRef]) -> tuple[Obligation, Optional[z3.ModelRef]]:
    answer, model, seconds = _solve(ctx, formulas)
    if answer.result == z3.unsat:
        return Obligation(name, Outcome.PROVED, seconds, work=answer.work), None
    if answer.result == z3.unknown:
        return Obligation(name, Outcome.UNKNOWN, seconds, answer.reason, answer.limit,
                          answer.work), None
    return Obligation(name, Outcome.FAILED, seconds, work=answer.work), model


def _solve(ctx: _Context, formulas: list[z3.BoolRef]) -> tuple[Answer, Optional[z3.ModelRef],
                                                              float]:
    solver = z3.Solver()
    solver.add(*formulas)
    start = time.monotonic()
    answer = check(solver, ctx.limits)
    seconds = time.monotonic() - start
    return answer, solver.model() if answer.result == z3.sat else None, seconds
