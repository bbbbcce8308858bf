"""The Python entry points: load and type-check a spec, check it by BFS, by BMC, prove it.

`checker.cli` is a thin layer over these; tests and the report use them directly. They follow
the command line's semantics: a spec's `continue on;` applies unless `SearchOptions(keep_going=...)`
says otherwise. docs/api.md documents them with an example.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Optional, Sequence

from checker.explicit.check import (CheckResult, Verdict, check_spec, check_workers,
                                    known_properties, verdicts, violation_trace)
from checker.explicit.search import ProgressCallback, SearchOptions
from checker.ir import nodes as ir
from checker.lang.frontend import load_spec

if TYPE_CHECKING:
    from checker.smt.bmc import BmcResult
    from checker.smt.proof_report import ProveReport

__all__ = ["CheckResult", "SearchOptions", "Verdict", "bmc", "check", "check_spec",
           "check_workers", "known_properties", "load_spec", "prove", "verdicts", "violation_trace"]


def check(path: str, consts: Optional[Mapping[str, str]] = None,
          switches: Optional[Mapping[str, str]] = None,
          options: SearchOptions = SearchOptions(),
          on_progress: Optional[ProgressCallback] = None,
          check_deadlock: Optional[bool] = None) -> CheckResult:
    """Load, compile and explore a spec; build a trace for every violation found."""
    spec = load_spec(path, consts, switches, check_deadlock)
    return check_spec(spec, options, on_progress)


def bmc(spec: ir.Spec, depth: int, properties: Optional[frozenset[str]] = None,
        keep_going: Optional[bool] = None, timeout: Optional[float] = None,
        rlimit: Optional[int] = None, query_timeout: Optional[float] = None) -> BmcResult:
    """Bounded model checking with Z3: the shortest violation within `depth` steps of each
    selected property (every one with `keep_going`; default: the spec's `continue on;`).
    `timeout` (seconds) bounds the whole search; `query_timeout` (seconds) and `rlimit` (units
    of Z3 work, the same on every machine) bound each Z3 query."""
    from checker.smt.bmc import bmc as run_bmc
    known_properties(spec, properties)
    return run_bmc(spec, depth, properties,
                   keep_going=spec.keep_going if keep_going is None else keep_going,
                   check_deadlock=spec.check_deadlock, timeout=timeout, rlimit=rlimit,
                   query_timeout=query_timeout)


def prove(spec: ir.Spec, properties: Optional[Sequence[str]] = None,
          timeout: Optional[float] = None, rlimit: Optional[int] = None,
          query_timeout: Optional[float] = 60.0) -> ProveReport:
    """Inductive proofs with Z3 of the spec's invariants and transition properties, for every
    value of its integer constants that `--const` did not fix. `timeout` (seconds) bounds the
    whole proof; `query_timeout` (seconds) and `rlimit` (units of Z3 work, the same on every
    machine) bound each Z3 query."""
    from checker.smt.prove import prove as run_prove
    if properties:
        known_properties(spec, frozenset(properties))
    return run_prove(spec, properties, timeout=timeout, rlimit=rlimit,
                     query_timeout=query_timeout)
