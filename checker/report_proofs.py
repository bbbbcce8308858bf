"""The proofs the paper quotes: `checkmodel prove` on chosen designs, as plain data.

Only statuses are kept (PROVED, VIOLATED, NOT INDUCTIVE, UNKNOWN) and which constants were
symbolic; times and the constants of counterexamples are left out, so the data repeats.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Mapping

from checker import ir, smt


def prove_all(specs: list[str], helpers: str, log: Callable[[str], None]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in specs:
        log(f"proving {path} (helpers: {helpers})")
        spec = smt.load_spec(path, helpers=[helpers])
        report = smt.prove(spec, reload=partial(_reload, path, helpers))
        for r in report.results:
            rows.append({"spec": path, "property": r.target.name, "status": r.status})
        if report.errors is not None:
            rows.append({"spec": path, "property": "(no evaluation errors)",
                         "status": report.errors.status})
        rows.append({"spec": path, "property": "(symbolic constants)",
                     "status": ", ".join(c.name for c in report.symbolic) or "none"})
    return rows


def _reload(path: str, helpers: str, consts: Mapping[str, str]) -> ir.Spec:
    return smt.load_spec(path, consts, helpers=[helpers])
