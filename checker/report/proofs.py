"""The proofs the paper quotes: `checkmodel prove` on chosen designs, as plain data.

Only statuses are kept (PROVED, VIOLATED, NOT INDUCTIVE, UNKNOWN) and which constants were
symbolic; times and the constants of counterexamples are left out, so the data repeats. Each
obligation runs under Z3's deterministic work limit (`rlimit` of report.toml's [proofs]), so
whether Z3 settles it does not depend on the machine or its load; an UNKNOWN cell says which
limit it ran into (the work limit, the same everywhere, or the wall-clock safety net, which is
not). Each design is proved in a fresh interpreter: Z3's shared context keeps state between
queries, so the counterexample it returns (and with it whether a failed induction is shown
reachable) can depend on what the process asked Z3 before.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from checker.ir.kinds import Outcome, ProofStatus
from checker.lang.frontend import load_spec

if TYPE_CHECKING:
    from checker.smt.proof_report import Obligation

@dataclass(frozen=True)
class ProofLimits:
    rlimit: int  # Z3's work limit per obligation (0: none)
    timeout: float  # seconds per obligation: a safety net only when rlimit is set


def prove_all(specs: list[str], helpers: str, log: Callable[[str], None],
              limits: ProofLimits = ProofLimits(0, 60.0), workers: int = 0) -> list[dict[str, Any]]:
    return start_all(specs, helpers, log, limits, workers)()


def start_all(specs: list[str], helpers: str, log: Callable[[str], None],
              limits: ProofLimits = ProofLimits(0, 60.0),
              workers: int = 0) -> Callable[[], list[dict[str, Any]]]:
    """Start the proofs, each in its own fresh interpreter (at most `workers` at once; 0: all);
    the returned function waits for them and gives their rows in the order of `specs` (so the
    report can do other work meanwhile)."""
    fresh = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, min(len(specs), workers or len(specs))),
                               mp_context=fresh, max_tasks_per_child=1)
    for path in specs:
        log(f"proving {path} (helpers: {helpers}; work limit {limits.rlimit or 'none'} "
            f"per obligation)")
    futures = [pool.submit(prove_one, path, helpers, limits) for path in specs]

    def collect() -> list[dict[str, Any]]:
        try:
            return [row for f in futures for row in f.result()]
        finally:
            pool.shutdown()
    return collect


def prove_one(path: str, helpers: str,
              limits: ProofLimits = ProofLimits(0, 60.0)) -> list[dict[str, Any]]:
    from checker import smt
    report = smt.prove(load_spec(path, helpers=[helpers]), query_timeout=limits.timeout,
                       rlimit=limits.rlimit or None)
    rows = [{"spec": path, "property": r.target.name, "status": _status(r.status, r.obligations)}
            for r in report.results]
    if report.errors is not None:
        rows.append({"spec": path, "property": "(no evaluation errors)",
                     "status": _status(report.errors.status, report.errors.obligations)})
    rows.append({"spec": path, "property": "(symbolic constants)",
                 "status": ", ".join(c.name for c in report.symbolic) or "none"})
    return rows


def _status(status: ProofStatus, obligations: Sequence["Obligation"]) -> str:
    """The status, and for UNKNOWN which limit Z3 ran into."""
    if status != ProofStatus.UNKNOWN:
        return str(status)
    from checker.smt.limits import Limit
    limits = {o.limit for o in obligations if o.status == Outcome.UNKNOWN}
    if limits == {Limit.WORK}:
        return f"{status} (work limit)"
    if limits & {Limit.QUERY_TIME, Limit.DEADLINE}:
        return f"{status} (wall timeout)"
    return f"{status} (Z3 gave up)"
