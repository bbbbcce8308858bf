"""Confirming what Z3 found with the explicit semantics: Z3 models decoded to states, and
paths, steps and violations replayed by the compiled successor function.

BMC and induction report nothing the explicit checker does not reproduce: a model that does not
replay raises `EncodingMismatch`, an internal error. With symbolic constants, a model is replayed
on the spec compiled with the constant values Z3 chose (`CompiledSpecs`, one compilation per set
of values, the spec reloaded with `lang.frontend.reload`).
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional, Sequence

import z3

from checker.explicit.compile import compile_spec
from checker.explicit.system import State, TransitionSystem
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind
from checker.lang.frontend import reload
from checker.smt.bitvec import signed_value
from checker.smt.values import Sym, decode

ModelValue = Callable[[z3.ExprRef], object]  # the Python value (bool or int) of a model's leaf


class EncodingMismatch(AssertionError):
    """The Z3 encoding and the explicit semantics disagree: a bug in checkmodel."""


class CompiledSpecs:
    """The spec compiled with each set of values of its symbolic constants (no values: the spec
    as loaded), compiled when first asked for."""

    def __init__(self, spec: ir.Spec, compiled: Optional[TransitionSystem] = None):
        self.spec = spec
        self._compiled: dict[tuple[tuple[str, int], ...], TransitionSystem] = {}
        if compiled is not None:
            self._compiled[()] = compiled

    def at(self, constants: Mapping[str, int]) -> TransitionSystem:
        key = tuple(sorted(constants.items()))
        if key not in self._compiled:
            spec = reload(self.spec, dict(key)) if key else self.spec
            self._compiled[key] = compile_spec(spec)
        return self._compiled[key]


# ---------------------------------------------------------------- decoding


def model_value(model: z3.ModelRef,
                leaf: Callable[[z3.ExprRef], z3.ExprRef] = lambda x: x) -> ModelValue:
    """Evaluate a leaf in a model (`leaf` maps it to the term the solver saw: a bit-vector)."""
    def evaluate(x: z3.ExprRef) -> object:
        return signed_value(model.eval(leaf(x), model_completion=True))
    return evaluate


def constant_values(symbols: Mapping[str, z3.ArithRef], value: ModelValue) -> dict[str, int]:
    """The values a model gives the symbolic constants."""
    return {name: int(str(value(x))) for name, x in symbols.items()}


def decode_state(spec: ir.Spec, state: Sequence[Sym], value: ModelValue) -> State:
    return tuple(decode(v.type, x, value) for v, x in zip(spec.vars, state))


# ---------------------------------------------------------------- replaying


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
    for j, s in enumerate(states[:-1]):  # the last state may lie outside: it is checked only
        if not compiled.within_constraints(s):
            raise EncodingMismatch(f"state {j + 1} of the Z3 model violates a constraint")


def replay_step(compiled: TransitionSystem, pre: State, post: State, what: str) -> None:
    """Check that a decoded step (of a counterexample to induction) is a step of the spec."""
    if post not in compiled.successors(pre):
        raise EncodingMismatch(f"the counterexample to {what} is not a step of the spec: "
                               f"{pre} -> {post}")


def confirm_violation(compiled: TransitionSystem, states: Sequence[State], kind: PropertyKind,
                      name: str) -> Optional[str]:
    """Check that a replayed path ends in the violation Z3 reported; for an evaluation error,
    say what fails and where."""
    last = states[-1]
    if kind == PropertyKind.INVARIANT:
        if not violated_invariants(compiled, last, [name]):
            raise EncodingMismatch(f"invariant {name} holds in the Z3 model's last state")
        return None
    if kind == PropertyKind.TRANSITION:
        if not violates_transition(compiled, states[-2], last, name):
            raise EncodingMismatch(f"transition property {name} holds on the Z3 model's "
                                   "last step")
        return None
    if kind == PropertyKind.DEADLOCK:
        try:
            successors = compiled.successors(last)
        except codegen.Fault as fault:
            raise EncodingMismatch(f"the Z3 model's deadlock state raises an evaluation error "
                                   f"({fault.detail})") from None
        if successors:
            raise EncodingMismatch("the Z3 model's last state has successors: no deadlock")
        return None
    return fault_detail(compiled, last, states[-2] if len(states) > 1 else None)


def violated_invariants(compiled: TransitionSystem, state: State,
                        names: Sequence[str]) -> tuple[str, ...]:
    """Those of the named invariants that are false in a state."""
    index = {p.name: i for i, p in enumerate(compiled.invariants)}
    return tuple(n for n in names if compiled.violates_invariant(state, index[n]))


def violates_transition(compiled: TransitionSystem, pre: State, post: State, name: str) -> bool:
    index = [p.name for p in compiled.transitions].index(name)
    return compiled.violates_transition(pre, post, index)


def fault_detail(compiled: TransitionSystem, state: State,
                 previous: Optional[State] = None) -> str:
    """What error checking or expanding a state (or the step into it) raises, and where."""
    try:
        compiled.within_constraints(state)
        for index in range(len(compiled.invariants)):
            compiled.violates_invariant(state, index)
        if previous is not None:
            for index in range(len(compiled.transitions)):
                compiled.violates_transition(previous, state, index)
        compiled.successors(state)
    except codegen.Fault as fault:
        site = compiled.sites[fault.site]
        where = f" at {site.span}" if site.span is not None else ""
        return f"{site.message(fault.detail)}{where}"
    raise EncodingMismatch("Z3 reports an evaluation error in a state the explicit semantics "
                           "evaluates without error")


def step_fault(compiled: TransitionSystem, pre: State, post: State) -> str:
    """The error evaluating a transition property on a step raises (explicitly)."""
    try:
        for index in range(len(compiled.transitions)):
            compiled.violates_transition(pre, post, index)
    except codegen.Fault as fault:
        return f"evaluating a transition property: {fault.detail}"
    raise EncodingMismatch("Z3 reports an error evaluating a transition property on a step the "
                           "explicit semantics evaluates without error")
