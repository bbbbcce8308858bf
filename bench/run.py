"""Benchmark: the checker against a hand-written Python BFS of the same model.

    .venv/bin/python bench/run.py            # full benchmark (best of 3), writes bench/results.json
    .venv/bin/python bench/run.py --quick    # small instances, a smoke run (no results.json)

For each model the checker (the `checker` package, on the spec in specs/examples/)
and the hand-written tuple-based search (bench/baseline.py) are timed in this one
process, alternately, best of N, so both see the same interpreter and machine
load. Peak memory (ru_maxrss) is measured once more for each in a fresh
subprocess, so that it belongs to one search only.  Both do the
same work: every invariant of the spec on every distinct state, its transition
properties on every generated step, and deadlock detection.  The rate is
distinct states per second of wall time for the whole check: for the checker
that includes loading, type-checking and compiling the spec.  The figure that
matters is the ratio checker rate / baseline rate (the floor is 0.5).

This is a benchmark, not a test: it prints figures and exits 0 unless a run
fails or the state counts disagree (then 1).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results.json")
FLOOR = 0.5


@dataclass(frozen=True)
class Model:
    """One benchmark model: the spec with its constants, and the expected counts."""

    key: str
    title: str
    spec: str  # relative to the repository root
    consts: dict[str, str]
    baseline: str  # a baseline.py function name
    baseline_args: tuple[int, ...]
    distinct: int
    depth: int


def rm_set(n: int) -> str:
    return "{" + ",".join(f"r{i}" for i in range(1, n + 1)) + "}"


FULL = [
    Model("twophase7", "two-phase commit, 7 RMs", "specs/examples/twophase.spec",
          {"RM": rm_set(7)}, "twophase_model", (7,), 296_448, 23),
    Model("counters", "3 counters 0..99", "specs/examples/counters.spec",
          {}, "counters_model", (3, 99), 1_000_000, 298),
]
QUICK = [
    Model("twophase5", "two-phase commit, 5 RMs", "specs/examples/twophase.spec",
          {"RM": rm_set(5)}, "twophase_model", (5,), 8_832, 17),
    Model("counters30", "3 counters 0..29", "specs/examples/counters.spec",
          {"Top": "29"}, "counters_model", (3, 29), 27_000, 88),
]


# ------------------------------------------------------------------ one search, in a child
def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_baseline(model: Model) -> dict[str, Any]:
    sys.path.insert(0, HERE)
    import baseline

    rss_before = peak_rss_mib()
    initial, successors, invariants, transitions = getattr(baseline, model.baseline)(*model.baseline_args)
    t0 = time.perf_counter()
    result = baseline.bfs(initial, successors, invariants, transitions=transitions)
    seconds = time.perf_counter() - t0
    return {"distinct": result.distinct, "generated": result.generated, "depth": result.depth,
            "seconds": seconds, "rss_before_mib": rss_before}


def run_checker(model: Model) -> dict[str, Any]:
    sys.path.insert(0, ROOT)
    from checker import api

    rss_before = peak_rss_mib()
    t0 = time.perf_counter()
    result = api.check(os.path.join(ROOT, model.spec), consts=model.consts)
    seconds = time.perf_counter() - t0
    search = result.search
    violated = [v.property for v in result.verdicts if v.status != "holds"]
    if violated or not result.exhaustive:
        raise SystemExit(f"{model.key}: not an exhaustive clean run ({violated})")
    return {"distinct": search.distinct, "generated": search.generated, "depth": search.depth,
            "seconds": seconds, "search_seconds": search.elapsed, "rss_before_mib": rss_before}


def child(which: str, key: str) -> None:
    model = next(m for m in FULL + QUICK if m.key == key)
    out = run_baseline(model) if which == "baseline" else run_checker(model)
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out))


# ------------------------------------------------------------------ the benchmark
def peak_memory(which: str, model: Model) -> float:
    """Peak resident memory (MiB) of one search, in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", which, model.key],
        capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{which} on {model.key} failed:\n{proc.stderr}")
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["peak_rss_mib"])


def measure(model: Model, repeat: int, with_checker: bool) -> dict[str, dict[str, Any]]:
    """Best of `repeat` timings of each search, all in this process, alternating."""
    runners = {"baseline": run_baseline}
    if with_checker:
        runners["checker"] = run_checker
    # Memory first: Linux carries the parent's peak RSS into a forked child's ru_maxrss, so the
    # children must start while this process is still small.
    memory = {which: peak_memory(which, model) for which in runners}
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for which, runner in runners.items():
            gc.collect()
            run = runner(model)
            if which not in best or run["seconds"] < best[which]["seconds"]:
                best[which] = run
    for which, run in best.items():
        run["rate"] = run["distinct"] / run["seconds"]
        run["peak_rss_mib"] = memory[which]
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small instances, do not write results.json")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs each (default 3)")
    ap.add_argument("--baseline-only", action="store_true", help="run only the hand-written searches")
    ap.add_argument("--child", nargs=2, metavar=("WHICH", "MODEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0

    models = QUICK if args.quick else FULL
    rows: list[dict[str, Any]] = []
    ok = True
    for model in models:
        runs = measure(model, args.repeat, not args.baseline_only)
        base = runs["baseline"]
        row: dict[str, Any] = {"model": model.key, "title": model.title, "spec": model.spec,
                               "consts": model.consts,
                               "expected": {"distinct": model.distinct, "depth": model.depth},
                               "baseline": base}
        counts_ok = base["distinct"] == model.distinct and base["depth"] == model.depth
        if not args.baseline_only:
            chk = runs["checker"]
            row["checker"] = chk
            row["ratio"] = chk["rate"] / base["rate"]
            counts_ok = counts_ok and chk["distinct"] == model.distinct and chk["depth"] == model.depth \
                and chk["generated"] == base["generated"]
            row["meets_floor"] = row["ratio"] >= FLOOR
        row["counts_agree"] = counts_ok
        ok = ok and counts_ok
        rows.append(row)

    print_table(rows)
    if not args.quick and not args.baseline_only:
        doc = {"floor": FLOOR, "repeat": args.repeat, "python": platform.python_version(),
               "machine": f"{platform.machine()} {os.cpu_count()} CPUs {platform.system()}",
               "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "models": rows}
        with open(RESULTS, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"\nwritten {os.path.relpath(RESULTS, ROOT)}")
    return 0 if ok else 1


def print_table(rows: list[dict[str, Any]]) -> None:
    header = f"{'model':26} {'search':9} {'distinct':>10} {'generated':>11} {'depth':>5} " \
             f"{'seconds':>8} {'states/s':>10} {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    for row in rows:
        for which in ("checker", "baseline"):
            r = row.get(which)
            if r is None:
                continue
            print(f"{row['title']:26} {which:9} {r['distinct']:>10,} {r['generated']:>11,} "
                  f"{r['depth']:>5} {r['seconds']:>8.2f} {r['rate']:>10,.0f} {r['peak_rss_mib']:>9.1f}")
        exp = row["expected"]
        line = f"{'':26} expected distinct {exp['distinct']:,}, depth {exp['depth']}: " \
               f"{'counts agree' if row['counts_agree'] else 'COUNTS DISAGREE'}"
        if "ratio" in row:
            verdict = "meets" if row["meets_floor"] else "BELOW"
            line += f"; checker/baseline rate {row['ratio']:.2f} ({verdict} the {FLOOR} floor)"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
