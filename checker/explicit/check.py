"""A check: compile a typed spec, search it, and turn the search into verdicts and traces.

This is the explicit engine's whole answer for one spec: one `Verdict` per property (safety
properties from the breadth-first search, temporal ones from the liveness checker) and the
shortest counterexample of each violated property as a `Trace`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from checker.ir.kinds import PropertyKind, Status, StopReason
from checker import errors
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.trace import trace
from checker.explicit.compile import compile_spec
from checker.explicit.search import SearchOptions, SearchResult, Violation, explore, ProgressCallback
from checker.explicit.liveness import (TemporalVerdict, check_temporal, interrupted_verdicts,
                                       temporal_properties)
from checker.explicit.system import TransitionSystem
from checker.explicit.witness import WitnessVerdict, check_witnesses, witness_properties

TemporalCallback = Callable[[TemporalVerdict, float], None]


@dataclass
class Verdict:
    """What the search says about one property."""

    property: str
    status: Status
    trace_length: Optional[int] = None
    kind: PropertyKind = PropertyKind.INVARIANT

    def text(self) -> str:
        if self.status == Status.VIOLATED:
            return f"violated ({self.trace_length} states)"
        if self.status == Status.REACHED:
            return f"reached ({self.trace_length} states)"
        return self.status


@dataclass
class CheckResult:
    spec: ir.Spec
    system: TransitionSystem
    search: SearchResult
    traces: list[trace.Trace]
    verdicts: list[Verdict]
    temporal: list[TemporalVerdict] = field(default_factory=list)  # also in traces and verdicts
    # `reachable` properties (in verdicts; their witness traces are not counterexamples)
    witnesses: list[WitnessVerdict] = field(default_factory=list)

    @property
    def exhaustive(self) -> bool:
        return self.search.complete

    def verdict(self, name: str) -> Verdict:
        for v in self.verdicts:
            if v.property == name:
                return v
        raise KeyError(name)


def violation_trace(system: TransitionSystem, violation: Violation,
                    search: SearchResult) -> trace.Trace:
    states = violation.states(search.graph)
    return trace.build(system, states, property=violation.name, kind=violation.kind)


def verdicts(system: TransitionSystem, search: SearchResult) -> list[Verdict]:
    """One verdict per checked property: violated, holds (exhaustive search) or unknown."""
    out = []
    found = {v.name: v for v in search.violations}
    kinds = {p.name: p.kind for p in system.invariants + system.transitions}
    for name in search.checked:
        kind = kinds.get(name, PropertyKind.DEADLOCK)
        if name in found:
            out.append(Verdict(name, Status.VIOLATED, found[name].length, kind))
        elif search.complete:
            out.append(Verdict(name, Status.HOLDS, None, kind))
        else:
            out.append(Verdict(name, Status.UNKNOWN, None, kind))
    return out


def check_spec(spec: ir.Spec, options: SearchOptions = SearchOptions(),
               on_progress: Optional[ProgressCallback] = None,
               on_temporal: Optional[TemporalCallback] = None) -> CheckResult:
    """Search, then check the temporal properties on the explored graph; `on_progress` hears
    of the search every few seconds, `on_temporal` of each temporal verdict as it is reached."""
    system = compile_spec(spec)
    known_properties(spec, options.properties)
    options = _with_spec_defaults(options, spec)
    temporal = temporal_properties(spec, options.properties)
    if options.fingerprints:
        _graph_free(spec, options, temporal)
    if temporal:
        options = replace(options, record_graph=True)
    search = _search(spec, system, options, on_progress)
    if search.distinct == 0 and search.stopped is None:
        _no_initial_state(spec)
    traces = [violation_trace(system, v, search) for v in search.violations]
    found = verdicts(system, search)
    left = None if options.timeout is None else max(0.0, options.timeout - search.elapsed)
    if search.stopped == StopReason.INTERRUPTED:  # Ctrl-C: no liveness check on a partial graph
        checked = interrupted_verdicts(temporal)
    else:
        checked = check_temporal(system, search, temporal, left, on_temporal)
    traces += [t.trace for t in checked if t.trace is not None]
    found += [Verdict(t.name, t.status, t.length, PropertyKind.TEMPORAL) for t in checked]
    witnessed = check_witnesses(system, search, witness_properties(spec, options.properties))
    found += [Verdict(w.name, w.status, w.length, PropertyKind.REACHABLE) for w in witnessed]
    return CheckResult(spec, system, search, traces, found, checked, witnessed)


def _search(spec: ir.Spec, system: TransitionSystem, options: SearchOptions,
            on_progress: Optional[ProgressCallback]) -> SearchResult:
    """The search on the engine `options.engine` selects; under `auto`, where the array engine
    applies, a probe of the first levels on the tuple engine decides (array/engine.py)."""
    from checker.explicit.array import engine
    check_workers(options.engine, options.workers)
    if options.fingerprints:
        return _fingerprint_search(spec, system, options, on_progress)
    choice = engine.choose(spec, options.engine)
    if choice.arrays is None:
        return replace(explore(system, options, on_progress),
                       engine_note=_one_process(choice.reason, options))
    note = None
    spent = 0.0
    if choice.probe:
        probe, whole = _probe(system, options, on_progress)
        if whole or probe.stopped != StopReason.MAX_STATES:
            return replace(probe, engine_note=_one_process(engine.ENDED_IN_PROBE, options))
        wide, note = engine.probe_note(engine.widest_level(probe.graph.parent),
                                       len(choice.arrays.actions))
        spent = probe.elapsed
        options = _less_time(options, spent)
        if not wide:
            return _after_probe(explore(system, options, on_progress), spent,
                                _one_process(note, options))
    from checker.explicit.array.search import array_explore
    try:
        found = array_explore(system, choice.arrays, options, on_progress)
        return _after_probe(replace(found, engine="array"), spent, note)
    except codegen.Fault:
        # evaluating a property or constraint failed; the tuple engine reports it, located,
        # with the trace to the state
        note = "the array engine met an evaluation error in a property or constraint"
        return replace(explore(system, options, on_progress),
                       engine_note=_one_process(note, options))


def check_workers(engine: str, workers: int) -> None:
    """Refuse (ConfigError) `--workers` above 1 where it cannot apply: the tuple engine asked
    for, or a platform without fork (the workers inherit the compiled kernels)."""
    if workers <= 1:
        return
    if engine == "tuple":
        raise errors.ConfigError(errors.BAD_VALUE,
                                 f"--workers {workers}: the tuple engine runs in one process",
                                 None, [errors.Note("--workers applies to the array engine "
                                                    "(--engine array, or auto where it runs)")])
    from checker.explicit.array.parallel import can_fork
    if not can_fork():
        raise errors.ConfigError(errors.BAD_VALUE, f"--workers {workers}: this platform cannot "
                                 "fork processes (the workers inherit the compiled kernels)")


def _one_process(note: Optional[str], options: SearchOptions) -> Optional[str]:
    """The tuple engine's note, saying that `--workers` did not apply under `auto`."""
    if options.workers <= 1:
        return note
    unused = f"--workers {options.workers} unused: the tuple engine runs in one process"
    return f"{note}; {unused}" if note else unused


def _fingerprint_search(spec: ir.Spec, system: TransitionSystem, options: SearchOptions,
                        on_progress: Optional[ProgressCallback]) -> SearchResult:
    """`--fingerprints`: the array engine's search with a fingerprint per state (no probe:
    fingerprints pay on state spaces far larger than the probe)."""
    from checker.explicit.array.engine import fingerprint_arrays
    from checker.explicit.array.fpsearch import fingerprint_explore
    arrays = fingerprint_arrays(spec, options.engine)
    try:
        return replace(fingerprint_explore(system, arrays, options, on_progress), engine="array")
    except codegen.Fault:
        note = "the array engine met an evaluation error in a property or constraint"
        return replace(explore(system, replace(options, fingerprints=False), on_progress),
                       engine_note=note)


def _graph_free(spec: ir.Spec, options: SearchOptions, temporal: list[ir.Property]) -> None:
    """Refuse (ConfigError) what needs the explored states or graph under --fingerprints,
    which keeps neither: temporal and `reachable` properties, the graph's export."""
    needs = [p.name for p in temporal] + [p.name for p in
                                          witness_properties(spec, options.properties)]
    if needs:
        raise errors.ConfigError(
            errors.UNSUPPORTED, "--fingerprints keeps no state graph, so it cannot check the "
            f"temporal and reachable properties ({', '.join(needs)})", None,
            [errors.Note("select the safety properties with --property, or check without "
                         "--fingerprints")])
    if options.record_graph:
        raise errors.ConfigError(errors.UNSUPPORTED, "--fingerprints keeps no state graph to "
                                 "export (--dump-graph)", None,
                                 [errors.Note("check without --fingerprints")])


def _probe(system: TransitionSystem, options: SearchOptions,
           on_progress: Optional[ProgressCallback]) -> tuple[SearchResult, bool]:
    """The tuple engine's search of the first PROBE_STATES states, and whether it is the whole
    search (the user's --max-states is no larger)."""
    from checker.explicit.array.engine import PROBE_STATES
    limit = options.max_states
    whole = limit is not None and limit <= PROBE_STATES
    probe = options if whole else replace(options, max_states=PROBE_STATES)
    return explore(system, probe, on_progress), whole


def _less_time(options: SearchOptions, spent: float) -> SearchOptions:
    if options.timeout is None:
        return options
    return replace(options, timeout=max(1e-3, options.timeout - spent))


def _after_probe(search: SearchResult, spent: float, note: Optional[str]) -> SearchResult:
    """The search that followed a probe, with the probe's time in its elapsed time."""
    return replace(search, elapsed=search.elapsed + spent, engine_note=note)


def _no_initial_state(spec: ir.Spec) -> None:
    """Every property would hold vacuously: refuse rather than report an exhaustive search."""
    constraints = [p for p in spec.properties if p.kind == PropertyKind.CONSTRAINT]
    raise errors.SpecError(errors.NO_INITIAL_STATE,
                           "the spec has no initial state within its constraints",
                           constraints[0].span if constraints else None,
                           [errors.Note("every property would hold vacuously")])


def _with_spec_defaults(options: SearchOptions, spec: ir.Spec) -> SearchOptions:
    """The options with the spec's own defaults filled in: `continue on;` where `keep_going`
    is None, and no deadlock check where the spec or the property selection says so."""
    wanted = options.properties
    check_deadlock = options.check_deadlock and spec.check_deadlock and (
        wanted is None or "Deadlock" in wanted)
    keep_going = spec.keep_going if options.keep_going is None else options.keep_going
    return replace(options, check_deadlock=check_deadlock, keep_going=keep_going)


def known_properties(spec: ir.Spec, wanted: Optional[frozenset[str]]) -> None:
    """Refuse (ConfigError) property names the spec does not declare."""
    if wanted is None:
        return
    names = {p.name for p in spec.properties} | {"Deadlock"}
    for name in sorted(wanted - names):
        close = difflib.get_close_matches(name, sorted(names), n=1)
        notes = [errors.Note(f"did you mean '{close[0]}'?")] if close else []
        notes.append(errors.Note("properties: " + ", ".join(sorted(names))))
        raise errors.ConfigError(errors.UNDEFINED, f"no property named '{name}'", None, notes)
