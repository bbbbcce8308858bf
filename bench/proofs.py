"""Benchmark: the time of each lifecycle proof (`checkmodel prove`), beside the explicit verdict.

    .venv/bin/python bench/proofs.py                 # every lifecycle spec, writes bench/proofs.json
    .venv/bin/python bench/proofs.py specs/fixed.spec   # some specs only (no proofs.json)

For each spec in specs/*.spec, with the helper invariants of model/proof_helpers.spec merged in
(`checkmodel prove --helpers model/proof_helpers.spec`), every invariant and transition property
is proved by induction for every value of the symbolic timing constants, and the exhaustive BFS
with the default constants gives the verdict to compare with. A property that BFS finds to hold
but that the prover shows VIOLATED fails for some other value of the constants. Prints one row
per property and the total time per spec. This is a benchmark, not a test: it exits 0 unless
a proof contradicts BFS (PROVED where BFS finds a violation: then 1).
"""

from __future__ import annotations

import glob
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from checker import api
from checker import smt  # noqa: E402
from checker.explicit.search import SearchOptions  # noqa: E402

RESULTS = os.path.join(HERE, "proofs.json")
HELPERS = os.path.join(ROOT, "model", "proof_helpers.spec")


@dataclass
class Row:
    spec: str
    property: str
    kind: str
    bfs: str  # holds / violated (n) with the default constants
    proof: str  # PROVED / VIOLATED / NOT INDUCTIVE / UNKNOWN
    seconds: float
    counterexample_constants: dict[str, int]


def bfs_verdicts(path: str) -> dict[str, str]:
    spec = api.load_spec(path)
    names = frozenset(p.name for p in spec.properties if p.kind in ("invariant", "transition"))
    result = api.check_spec(spec, SearchOptions(keep_going=True, properties=names))
    return {v.property: v.text() for v in result.verdicts}


def prove_spec(path: str) -> tuple[list[Row], dict[str, Any]]:
    relative = os.path.relpath(path, ROOT)
    start = time.monotonic()
    report = smt.prove(api.load_spec(path, helpers=[HELPERS]))
    proof_seconds = time.monotonic() - start
    verdicts = bfs_verdicts(path)
    rows = [Row(relative, r.target.name, r.target.kind, verdicts.get(r.target.name, "-"),
                r.status, round(r.seconds, 3),
                r.counterexample.constants if r.counterexample else {})
            for r in report.results]
    errors = report.errors.status if report.errors else "-"
    summary = {"spec": relative, "seconds": round(proof_seconds, 3), "no_errors": errors,
               "symbolic": [c.name for c in report.symbolic],
               "fixed": [c.name for c in report.fixed]}
    return rows, summary


def main(argv: list[str]) -> int:
    paths = argv or sorted(glob.glob(os.path.join(ROOT, "specs", "*.spec")))
    rows: list[Row] = []
    summaries = []
    for path in paths:
        found, summary = prove_spec(path)
        rows += found
        summaries.append(summary)
        print(f"{summary['spec']}: {summary['seconds']:.1f}s, no evaluation errors: "
              f"{summary['no_errors']}", flush=True)
        for r in found:
            print(f"  {r.property:<30} {r.kind:<10} BFS {r.bfs:<26} {r.proof:<13} "
                  f"{r.seconds:6.2f}s")
    contradictions = [r for r in rows if r.proof == "PROVED" and r.bfs.startswith("violated")]
    for r in contradictions:
        print(f"CONTRADICTION: {r.spec} {r.property} proved but BFS finds it violated")
    if not argv:
        with open(RESULTS, "w", encoding="utf-8") as handle:
            json.dump({"machine": platform.platform(), "python": platform.python_version(),
                       "specs": summaries, "properties": [asdict(r) for r in rows]},
                      handle, indent=1)
            handle.write("\n")
        print(f"written {os.path.relpath(RESULTS, ROOT)}")
    return 1 if contradictions else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
