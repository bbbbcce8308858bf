"""The proofs the paper quotes: `checkmodel prove` on chosen designs, as plain data.

Only statuses are kept (PROVED, VIOLATED, NOT INDUCTIVE, UNKNOWN) and which constants were
symbolic; times and the constants of counterexamples are left out, so the data repeats. Each
design is proved in a fresh interpreter: Z3's shared context keeps state between queries, so the
counterexample it returns (and with it whether a failed induction is shown reachable) can depend
on what the process asked Z3 before.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

from checker.lang.frontend import load_spec


def prove_all(specs: list[str], helpers: str, log: Callable[[str], None]) -> list[dict[str, Any]]:
    return start_all(specs, helpers, log)()


def start_all(specs: list[str], helpers: str,
              log: Callable[[str], None]) -> Callable[[], list[dict[str, Any]]]:
    """Start every proof at once, each in its own fresh interpreter; the returned function waits
    for them and gives their rows in the order of `specs` (so the report can do other work
    meanwhile)."""
    fresh = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, len(specs)), mp_context=fresh,
                               max_tasks_per_child=1)
    for path in specs:
        log(f"proving {path} (helpers: {helpers})")
    futures = [pool.submit(prove_one, path, helpers) for path in specs]

    def collect() -> list[dict[str, Any]]:
        try:
            return [row for f in futures for row in f.result()]
        finally:
            pool.shutdown()
    return collect


def prove_one(path: str, helpers: str) -> list[dict[str, Any]]:
    from checker import smt
    report = smt.prove(load_spec(path, helpers=[helpers]))
    rows = [{"spec": path, "property": r.target.name, "status": r.status} for r in report.results]
    if report.errors is not None:
        rows.append({"spec": path, "property": "(no evaluation errors)",
                     "status": report.errors.status})
    rows.append({"spec": path, "property": "(symbolic constants)",
                 "status": ", ".join(c.name for c in report.symbolic) or "none"})
    return rows
