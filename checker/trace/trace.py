"""Traces: what a counterexample is, how it is built from states, and its text in TLC's shape.

A `Trace` holds ITF values, so it can be printed and drawn without the spec that produced it.
`checker.trace.io` saves and reads traces as ITF JSON; `checker.trace.replay` checks one against a
spec, step by step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from checker import errors
from checker.trace import itf
from checker.errors import ConfigError, Note, SpecError
from checker.trace.semantics import Label, Semantics, State


@dataclass(frozen=True)
class Step:
    """One state of a trace and the action that produced it (None for an initial state)."""

    values: dict[str, Any]  # variable name -> ITF value
    action: Optional[str] = None  # `worker.claim(r1)`
    action_name: Optional[str] = None  # `worker.claim`
    params: dict[str, Any] = field(default_factory=dict)  # parameter name -> ITF value
    location: Optional[str] = None  # `model/worker.spec:12`
    process: Optional[str] = None  # the process the action belongs to, if any


@dataclass(frozen=True)
class Trace:
    spec: str
    vars: tuple[str, ...]
    steps: tuple[Step, ...]
    loop: Optional[int] = None  # for a lasso: the index of the state the last one returns to
    property: Optional[str] = None  # the property it violates
    kind: Optional[str] = None  # invariant, transition, deadlock, temporal, evaluation
    processes: tuple[str, ...] = ()  # process names declared in the spec, in order
    channels: tuple[str, ...] = ()  # variables of fifo, seq or bag type
    explanation: tuple[str, ...] = ()  # explain-why lines for the violated property, if any

    def __len__(self) -> int:
        return len(self.steps)


def build(system: Semantics, states: Sequence[State], loop: Optional[int] = None,
          property: Optional[str] = None, kind: Optional[str] = None) -> Trace:
    """A trace through concrete states; each step's action is the first that connects them."""
    spec = system.spec
    steps = []
    for i, state in enumerate(states):
        label = system.label_between(states[i - 1], state) if i else None
        steps.append(_step(system, state, label))
    if loop is not None:
        pass  # the closing step back to `loop` is implied; its label is on the last state's edge
    return Trace(spec.name, tuple(v.name for v in spec.vars), tuple(steps), loop, property, kind,
                 tuple(name for name, _ in spec.processes), _channels(system))


def _channels(system: Semantics) -> tuple[str, ...]:
    from checker.ir import types as T
    return tuple(v.name for v in system.spec.vars if isinstance(v.type, T.SeqType))


def _step(system: Semantics, state: State, label: Optional[Label]) -> Step:
    spec = system.spec
    values = {v.name: itf.to_itf(v.type, x) for v, x in zip(spec.vars, state)}
    if label is None:
        return Step(values)
    action = spec.actions[label[0]]
    params = {p.name: itf.to_itf(p.type, x) for p, x in zip(action.params, label[1])}
    return Step(values, system.label_text(label), action.name, params,
                f"{action.span.file}:{action.span.line}", action.process)


# ---------------------------------------------------------------- text


def format_text(trace: Trace, changed_only: bool = False, start: str = "Initial predicate") -> str:
    """TLC's shape: `State k: <action at file:line>` then `/\\ var = value` lines.

    `start` names what the first state is (a counterexample to induction starts in a state
    that satisfies the invariants, not necessarily an initial one)."""
    lines: list[str] = []
    previous: Optional[dict[str, Any]] = None
    for k, step in enumerate(trace.steps, start=1):
        if step.action is None:
            lines.append(f"State {k}: <{step_label(step, k - 1) or start}>")
        else:
            where = f" at {step.location}" if step.location else ""
            lines.append(f"State {k}: <{step.action}{where}>")
        for name in trace.vars:
            value = step.values.get(name)
            if changed_only and previous is not None and previous.get(name) == value:
                continue
            mark = "" if previous is None or previous.get(name) == value else "  (changed)"
            lines.append(f"/\\ {name} = {itf.format_itf(value)}{'' if changed_only else mark}")
        previous = step.values
        lines.append("")
    if trace.loop is not None:
        lines.append(f"State {len(trace.steps) + 1}: Back to state {trace.loop + 1}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def step_label(step: Step, index: int) -> Optional[str]:
    """What produced the state at `index` (0: the first): checkmodel's action, a label another
    tool wrote (Quint's `mbt::actionTaken`), or `step k`; None for the first state."""
    if step.action is not None:
        return step.action
    if index == 0:
        return None
    if step.action_name is None:
        return f"step {index}"
    args = ", ".join(f"{k}={itf.format_itf(v)}" for k, v in step.params.items())
    return f"{step.action_name}({args})" if args else step.action_name


def fold_state_lines(text: str, width: Optional[int]) -> str:
    """`text` with each `/\\ var = value` line wider than `width` folded after a comma,
    continuation lines indented under the value (a value without commas is cut every
    `width` columns)."""
    if width is None:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if not line.startswith("/\\ ") or len(line) <= width:
            out.append(line)
            continue
        indent = " " * min(line.find(" = ") + 3, width // 3)
        out += _fold(line, width, indent)
    return "\n".join(out)


def _fold(line: str, width: int, indent: str) -> list[str]:
    lines: list[str] = []
    rest = line
    while len(rest) > width:
        cut = rest.rfind(", ", len(indent) + 1, width)
        cut = cut + 1 if cut > 0 else width
        lines.append(rest[:cut].rstrip())
        rest = indent + rest[cut:].lstrip()
    return lines + [rest]


def action_list(trace: Trace) -> list[str]:
    """The replayable list of actions, one per step after the first."""
    return [s.action for s in trace.steps[1:] if s.action]
