"""Replay: check that a trace is a behaviour of a spec, and say where it diverges if not."""

from __future__ import annotations

from typing import Sequence

from checker import errors
from checker.errors import Note, SpecError
from checker.trace import itf
from checker.trace.semantics import Semantics, State
from checker.trace.trace import Trace


def replay(system: Semantics, trace: Trace) -> list[State]:
    """Check that a trace is a behaviour of the spec; return its states.

    Raises `SpecError` (E400) naming the first step that does not fit.
    """
    spec = system.spec
    names = [v.name for v in spec.vars]
    if set(trace.vars) != set(names):
        extra = sorted(set(trace.vars) - set(names))
        missing = sorted(set(names) - set(trace.vars))
        detail = "; ".join(filter(None, [f"unknown: {', '.join(extra)}" if extra else "",
                                         f"missing: {', '.join(missing)}" if missing else ""]))
        raise SpecError(errors.TRACE_MISMATCH, f"the trace's variables do not match the spec "
                        f"({detail})")
    if not trace.steps:
        raise SpecError(errors.TRACE_MISMATCH, "the trace has no states")
    states: list[State] = []
    for k, step in enumerate(trace.steps, start=1):
        try:
            state = tuple(itf.from_itf(v.type, step.values[v.name]) for v in spec.vars)
        except itf.ItfValueError as exc:
            raise SpecError(errors.TRACE_MISMATCH, f"state {k}: {exc}") from None
        if k == 1:
            if state not in set(system.initial):
                raise SpecError(errors.TRACE_MISMATCH,
                                "state 1 is not an initial state of the spec",
                                notes=_closest(system, system.initial, state))
        else:
            successors = system.successors(states[-1])
            if state not in successors:
                what = f" ({step.action})" if step.action else ""
                raise SpecError(errors.TRACE_MISMATCH,
                                f"the trace diverges at state {k}{what}: no action of the spec "
                                f"leads from state {k - 1} to it",
                                notes=_closest(system, successors, state))
            if step.action is not None:
                _check_label(system, states[-1], state, step.action, k)
        states.append(state)
    if trace.loop is not None:
        stutters = trace.loop == len(states) - 1  # the behaviour stays in its last state
        if not 0 <= trace.loop < len(states) or not stutters and states[trace.loop] not in \
                system.successors(states[-1]):
            raise SpecError(errors.TRACE_MISMATCH,
                            f"the trace's loop back to state {trace.loop + 1} is not a step of "
                            "the spec")
    return states


def _check_label(system: Semantics, source: State, target: State, action: str, k: int) -> None:
    """The step's action label must name an action that leads from `source` to `target`."""
    leading = [system.label_text(label) for label, state in system.labeled_successors(source)
               if state == target]
    if action not in leading:
        raise SpecError(errors.TRACE_MISMATCH,
                        f"state {k}: the trace says it is reached by {action}, but from state "
                        f"{k - 1} only {', '.join(leading)} lead to it")


def _closest(system: Semantics, candidates: Sequence[State], state: State) -> list[Note]:
    if not candidates:
        return [Note("the previous state has no successors")]
    best = min(candidates, key=lambda c: sum(a != b for a, b in zip(c, state)))
    spec = system.spec
    diffs = [f"{v.name}: trace has {itf.format_itf(itf.to_itf(v.type, b))}, the closest "
             f"successor has {itf.format_itf(itf.to_itf(v.type, a))}"
             for v, a, b in zip(spec.vars, best, state) if a != b]
    return [Note(d) for d in diffs[:5]]
