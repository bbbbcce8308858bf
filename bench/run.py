"""Benchmark: the array engine, the tuple engine and a hand-written Python BFS of the same model.

    .venv/bin/python bench/run.py            # full benchmark (best of 3), writes bench/results.json
    .venv/bin/python bench/run.py --quick    # small instances, a smoke run (no results.json)
    .venv/bin/python bench/run.py --workers 2 --only twophase7   # the array engine in 1 and 2
                                                                 # processes (no results.json)

For each model the checker (the `checker` package, on the spec in specs/) with each explicit
engine (`--engine array`, `--engine tuple`) and, where there is one, the hand-written tuple-based
search (bench/baseline.py) are timed in this one process, alternately, best of N, so all see the
same interpreter and machine load. Peak memory (ru_maxrss) is measured once more for each in a
fresh subprocess, so that it belongs to one search only; bytes per state are the growth of the
peak over the process's size before the search, divided by the distinct states. All do the same
work: every invariant of the spec on every distinct state, its transition properties on every
generated step, and deadlock detection (the lifecycle models check their safety properties with
--continue, as when issue 12 was filed; their liveness check adds the same graph work to both
engines, see bench/README.md). The
rate is distinct states per second of wall time for the whole check: for the checker that
includes loading, type-checking and compiling the spec. The figures that matter are the ratios
array / baseline and array / tuple, against the targets of issue 12.

This is a benchmark, not a test: it prints figures and exits 0 unless a run fails or the state
counts disagree (then 1).
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
from dataclasses import dataclass, field
from typing import Any, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results.json")
FLOOR = 0.5  # the tuple engine against the hand-written BFS


@dataclass(frozen=True)
class Model:
    """One benchmark model: the spec with its constants, the expected counts, the targets."""

    key: str
    title: str
    spec: str  # relative to the repository root
    consts: dict[str, str]
    distinct: Optional[int]  # None: whatever the tuple engine finds (the engines must agree)
    depth: Optional[int]
    baseline: Optional[str] = None  # a baseline.py function name
    baseline_args: tuple[int, ...] = ()
    safety_only: bool = False  # check the invariants and transition properties, --continue
    targets: dict[str, float] = field(default_factory=dict)  # "baseline" / "tuple": array ratio
    memory_target_mib: Optional[float] = None
    tlc: Optional[str] = None  # TLC's figures for the same model, as quoted in issue 12
    switches: dict[str, str] = field(default_factory=dict)  # --set NAME=VALUE


def rm_set(n: int) -> str:
    return "{" + ",".join(f"r{i}" for i in range(1, n + 1)) + "}"


FULL = [
    Model("twophase7", "two-phase commit, 7 RMs", "specs/examples/twophase.spec",
          {"RM": rm_set(7)}, 296_448, 23, "twophase_model", (7,),
          targets={"baseline": 3.0}, memory_target_mib=110,
          tlc="10.8 s (27,400 states/s), 1.1 GB"),
    Model("counters160", "3 counters 0..159", "specs/examples/counters.spec",
          {"Top": "159"}, 4_096_000, 478, "counters_model", (3, 159),
          targets={"baseline": 8.0}, memory_target_mib=210,
          tlc="0.85x the tuple engine's rate at issue 12's filing, 2.1 GB"),
    Model("counters", "3 counters 0..99", "specs/examples/counters.spec",
          {}, 1_000_000, 298, "counters_model", (3, 99), tlc="1.0x the tuple engine's rate"),
    # the default environment: an install phase of any length (the former slow_install.spec)
    Model("current", "lifecycle, specs/current.spec", "specs/current.spec", {}, None, None,
          safety_only=True, targets={"tuple": 5.0}),
    # the install phase bounded, as specs/current.spec had it when issue 12 was filed
    Model("current_bounded", "lifecycle, current.spec, install_phase=bounded",
          "specs/current.spec", {}, None, None, safety_only=True, targets={"tuple": 5.0},
          switches={"install_phase": "bounded"}),
]
QUICK = [
    Model("twophase5", "two-phase commit, 5 RMs", "specs/examples/twophase.spec",
          {"RM": rm_set(5)}, 8_832, 17, "twophase_model", (5,)),
    Model("counters30", "3 counters 0..29", "specs/examples/counters.spec",
          {"Top": "29"}, 27_000, 88, "counters_model", (3, 29)),
]
RUNNERS = ("array", "array-fp", "tuple", "baseline")  # array-fp: the array engine, --fingerprints
WORKERS = "array-w"  # a runner "array-wN": the array engine with --workers N


# ------------------------------------------------------------------ one search, in a child
def peak_rss_mib() -> float:
    """This process's peak resident memory. On Linux /proc's VmHWM (which an exec resets, where
    ru_maxrss carries the parent's peak into a child); ru_maxrss elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_baseline(model: Model) -> dict[str, Any]:
    sys.path.insert(0, HERE)
    import baseline

    assert model.baseline is not None
    rss_before = peak_rss_mib()
    initial, successors, invariants, transitions = getattr(baseline, model.baseline)(*model.baseline_args)
    t0 = time.perf_counter()
    result = baseline.bfs(initial, successors, invariants, transitions=transitions)
    seconds = time.perf_counter() - t0
    return {"distinct": result.distinct, "generated": result.generated, "depth": result.depth,
            "seconds": seconds, "rss_before_mib": rss_before}


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process, and of its children reaped so far."""
    own, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime


def run_checker(model: Model, engine: str, fingerprints: bool = False,
                workers: int = 1) -> dict[str, Any]:
    sys.path.insert(0, ROOT)
    from checker import api
    from checker.explicit.array import search as _  # numpy too: imports are not per state
    from checker.explicit.search import SearchOptions

    rss_before = peak_rss_mib()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    spec = api.load_spec(os.path.join(ROOT, model.spec), model.consts, model.switches or None)
    properties = None
    if model.safety_only:
        properties = frozenset(p.name for p in spec.properties
                               if p.kind in ("invariant", "transition")) | {"Deadlock"}
    options = SearchOptions(engine=engine, keep_going=model.safety_only, properties=properties,
                            fingerprints=fingerprints, workers=workers)  # array-fp: --fingerprints
    result = api.check_spec(spec, options)
    seconds = time.perf_counter() - t0
    (own1, children1), (own0, children0) = cpu_seconds(), cpu0
    search = result.search
    violated = sorted(v.property for v in result.verdicts if v.status == "violated")
    if not result.exhaustive or (violated and not model.safety_only):
        raise SystemExit(f"{model.key}: not an exhaustive clean run ({violated})")
    if search.engine != engine:
        raise SystemExit(f"{model.key}: ran on the {search.engine} engine, not {engine}")
    out = {"distinct": search.distinct, "generated": search.generated, "depth": search.depth,
           "seconds": seconds, "search_seconds": search.elapsed, "rss_before_mib": rss_before,
           "violated": violated, "cpu_seconds": own1 - own0 + children1 - children0,
           "own_cpu_seconds": own1 - own0}
    if search.kept_bytes is not None:  # the array engine's own count of what it keeps
        out["kept_bytes_per_state"] = search.kept_bytes / max(1, search.distinct)
    return out


def run(which: str, model: Model) -> dict[str, Any]:
    if which == "baseline":
        return run_baseline(model)
    if which == "array-fp":
        return run_checker(model, "array", fingerprints=True)
    if which.startswith(WORKERS):
        return run_checker(model, "array", workers=int(which[len(WORKERS):]))
    return run_checker(model, which)


def child(which: str, key: str) -> None:
    model = next(m for m in FULL + QUICK if m.key == key)
    out = run(which, model)
    out["peak_rss_mib"] = peak_rss_mib()
    if which.startswith(WORKERS):  # the largest worker's (ru_maxrss: KiB on Linux)
        out["worker_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


# ------------------------------------------------------------------ the benchmark
def peak_memory(which: str, model: Model) -> dict[str, float]:
    """Peak resident memory (MiB) of one search in a fresh interpreter, and its bytes/state."""
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", which, model.key],
        capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{which} on {model.key} failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    grown = (out["peak_rss_mib"] - out["rss_before_mib"]) * 2 ** 20
    return {"peak_rss_mib": float(out["peak_rss_mib"]),
            "bytes_per_state": grown / max(1, out["distinct"]),
            **({"worker_peak_rss_mib": out["worker_peak_rss_mib"]}
               if "worker_peak_rss_mib" in out else {})}


def measure(model: Model, repeat: int, runners: list[str]) -> dict[str, dict[str, Any]]:
    """Best of `repeat` timings of each search, all in this process, alternating."""
    memory = {which: peak_memory(which, model) for which in runners}
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for which in runners:
            gc.collect()
            got = run(which, model)
            if which not in best or got["seconds"] < best[which]["seconds"]:
                best[which] = got
    for which, got in best.items():
        got["rate"] = got["distinct"] / got["seconds"]
        got.update(memory[which])
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small instances, do not write results.json")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs each (default 3)")
    ap.add_argument("--only", action="append", metavar="MODEL", help="run only these models")
    ap.add_argument("--workers", type=int, metavar="N",
                    help="also time the array engine with --workers N, and only the models "
                         "it runs on (results.json not written)")
    ap.add_argument("--child", nargs=2, metavar=("WHICH", "MODEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0

    models = QUICK if args.quick else FULL
    if args.only:
        models = [m for m in models if m.key in args.only]
    rows = [compare(model, measure(model, args.repeat, runners(model, args.workers)))
            for model in models]
    print_table(rows)
    if not args.quick and not args.only and not args.workers:
        doc = {"floor": FLOOR, "repeat": args.repeat, "python": platform.python_version(),
               "machine": f"{platform.machine()} {os.cpu_count()} CPUs {platform.system()}",
               "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "models": rows}
        with open(RESULTS, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"\nwritten {os.path.relpath(RESULTS, ROOT)}")
    return 0 if all(r["counts_agree"] for r in rows) else 1


def runners(model: Model, workers: Optional[int] = None) -> list[str]:
    """What is timed on a model: with --workers, the array engine in 1 and in N processes."""
    if workers:
        return ["array", f"{WORKERS}{workers}"]
    return ["array", "array-fp", "tuple"] + (["baseline"] if model.baseline else [])


def compare(model: Model, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One row of results.json: the runs, their ratios, whether counts agree, targets met."""
    array = runs["array"]
    if "tuple" not in runs:
        return compare_workers(model, runs)
    tuple_ = runs["tuple"]
    row: dict[str, Any] = {"model": model.key, "title": model.title, "spec": model.spec,
                           "consts": model.consts, "safety_only": model.safety_only,
                           "expected": {"distinct": model.distinct, "depth": model.depth},
                           **runs, "tlc": model.tlc}
    counts = {k: (r["distinct"], r["generated"], r["depth"]) for k, r in runs.items()}
    agree = len(set(counts.values())) == 1 and all(
        r.get("violated") == tuple_.get("violated") for r in runs.values() if r is not tuple_
        and "violated" in r)
    if model.distinct is not None:
        agree = agree and (array["distinct"], array["depth"]) == (model.distinct, model.depth)
    row["counts_agree"] = agree
    row["ratios"] = {"array/tuple": array["rate"] / tuple_["rate"]}
    if "array-fp" in runs:  # fingerprint mode against the exact array engine
        fp = runs["array-fp"]
        row["ratios"]["array-fp/array"] = fp["rate"] / array["rate"]
        row["ratios"]["array-fp/array bytes/state"] = fp["bytes_per_state"] / max(
            1e-9, array["bytes_per_state"])
    if "baseline" in runs:
        row["ratios"]["array/baseline"] = array["rate"] / runs["baseline"]["rate"]
        row["ratios"]["tuple/baseline"] = tuple_["rate"] / runs["baseline"]["rate"]
        row["meets_floor"] = row["ratios"]["tuple/baseline"] >= FLOOR
    row["targets"] = {f"array/{k} >= {v}": row["ratios"][f"array/{k}"] >= v
                      for k, v in model.targets.items()}
    if model.memory_target_mib is not None:
        row["targets"][f"array peak <= {model.memory_target_mib} MiB"] = \
            array["peak_rss_mib"] <= model.memory_target_mib
    return row


def compare_workers(model: Model, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One row of a --workers run: the array engine in 1 and N processes, wall and CPU time.
    This process's own CPU time with N processes bounds the wall time on idle cores (it waits
    for the workers only where they take longer than its own share): the speed-up is at most
    the CPU time of one process over it."""
    (key, several), one = next((k, r) for k, r in runs.items() if k != "array"), runs["array"]
    counts = {k: (r["distinct"], r["generated"], r["depth"], tuple(r["violated"]))
              for k, r in runs.items()}
    return {"model": model.key, "title": model.title, **runs,
            "counts_agree": len(set(counts.values())) == 1, "targets": {},
            "ratios": {f"{key}/array (speed-up)": one["seconds"] / several["seconds"],
                       "array cpu/wall": one["cpu_seconds"] / one["seconds"],
                       f"{key} cpu/wall": several["cpu_seconds"] / several["seconds"],
                       f"{key} bound on idle cores (array cpu / {key} own cpu)":
                           one["cpu_seconds"] / several["own_cpu_seconds"]}}


def print_table(rows: list[dict[str, Any]]) -> None:
    header = f"{'model':34} {'search':9} {'distinct':>10} {'generated':>11} {'depth':>5} " \
             f"{'seconds':>8} {'states/s':>10} {'peak MiB':>9} {'B/state':>8} {'kept B':>7}"
    print(header)
    print("-" * len(header))
    for row in rows:
        for which in RUNNERS + tuple(k for k in row if k.startswith(WORKERS)):
            r = row.get(which)
            if r is None:
                continue
            print(f"{row['title']:34} {which:9} {r['distinct']:>10,} {r['generated']:>11,} "
                  f"{r['depth']:>5} {r['seconds']:>8.2f} {r['rate']:>10,.0f} "
                  f"{r['peak_rss_mib']:>9.1f} {r['bytes_per_state']:>8.0f} "
                  f"{r.get('kept_bytes_per_state', float('nan')):>7.1f}")
        ratios = ", ".join(f"{k} {v:.2f}" for k, v in row["ratios"].items())
        targets = ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in row["targets"].items())
        print(f"{'':34} {'counts agree' if row['counts_agree'] else 'COUNTS DISAGREE'}; {ratios}")
        if targets:
            print(f"{'':34} targets: {targets}")
        if row.get("tlc"):
            print(f"{'':34} TLC (issue 12): {row['tlc']}")


if __name__ == "__main__":
    sys.exit(main())
