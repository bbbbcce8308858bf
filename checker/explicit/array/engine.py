"""Which explicit engine checks a spec: `--engine auto|array|tuple`.

The tuple engine (checker/explicit/search.py) is the reference and runs whatever the spec; the
array engine runs where the whole spec compiles to array kernels (it records the state graph's
edges too, for liveness and `--dump-graph`). Under `auto` the choice also weighs the state space's shape: the
array engine's cost is a fixed amount of Python work per action instance and BFS level plus a
little per state, the tuple engine's is all per state, so the array engine pays only where levels
are wide. `auto` therefore probes: it runs the tuple engine for the first `PROBE_STATES` states
and takes the array engine only if some level there is wide enough for the spec's number of
action instances (`wide_enough`); else the tuple engine runs. A search that ends within the probe is the
answer (a tuple engine run). The summary line says which engine ran and why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

from checker import errors
from checker.ir import nodes as ir
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.array.unsupported import Unsupported

ENGINES = ("auto", "array", "tuple")
PROBE_STATES = 2_000  # states the tuple engine explores before `auto` decides
# Where a level pays for the array engine's fixed work per level (measured, bench/README.md):
# with one action instance the array engine costs about 0.4 ms per level against about 5 us per
# state on the tuple engine (break-even near 80 states per level); each further action instance
# adds about 80 us per level to the array engine and little per state to the tuple engine
# (about 11 us per state with 101 instances), so break-even grows about 7 states per instance.
WIDE_LEVEL = 128
PER_INSTANCE = 8


def wide_enough(instances: int) -> int:
    """The level width from which the array engine is expected to be the faster."""
    return max(WIDE_LEVEL, PER_INSTANCE * instances)


@dataclass(frozen=True)
class Choice:
    engine: str  # "array" or "tuple"
    arrays: Optional[ArraySystem]
    reason: Optional[str]  # why the tuple engine runs under `auto` (None when asked for)
    probe: bool = False  # `auto` with the array engine possible: probe the levels' width first


def choose(spec: ir.Spec, engine: str) -> Choice:
    """The engine to run. `--engine array` on a spec it cannot check is a ConfigError that
    says why."""
    assert engine in ENGINES, engine
    if engine == "tuple":
        return Choice("tuple", None, None)
    arrays = None
    try:
        arrays = ArraySystem.compile(spec)
    except Unsupported as exc:
        reason = f"the spec uses {exc.reason}"
    if arrays is not None:
        return Choice("array", arrays, None, probe=engine == "auto")
    if engine == "array":
        raise errors.ConfigError(errors.UNSUPPORTED,
                                 f"--engine array cannot check this spec: {reason}",
                                 None, [errors.Note("--engine tuple (or auto) checks it")])
    return Choice("tuple", None, f"the array engine does not apply: {reason}")


def fingerprint_arrays(spec: ir.Spec, engine: str) -> ArraySystem:
    """The array system a `--fingerprints` check runs on (fingerprint mode is the array
    engine's): a ConfigError under `--engine tuple` or where the spec does not compile."""
    if engine == "tuple":
        raise errors.ConfigError(errors.UNSUPPORTED, "--fingerprints runs on the array engine, "
                                 "not on --engine tuple", None,
                                 [errors.Note("drop --engine tuple (or --fingerprints)")])
    try:
        return ArraySystem.compile(spec)
    except Unsupported as exc:
        raise errors.ConfigError(errors.UNSUPPORTED, "--fingerprints runs on the array engine, "
                                 f"which cannot check this spec: the spec uses {exc.reason}",
                                 None, [errors.Note("without --fingerprints the tuple engine "
                                                    "checks it")]) from None


def widest_level(parent: Sequence[int]) -> int:
    """The number of states of the widest BFS level among states listed in BFS order with
    their parents (-1 for an initial state); a level cut short counts what it has."""
    depth: list[int] = []
    for p in parent:
        depth.append(0 if p < 0 else depth[p] + 1)
    return max(Counter(depth).values(), default=0)


def probe_note(widest: int, instances: int) -> tuple[bool, str]:
    """Whether a probe whose widest level had `widest` states takes the array engine for a
    spec of `instances` action instances, and the summary's reason."""
    wide = wide_enough(instances)
    if widest >= wide:
        return True, (f"auto: a level of {widest:,} states within the first {PROBE_STATES:,}, "
                      f"wide enough (from {wide:,}) for {instances:,} action instances")
    return False, (f"auto: the widest level within the first {PROBE_STATES:,} states has "
                   f"{widest:,}, fewer than the {wide:,} that pay for whole-level arrays with "
                   f"{instances:,} action instances")


ENDED_IN_PROBE = (f"auto: the search ended within the tuple engine's probe of the first "
                  f"{PROBE_STATES:,} states")
