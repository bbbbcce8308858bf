"""Which explicit engine checks a spec: `--engine auto|array|tuple`.

The tuple engine (checker/explore.py) is the reference and runs whatever the spec; the array
engine runs where the whole spec compiles to array kernels and the check needs no state graph
edges (temporal properties and `--dump-graph` do; the array engine does not record them yet).
`auto` takes the array engine wherever it applies and says why when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from checker import errors
from checker.ir import nodes as ir
from checker.explicit.array.kernels import ArraySystem
from checker.explicit.array.unsupported import Unsupported

ENGINES = ("auto", "array", "tuple")


@dataclass(frozen=True)
class Choice:
    engine: str  # "array" or "tuple"
    arrays: Optional[ArraySystem]
    reason: Optional[str]  # why the tuple engine runs under `auto` (None when asked for)


def choose(spec: ir.Spec, engine: str, needs_edges: Optional[str]) -> Choice:
    """The engine to run. `needs_edges` names what needs the graph's edges, if anything.
    `--engine array` on a spec it cannot check is a ConfigError that says why."""
    assert engine in ENGINES, engine
    if engine == "tuple":
        return Choice("tuple", None, None)
    reason = needs_edges and f"{needs_edges} needs the state graph's edges"
    arrays = None
    if reason is None:
        try:
            arrays = ArraySystem.compile(spec)
        except Unsupported as exc:
            reason = f"the spec uses {exc.reason}"
    if arrays is not None:
        return Choice("array", arrays, None)
    if engine == "array":
        raise errors.ConfigError(errors.UNSUPPORTED,
                                 f"--engine array cannot check this spec: {reason}",
                                 None, [errors.Note("--engine tuple (or auto) checks it")])
    return Choice("tuple", None, reason)
