"""Inductive proofs of safety properties for every value of the integer constants.

For a property P with the spec's `helper invariant`s H1..Hn, Inv = P /\\ H1 /\\ ... /\\ Hn (for a
transition property, Inv = H1 /\\ ... /\\ Hn and P is checked on every step from Inv). The
obligations, each a Z3 query over one state (or one step) with the constants symbolic:

- initiation:   every initial state inside the constraints satisfies Inv;
- consecution:  Inv /\\ Next => Inv' (a step from a state of Inv, inside the constraints, into a
                state inside the constraints);
- step:         (transition properties) Inv /\\ Next => P;
- no errors:    no action raises an evaluation error from a state of Inv, and the initial states
                lie in their variables' domains (otherwise the explicit checker would stop with
                an error, and a proof about the steps it takes would say nothing).

Integer constants (`const T: int = 3 where T > 0;` and ranged ones such as `const T: 2..10 = 3;`)
are symbolic unless given with --const or `set` by the spec, or unless they fix the shape of the
encoding (a map's keys, a queue's capacity): those keep their value and the report says so.
"""

from __future__ import annotations

import time
from functools import partial
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence

import z3

from checker.ir.kinds import ConstSource, ObligationKind, Outcome, ProofStatus, PropertyKind
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.trace import trace
from checker.ir import types as T
from checker.explicit.compile import compile_spec
from checker.lang.frontend import load_spec
from checker.explicit.search import SearchOptions, explore
from checker.ir.printer import Printer
from checker.smt.bmc import EncodingMismatch, fault_detail as _fault_detail
from checker.smt.bitvec import signed_value
from checker.smt.interrupt import INTERRUPTED_REASONS
from checker.smt.system import SymbolicSystem, encode
from checker.smt.values import conj, decode, disj, neg
from checker.explicit.system import State, TransitionSystem


@dataclass(frozen=True)
class SymbolicConstant:
    name: str
    condition: str  # `2 <= RunTimeout <= 10`, `T > 0`


@dataclass(frozen=True)
class FixedConstant:
    name: str
    value: str
    why: str  # "given with --const", "sizes the capacity of variable 'q'", ...


@dataclass(frozen=True)
class Obligation:
    name: str  # initiation, consecution, step, no errors
    status: Outcome
    seconds: float
    reason: Optional[str] = None  # Z3's reason when unknown


@dataclass(frozen=True)
class Counterexample:
    """A state (initiation) or a step (consecution, step) that breaks an obligation."""

    obligation: str
    constants: dict[str, int]
    states: tuple[State, ...]
    trace: trace.Trace
    failing: tuple[str, ...]  # the conjuncts of Inv (or the property) that are false at the end
    reachable: str  # what a quick BFS with these constant values says about the first state
    reached: Optional[bool]  # True: reachable; False: unreachable (exhaustive); None: unknown
    violated: Optional[int] = None  # with these constant values the explicit search violates
    # the property (trace length), even if not through this counterexample

@dataclass
class ProofResult:
    target: ir.Property
    helpers: tuple[str, ...]
    obligations: list[Obligation] = field(default_factory=list)
    counterexample: Optional[Counterexample] = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """PROVED, VIOLATED (a reachable counterexample), NOT INDUCTIVE, or UNKNOWN."""
        if all(o.status == Outcome.PROVED for o in self.obligations):
            return ProofStatus.PROVED
        cex = self.counterexample
        if cex is not None and (cex.obligation == ObligationKind.INITIATION or cex.reached
                                or cex.violated is not None):
            return ProofStatus.VIOLATED
        if cex is not None:
            return ProofStatus.NOT_INDUCTIVE
        return ProofStatus.UNKNOWN


@dataclass
class ErrorCheck:
    """That no evaluation error (a value outside its domain, a key outside a map, ...) can
    happen: without it, a PROVED property holds on the behaviours that raise none."""

    assumed: tuple[str, ...]  # the invariants assumed (helpers and invariants proved)
    obligations: list[Obligation] = field(default_factory=list)
    counterexample: Optional[Counterexample] = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if all(o.status == Outcome.PROVED for o in self.obligations):
            return ProofStatus.PROVED
        if self.counterexample is not None and self.counterexample.reached:
            return ProofStatus.VIOLATED
        return ProofStatus.NOT_PROVED if self.counterexample is not None else ProofStatus.UNKNOWN


@dataclass
class ProveReport:
    spec: ir.Spec
    symbolic: list[SymbolicConstant]
    fixed: list[FixedConstant]
    results: list[ProofResult]
    timeout: float
    seconds: float = 0.0
    errors: Optional[ErrorCheck] = None


# ---------------------------------------------------------------- constants


def _candidates(spec: ir.Spec) -> list[ir.Constant]:
    """Integer constants that may be symbolic: at their declared default (a value given with
    `set NAME = v;` in the spec is part of the design, one given with --const is chosen)."""
    return [c for c in spec.constants if isinstance(c.type, T.IntType) and not c.switch
            and c.source == ConstSource.DEFAULT]


def symbolic_system(spec: ir.Spec) -> tuple[SymbolicSystem, list[SymbolicConstant],
                                            list[FixedConstant]]:
    """Encode with as many symbolic constants as the spec's shape allows.

    A constant that fixes the shape of the encoding keeps its value, and so do the constants
    its value is computed from; a symbolic constant computed from others stays tied to them.
    """
    candidates = _candidates(spec)
    symbols = {c.name: z3.Int(c.name) for c in candidates}
    probe = encode(spec, symbols, collecting=True)
    shaping = dict(probe.exprs.shaping)
    by_name = {c.name: c for c in spec.constants}
    grown = True
    while grown:
        grown = False
        for name in list(shaping):
            for used in _constants_in(by_name[name].definition):
                if used in symbols and used not in shaping:
                    shaping[used] = f"the value of {name}, which is fixed"
                    grown = True
    kept = {n: v for n, v in symbols.items() if n not in shaping}
    system = encode(spec, kept) if shaping else probe
    ties = [kept[c.name] == system.exprs.constant(c.definition) for c in candidates
            if c.name in kept and c.definition is not None and _constants_in(c.definition)]
    ranges = [_in_range(c, kept[c.name]) for c in candidates if c.name in kept]
    system.assumptions = conj([system.assumptions] + ranges + ties)
    symbolic = [SymbolicConstant(c.name, _condition(spec, c)) for c in candidates
                if c.name in kept]
    fixed = [FixedConstant(c.name, T.format_value(c.type, c.value), f"it fixes {shaping[c.name]}"
                           if not shaping[c.name].startswith("the value of") else
                           f"it gives {shaping[c.name]}")
             for c in candidates if c.name in shaping]
    given = {ConstSource.COMMAND_LINE: "given with --const", ConstSource.SPEC: "set by the spec"}
    fixed += [FixedConstant(c.name, T.format_value(c.type, c.value), given[c.source])
              for c in spec.constants if isinstance(c.type, T.IntType) and not c.switch
              and c.source in given]
    return system, symbolic, fixed


def _constants_in(e: Optional[ir.Expr]) -> set[str]:
    """The constants an expression names."""
    if e is None:
        return set()
    if isinstance(e, ir.Lit):
        return {e.const} if e.const is not None else set()
    if isinstance(e, ir.Op):
        return set().union(*[_constants_in(a) for a in e.args]) if e.args else set()
    if isinstance(e, ir.Bind):
        return _constants_in(e.domain) | _constants_in(e.body) | _constants_in(e.cond)
    return set()


def _in_range(c: ir.Constant, symbol: z3.ArithRef) -> z3.BoolRef:
    t = c.type
    if isinstance(t, T.IntType) and t.lo is not None and t.hi is not None:
        return conj([t.lo <= symbol, symbol <= t.hi])
    return conj([])


def _condition(spec: ir.Spec, c: ir.Constant) -> str:
    parts = []
    if isinstance(c.type, T.IntType) and c.type.bounded:
        parts.append(f"{c.type.lo} <= {c.name} <= {c.type.hi}")
    if c.where is not None:
        parts.append(Printer(spec).text(c.where))
    if c.definition is not None and _constants_in(c.definition):
        parts.append(f"{c.name} = {Printer(spec).text(c.definition)}")
    return " and ".join(parts) if parts else f"{c.name} any integer"


# ---------------------------------------------------------------- proving


@dataclass
class _Context:
    spec: ir.Spec
    system: SymbolicSystem
    selector: z3.ArithRef
    step: z3.BoolRef
    calm: z3.BoolRef  # no action raises an evaluation error from cur
    timeout: float
    reach_states: int
    reach_seconds: Optional[float]  # None: bounded by states only, so results are repeatable
    reload: Reload
    explicit: dict[tuple[tuple[str, int], ...], TransitionSystem] = field(default_factory=dict)


Reload = Callable[[Mapping[str, str]], ir.Spec]  # the spec again with these --const values


def prove(spec: ir.Spec, properties: Optional[Sequence[str]] = None, timeout: float = 60.0,
          reach_states: int = 200_000, reach_seconds: Optional[float] = None,
          reload: Optional[Reload] = None,
          on_result: Optional[Callable[[ProofResult], None]] = None) -> ProveReport:
    """Try to prove the selected (default: all non-helper) invariants and transition
    properties of `spec` by induction, for every value of its symbolic constants; then that
    no evaluation error can happen, assuming the helpers and every invariant proved.
    `on_result` hears of each property's proof as it ends."""
    start = time.monotonic()
    system, symbolic, fixed = symbolic_system(spec)
    selector = z3.Int("act!")
    ctx = _Context(spec, system, selector, system.step_function(selector),
                   system.never_faults(), timeout, reach_states, reach_seconds,
                   reload or partial(_reload, spec))
    targets = _targets(spec, properties)
    results = []
    for p in targets:
        results.append(_prove_one(ctx, p))
        if on_result is not None:
            on_result(results[-1])
    helpers = _helpers(spec)
    if helpers and not any(r.status == ProofStatus.PROVED for r in results):
        # every proof above includes the helpers; with none proved, prove them on their own
        results.append(_prove_one(ctx, _all_helpers(spec, helpers)))
        if on_result is not None:
            on_result(results[-1])
    errors = _prove_no_errors(ctx, targets, results)
    return ProveReport(spec, symbolic, fixed, results, timeout, time.monotonic() - start,
                       errors)


def _targets(spec: ir.Spec, wanted: Optional[Sequence[str]]) -> list[ir.Property]:
    safety = [p for p in spec.properties if p.kind in (PropertyKind.INVARIANT, PropertyKind.TRANSITION)]
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
    inv = [system.invariants[n] for n in inv_names]
    now = conj([f.holds for f in inv])
    later = conj([_moved(system, f.holds) for f in inv])
    # where evaluating the invariant fails is the business of `no evaluation errors`
    sound = neg(disj([x.when for f in inv for x in f.faults]))
    pre = [system.assumptions, system.domain, system.within, now, sound]
    # steps from states where no action raises an evaluation error: the explicit semantics
    # stops at such a state, and `no evaluation errors` is proved separately
    step = [ctx.step, ctx.calm]  # the next state may lie outside the constraints: checked
    queries: list[tuple[str, list[z3.BoolRef]]] = [
        (ObligationKind.INITIATION, [system.assumptions, system.init, neg(now)])]  # every initial state
    if prop.kind == PropertyKind.TRANSITION:
        f = system.transitions[prop.name]
        raises = disj([x.when for x in f.faults])
        queries.append((ObligationKind.STEP, pre + step + [neg(f.holds), neg(raises)]))
    if inv:
        queries.append((ObligationKind.CONSECUTION, pre + step + [neg(later), _moved(system, sound)]))
    for name, formulas in queries:
        obligation, model = _discharge(ctx, name, formulas)
        result.obligations.append(obligation)
        if model is not None and result.counterexample is None:
            result.counterexample = _confirmed_counterexample(ctx, name, formulas, model,
                                                              inv_names, prop)
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
    inv = conj([system.invariants[n].holds for n in assumed])
    evaluated = [system.invariants[p.name] for p in targets
                 if p.kind == PropertyKind.INVARIANT and p.name != HELPERS]
    evaluated += [system.invariants[n] for n in assumed]
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
            check.counterexample = _counterexample(ctx, name, model, list(assumed), None)
    check.seconds = time.monotonic() - start
    return check


def _moved(system: SymbolicSystem, formula: z3.BoolRef) -> z3.BoolRef:
    """A formula over cur, moved to nxt."""
    pairs = list(zip(system.state_leaves(system.cur), system.state_leaves(system.nxt)))
    return z3.substitute(formula, *pairs)


def _discharge(ctx: _Context, name: str,
               formulas: list[z3.BoolRef]) -> tuple[Obligation, Optional[z3.ModelRef]]:
    solver = z3.Solver()
    solver.set("timeout", max(1, int(ctx.timeout * 1000)))
    solver.add(*formulas)
    start = time.monotonic()
    answer = solver.check()
    seconds = time.monotonic() - start
    if answer == z3.unsat:
        return Obligation(name, Outcome.PROVED, seconds), None
    if answer == z3.unknown:
        if solver.reason_unknown() in INTERRUPTED_REASONS:  # Z3 took the Ctrl-C: pass it on
            raise KeyboardInterrupt
        return Obligation(name, Outcome.UNKNOWN, seconds, solver.reason_unknown()), None
    return Obligation(name, Outcome.FAILED, seconds), solver.model()


# ---------------------------------------------------------------- counterexamples

OTHER_TIMINGS = 4  # further counterexamples tried, with other constant values


def _confirmed_counterexample(ctx: _Context, name: str, formulas: list[z3.BoolRef],
                              model: z3.ModelRef, inv_names: list[str],
                              prop: ir.Property) -> Counterexample:
    """A counterexample to an obligation; when the explicit checker neither reaches it nor
    finds the property violated with its constant values, a few more with other values are
    tried (which one Z3 returns first is arbitrary), and a confirmed one is preferred."""
    first = _counterexample(ctx, name, model, inv_names, prop)
    tried = [first]
    symbols = ctx.system.symbols
    while symbols and len(tried) <= OTHER_TIMINGS and not _confirmed(tried[-1]):
        others = [disj([s != v for s, v in ((symbols[n], c.constants[n]) for n in symbols)])
                  for c in tried]
        _, again = _discharge(ctx, name, formulas + others)
        if again is None:
            break
        tried.append(_counterexample(ctx, name, again, inv_names, prop))
    return next((c for c in tried if _confirmed(c)), first)


def _confirmed(cex: Counterexample) -> bool:
    return bool(cex.reached) or cex.violated is not None



def _counterexample(ctx: _Context, obligation: str, model: z3.ModelRef,
                    inv_names: list[str], prop: Optional[ir.Property]) -> Counterexample:
    system = ctx.system
    spec = ctx.spec

    def value(x: z3.ExprRef) -> object:
        return signed_value(model.eval(x, model_completion=True))

    constants = {n: int(str(model.eval(s, model_completion=True)))
                 for n, s in system.symbols.items()}
    pre = tuple(decode(v.type, x, value) for v, x in zip(spec.vars, system.cur))
    two_states = obligation in (ObligationKind.CONSECUTION, ObligationKind.STEP, ObligationKind.NO_ERRORS_ON_STEPS)
    states: tuple[State, ...] = (pre,)
    if two_states:
        states += (tuple(decode(v.type, x, value) for v, x in zip(spec.vars, system.nxt)),)
    compiled = _explicit(ctx, constants)
    if two_states and states[1] not in compiled.successors(states[0]):
        raise EncodingMismatch(f"the counterexample to {obligation} is not a step of the spec "
                               f"with {constants}: {states[0]} -> {states[1]}")
    failing = _failing(compiled, states, inv_names, prop, obligation)
    kind = PropertyKind.TRANSITION if obligation == ObligationKind.STEP else PropertyKind.INVARIANT
    name = prop.name if prop is not None else None
    if obligation == ObligationKind.NO_ERRORS:
        failing = (_fault_detail(compiled, pre),)
        kind = PropertyKind.EVALUATION
    elif obligation == ObligationKind.NO_ERRORS_ON_STEPS:
        failing = (_step_fault(compiled, states),)
        kind = PropertyKind.EVALUATION
    built = trace.build(compiled, list(states), property=name, kind=kind)
    watched = prop.name if prop is not None and prop.name != HELPERS else None
    reached, note, violated = _reachability(ctx, compiled, pre, obligation, watched)
    return Counterexample(obligation, constants, states, built, failing, note, reached, violated)


def _step_fault(compiled: TransitionSystem, states: tuple[State, ...]) -> str:
    """The error evaluating a transition property on a step raises (explicitly)."""
    try:
        for index in range(len(compiled.transitions)):
            compiled.violates_transition(states[0], states[1], index)
    except codegen.Fault as fault:
        return f"evaluating a transition property: {fault.detail}"
    raise EncodingMismatch("Z3 reports an error evaluating a transition property on a step the "
                           "explicit semantics evaluates without error")


def _explicit(ctx: _Context, constants: dict[str, int]) -> TransitionSystem:
    """The compiled spec with the symbolic constants at the counterexample's values."""
    key = tuple(sorted(constants.items()))
    if key not in ctx.explicit:
        ctx.explicit[key] = compile_spec(ctx.reload({n: str(v) for n, v in constants.items()}))
    return ctx.explicit[key]


def _reload(spec: ir.Spec, constants: Mapping[str, str]) -> ir.Spec:
    """The spec from its file, with its command-line overrides and these constant values."""
    consts, switches = _overrides(spec)
    consts.update(constants)
    return load_spec(spec.path, consts, switches, spec.check_deadlock)


def _overrides(spec: ir.Spec) -> tuple[dict[str, str], dict[str, str]]:
    """The command-line overrides a spec was loaded with, as `--const`/`--set` text."""
    consts: dict[str, str] = {}
    switches: dict[str, str] = {}
    for c in spec.constants:
        if c.source != ConstSource.COMMAND_LINE:
            continue
        text = T.format_value(c.type, c.value)
        if isinstance(c.type, T.BoolType):
            text = text.lower()
        (switches if c.switch else consts)[c.name] = text
    return consts, switches


def _failing(compiled: TransitionSystem, states: tuple[State, ...], inv_names: list[str],
             prop: Optional[ir.Property], obligation: str) -> tuple[str, ...]:
    last = states[-1]
    if obligation == ObligationKind.STEP and prop is not None:
        index = [p.name for p in compiled.transitions].index(prop.name)
        broken = compiled.violates_transition(states[0], last, index)
        return (prop.name,) if broken else ()
    if obligation in (ObligationKind.INITIATION, ObligationKind.CONSECUTION):
        names = [p.name for p in compiled.invariants]
        return tuple(n for n in inv_names
                     if compiled.violates_invariant(last, names.index(n)))
    return ()


def _reachability(ctx: _Context, compiled: TransitionSystem, state: State, obligation: str,
                  watched: Optional[str]) -> tuple[Optional[bool], str, Optional[int]]:
    """Whether an explicit search with the counterexample's constant values reaches its first
    state, and whether it violates the property at all (the shortest trace's length)."""
    if obligation in (ObligationKind.INITIATION, ObligationKind.INITIAL_DOMAIN):
        return True, "an initial state", None
    options = SearchOptions(max_states=ctx.reach_states, timeout=ctx.reach_seconds,
                            check_deadlock=False,
                            properties=frozenset({watched}) if watched else frozenset())
    try:
        search = explore(compiled, options)
    except codegen.Fault as fault:  # the explicit search stops when a property's evaluation fails
        return None, f"unknown (the explicit search stopped: {fault.detail})", None
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
