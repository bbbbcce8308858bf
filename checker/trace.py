"""Traces: what a counterexample is, how it is printed, saved as ITF, read back and replayed.

A `Trace` holds ITF values, so it can be printed and drawn without the spec that produced it;
`replay` converts it back to states and checks it against a spec, step by step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from checker import errors, itf
from checker.errors import ConfigError, Note, SpecError
from checker.system import Label, State, TransitionSystem


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


def build(system: TransitionSystem, states: Sequence[State], loop: Optional[int] = None,
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


def _channels(system: TransitionSystem) -> tuple[str, ...]:
    from checker import types as T
    return tuple(v.name for v in system.spec.vars if isinstance(v.type, T.SeqType))


def _step(system: TransitionSystem, state: State, label: Optional[Label]) -> Step:
    spec = system.spec
    values = {v.name: itf.to_itf(v.type, x) for v, x in zip(spec.vars, state)}
    if label is None:
        return Step(values)
    action = spec.actions[label[0]]
    params = {p.name: itf.to_itf(p.type, x) for p, x in zip(action.params, label[1])}
    return Step(values, system.label_text(label), action.name, params,
                f"{action.span.file}:{action.span.line}", action.process)


# ---------------------------------------------------------------- text


def format_text(trace: Trace, changed_only: bool = False) -> str:
    """TLC's shape: `State k: <action at file:line>` then `/\\ var = value` lines."""
    lines: list[str] = []
    previous: Optional[dict[str, Any]] = None
    for k, step in enumerate(trace.steps, start=1):
        if step.action is None:
            lines.append(f"State {k}: <Initial predicate>")
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


def action_list(trace: Trace) -> list[str]:
    """The replayable list of actions, one per step after the first."""
    return [s.action for s in trace.steps[1:] if s.action]


# ---------------------------------------------------------------- ITF files


def to_itf_json(trace: Trace) -> dict[str, Any]:
    states = []
    for i, step in enumerate(trace.steps):
        meta: dict[str, Any] = {"index": i}
        if step.action:
            meta["action"] = step.action
            meta["actionName"] = step.action_name
            meta["params"] = step.params
            meta["location"] = step.location
            if step.process:
                meta["process"] = step.process
        states.append({"#meta": meta, **step.values})
    top_meta: dict[str, Any] = {"format": "ITF", "format-description":
                                "https://apalache-mc.org/docs/adr/015adr-trace.html",
                                "source": trace.spec, "generator": "checkmodel",
                                "processes": list(trace.processes),
                                "channels": list(trace.channels)}
    if trace.property:
        top_meta["property"] = trace.property
    if trace.kind:
        top_meta["kind"] = trace.kind
    if trace.explanation:
        top_meta["explanation"] = list(trace.explanation)
    out: dict[str, Any] = {"#meta": top_meta, "vars": list(trace.vars), "states": states}
    if trace.loop is not None:
        out["loop"] = trace.loop
    return out


def write_itf(trace: Trace, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_itf_json(trace), handle, indent=1)
        handle.write("\n")


def from_itf_json(data: Any, path: str = "<trace>") -> Trace:
    def bad(message: str) -> ConfigError:
        return ConfigError(errors.BAD_TRACE_FILE, f"{path}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("states"), list):
        raise bad("not an ITF trace (no \"states\" array)")
    meta = data.get("#meta", {}) if isinstance(data.get("#meta"), dict) else {}
    names = data.get("vars")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        first = data["states"][0] if data["states"] else {}
        names = [k for k in first if k != "#meta"]
    steps = []
    for i, raw in enumerate(data["states"]):
        if not isinstance(raw, dict):
            raise bad(f"state {i} is not an object")
        smeta = raw.get("#meta", {}) if isinstance(raw.get("#meta"), dict) else {}
        values = {k: v for k, v in raw.items() if k != "#meta"}
        missing = [n for n in names if n not in values]
        if missing:
            raise bad(f"state {i} has no value for {', '.join(missing)}")
        steps.append(Step(values, smeta.get("action"), smeta.get("actionName"),
                          smeta.get("params", {}), smeta.get("location"), smeta.get("process")))
    loop = data.get("loop")
    return Trace(str(meta.get("source", path)), tuple(names), tuple(steps),
                 loop if isinstance(loop, int) else None, meta.get("property"), meta.get("kind"),
                 tuple(meta.get("processes", ())), tuple(meta.get("channels", ())),
                 tuple(str(line) for line in meta.get("explanation", ())))


def read_itf(path: str) -> Trace:
    return from_itf_json(itf.read_json(path), path)


# ---------------------------------------------------------------- replay


def replay(system: TransitionSystem, trace: Trace) -> list[State]:
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
        states.append(state)
    if trace.loop is not None:
        stutters = trace.loop == len(states) - 1  # the behaviour stays in its last state
        if not 0 <= trace.loop < len(states) or not stutters and states[trace.loop] not in \
                system.successors(states[-1]):
            raise SpecError(errors.TRACE_MISMATCH,
                            f"the trace's loop back to state {trace.loop + 1} is not a step of "
                            "the spec")
    return states


def _closest(system: TransitionSystem, candidates: Sequence[State], state: State) -> list[Note]:
    if not candidates:
        return [Note("the previous state has no successors")]
    best = min(candidates, key=lambda c: sum(a != b for a, b in zip(c, state)))
    spec = system.spec
    diffs = [f"{v.name}: trace has {itf.format_itf(itf.to_itf(v.type, b))}, the closest "
             f"successor has {itf.format_itf(itf.to_itf(v.type, a))}"
             for v, a, b in zip(spec.vars, best, state) if a != b]
    return [Note(d) for d in diffs[:5]]
