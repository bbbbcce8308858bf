"""`checkmodel report`: run every check the paper quotes and regenerate figures/ and PAPER.md.

`compute` runs the checks and returns plain data (no timings, so the same model gives the same
data); `tables` turns the data into the Markdown of PAPER.md's generated regions;
`checker.report_figures` draws the figures from the same data, which is saved beside them in
figures/data/report.json so that a test can compare figures by their data, not their pixels.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Optional, TypeVar

from checker import api, errors
from checker.report import fixsets
from checker.report import paper
from checker.trace import trace
from checker.trace import io as trace_io
from checker.report import table as verdict_table
from checker.explicit.search import SearchOptions
from checker.report.config import Design, Environment, ReportConfig
from checker.views import text as views_text

Log = Callable[[str], None]
T = TypeVar("T")


def compute(config: ReportConfig, log: Log = lambda _: None) -> dict[str, Any]:
    """Every number and trace the paper uses, as JSON-ready data.

    The proofs run beside the searches (at most `workers` processes of their own); the searches
    run one part after the other, each on `workers` processes, so the report never runs more
    than twice `workers` processes at once. Nothing in the data depends on the order in which
    processes finish: every part collects its results in the order of its jobs."""
    proofs = _start_proofs(config, log) if config.proofs else None
    data: dict[str, Any] = {"environments": [{"name": e.name, "label": e.label,
                                              "switches": e.switches}
                                             for e in config.environments],
                            "horizon_recheck": config.horizon_recheck,
                            "designs": _timed(log, "designs", lambda: _designs(config, log))}
    data["lattices"] = {env: _timed(log, f"lattice ({env})", partial(_lattice, config, env, log))
                        for env in config.lattice.environments}
    data["sweeps"] = _timed(log, "sweeps", lambda: _sweeps(config, log))
    data["counterexamples"] = _timed(log, "counterexamples", lambda: _counterexamples(config, log))
    if proofs is not None:
        data["proofs"] = _timed(log, "proofs (waiting)", proofs)
    return data


def _timed(log: Log, part: str, run: Callable[[], T]) -> T:
    """Run one part of the report; its wall time goes to the log only, never into the data."""
    start = time.monotonic()
    result = run()
    log(f"{part}: done in {time.monotonic() - start:.0f} s")
    return result


def _workers(config: ReportConfig) -> int:
    """Processes per part of the report (report.toml's `workers`; 0: one per CPU)."""
    return config.workers or os.cpu_count() or 1


_Job = tuple[Design, Environment, int]  # design, environment, Horizon raise (0: as written)


def _designs(config: ReportConfig, log: Log) -> list[dict[str, Any]]:
    """Every design in every environment, each also re-checked with a larger Horizon."""
    base: list[_Job] = [(d, e, 0) for e in config.environments for d in config.designs]
    again: list[_Job] = [(d, e, config.horizon_recheck) for d, e, _ in base
                         if config.horizon_recheck
                         and (not config.recheck_designs or d.spec in config.recheck_designs)]
    log(f"checking {len(config.designs)} designs in {len(config.environments)} environments"
        + (f", each again with Horizon + {config.horizon_recheck}" if again else ""))
    with ProcessPoolExecutor(max_workers=min(len(base), _workers(config))) as pool:
        results = list(pool.map(design_row, base + again))
    rows = results[:len(base)]
    larger = {(r["spec"], r["env"]): r for r in results[len(base):]}
    for row in rows:
        row["recheck"] = larger.get((row["spec"], row["env"]))
    return rows


def design_row(job: _Job) -> dict[str, Any]:
    design, env, raise_by = job
    spec = api.load_spec(design.spec, design.consts, env.switches)
    consts = dict(design.consts)
    if raise_by:
        horizon = next(c.value for c in spec.constants if c.name == "Horizon")
        consts["Horizon"] = str(int(horizon) + raise_by)
        spec = api.load_spec(design.spec, consts, env.switches)
    r = verdict_table.run_one(design.spec, design.name or None, consts, switches=env.switches)
    return {"spec": r.spec, "name": r.name, "env": env.name, "verdicts": r.verdicts,
            "distinct": r.distinct, "depth": r.depth, "complete": r.complete, "consts": consts,
            "assumed": views_text.assumptions(spec)}


def _lattice(config: ReportConfig, env_name: str, log: Log) -> dict[str, Any]:
    lat = config.lattice
    env = next(e for e in config.environments if e.name == env_name)
    total = 1
    for d in lat.dimensions:
        total *= len(d.values())
    log(f"checking the {total} points of the fix lattice over {lat.spec} ({env.name})")
    results = fixsets.explore_lattice(lat.spec, lat.dimensions, consts=lat.consts,
                                      base_switches=env.switches, properties=lat.properties,
                                      workers=_workers(config))
    full = frozenset((d.switch, d.fixes[-1]) for d in lat.dimensions)
    props: dict[str, Any] = {}
    for prop in lat.properties:
        props[prop] = {
            "minimal": [_choices(s) for s in fixsets.minimal_sets(results, prop)],
            "holding_points": sum(p.holds(prop) for p in results),
        }
    return {"spec": lat.spec, "env": env.name, "consts": lat.consts, "points": len(results),
            "complete": all(p.complete for p in results),
            "dimensions": [{"switch": d.switch, "today": d.today, "fixes": list(d.fixes),
                            "label": d.label} for d in lat.dimensions],
            "properties": props,
            "verdicts": [{"fixes": _choices(p.fixes), "verdicts": p.verdicts,
                          "distinct": p.distinct} for p in results],
            "all_fixes": _choices(full)}


def _choices(fixes: frozenset[tuple[str, str]]) -> list[str]:
    return [f"{switch}={value}" for switch, value in sorted(fixes)]


def _sweeps(config: ReportConfig, log: Log) -> list[dict[str, Any]]:
    jobs = [(sweep.spec, sweep.const, value) for sweep in config.sweeps for value in sweep.values]
    log(f"sweeping {len(jobs)} bound values")
    with ProcessPoolExecutor(max_workers=max(1, min(len(jobs), _workers(config)))) as pool:
        points = iter(list(pool.map(_sweep_point, jobs)))
    return [{"spec": sweep.spec, "const": sweep.const, "label": sweep.label,
             "points": [next(points) for _ in sweep.values]} for sweep in config.sweeps]


def _sweep_point(job: tuple[str, str, str]) -> dict[str, Any]:
    spec, const, value = job
    res = api.check(spec, consts={const: value}, options=SearchOptions(keep_going=True))
    return {"value": value, "distinct": res.search.distinct, "depth": res.search.depth,
            "complete": res.search.complete}


def _counterexamples(config: ReportConfig, log: Log) -> list[dict[str, Any]]:
    log(f"drawing {len(config.counterexamples)} counterexamples")
    jobs = list(config.counterexamples)
    with ProcessPoolExecutor(max_workers=max(1, min(len(jobs), _workers(config)))) as pool:
        return list(pool.map(_counterexample, jobs))


def _counterexample(cx: Any) -> dict[str, Any]:
    res = api.check(cx.spec, options=SearchOptions(properties=frozenset({cx.property}),
                                                   engine=fixsets.REPORT_ENGINE))
    traces = [t for t in res.traces if t.property == cx.property]
    return {"name": cx.name, "spec": cx.spec, "property": cx.property, "caption": cx.caption,
            "trace": trace_io.to_itf_json(traces[0]) if traces else None}


def _start_proofs(config: ReportConfig, log: Log) -> Callable[[], list[dict[str, Any]]]:
    from checker.report import proofs as report_proofs  # imports the Z3 layer only when proofs are configured
    limits = report_proofs.ProofLimits(config.proof_rlimit, config.proof_timeout)
    return report_proofs.start_all(list(config.proofs), config.proof_helpers, log, limits,
                                   _workers(config))


# ---------------------------------------------------------------- files


@dataclass(frozen=True)
class Outcome:
    changed: list[str]  # files that were (or, with check_only, would be) rewritten
    unconfirmed: list[str] = field(default_factory=list)  # claims the data does not confirm


def run(config: ReportConfig, root: str = ".", check_only: bool = False,
        log: Log = lambda _: None, saved: bool = False) -> Outcome:
    """Regenerate figures/ and the generated regions of the paper; report what changed.

    With `saved`, nothing is checked again: the paper and figures are rendered from the data
    saved by the last full run (figures/data/report.json), e.g. after claims or captions changed,
    or to verify that the paper says what the saved data says."""
    from checker.report import figures as report_figures
    from checker.report import tables as report_tables
    data = saved_data(config, root) if saved else compute(config, log)
    if data is None:
        raise errors.ConfigError(errors.BAD_OVERRIDE, "no saved report data: run "
                                 "`checkmodel report` first")
    files: dict[str, bytes] = {}
    data_path = os.path.join(config.figures, "data", "report.json")
    files[data_path] = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()
    paper_path = config.paper
    with open(os.path.join(root, paper_path), encoding="utf-8") as handle:
        text = handle.read()
    files[paper_path] = paper.fill(text, report_tables.regions(data, config)).encode()
    changed = [p for p, content in files.items() if _differs(os.path.join(root, p), content)]
    figure_paths = report_figures.paths(data, config)
    stale_data = data_path in changed
    missing = [p for p in figure_paths if not os.path.exists(os.path.join(root, p))]
    unconfirmed = _unconfirmed(config, data)
    if check_only:
        return Outcome(changed + (figure_paths if stale_data else missing), unconfirmed)
    for path, content in files.items():
        if path in changed:
            _write(os.path.join(root, path), content)
    if stale_data or missing:
        report_figures.draw_all(data, config, root)
        changed += figure_paths
    return Outcome(changed, unconfirmed)


def _unconfirmed(config: ReportConfig, data: dict[str, Any]) -> list[str]:
    """The claims of the paper the data does not confirm (or has nothing to judge by)."""
    from checker.report import claims as report_claims
    out = []
    for claim in config.claims:
        try:
            confirmed = report_claims.evaluate(claim, data)
        except (KeyError, ValueError):
            confirmed = False
        if not confirmed:
            out.append(f"{claim.id} ({claim.text})")
    return out


def _differs(path: str, content: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read() != content
    except OSError:
        return True


def _write(path: str, content: bytes) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


def saved_data(config: ReportConfig, root: str = ".") -> Optional[dict[str, Any]]:
    path = os.path.join(root, config.figures, "data", "report.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
