"""Minimal fix sets: which combinations of design switches make each property hold.

A lattice is a base spec and a few dimensions; each dimension is a switch with today's value and
one or more alternative values ("fixes", mutually exclusive within the dimension). Every point of
the lattice is checked exhaustively (no pruning, no monotonicity assumed), so the minimal sets
computed from the results are exact for the model's bounds.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from checker.ir.kinds import Status
from checker import api
from checker.explicit.search import SearchOptions

# The lattice and the report's single-property runs use the tuple engine: on the lifecycle specs
# `auto` picks the array engine, which measured several times slower there (current.spec, three
# safety properties: 22 s against 5.8 s on this machine). Both give the same counts and traces.
REPORT_ENGINE = "tuple"

Choice = tuple[str, str]  # (switch, value)


@dataclass(frozen=True)
class Dimension:
    switch: str
    today: str
    fixes: tuple[str, ...]
    label: str = ""

    def values(self) -> tuple[str, ...]:
        return (self.today,) + self.fixes


@dataclass(frozen=True)
class Point:
    """One point of the lattice: the fixes applied (switches left at today's value omitted)."""

    fixes: frozenset[Choice]
    verdicts: dict[str, Status] = field(default_factory=dict, hash=False, compare=False)
    distinct: int = field(default=0, hash=False, compare=False)
    seconds: float = field(default=0.0, hash=False, compare=False)
    complete: bool = field(default=True, hash=False, compare=False)

    def holds(self, prop: str) -> bool:
        return self.complete and self.verdicts.get(prop) == Status.HOLDS


def points(dims: Sequence[Dimension]) -> list[frozenset[Choice]]:
    """Every combination, fewest fixes first."""
    combos = itertools.product(*[d.values() for d in dims])
    out = [frozenset((d.switch, v) for d, v in zip(dims, combo) if v != d.today)
           for combo in combos]
    return sorted(out, key=lambda s: (len(s), sorted(s)))


_Job = tuple[str, dict[str, str], dict[str, str], frozenset[Choice], Optional[frozenset[str]]]


def _check(job: _Job) -> Point:
    path, consts, base_switches, fixes, properties = job
    switches = dict(base_switches)
    switches.update(dict(fixes))
    res = api.check(path, consts=consts, switches=switches,
                    options=SearchOptions(keep_going=True, properties=properties,
                                          engine=REPORT_ENGINE))
    verdicts = {v.property: v.status for v in res.verdicts}
    return Point(fixes, verdicts, res.search.distinct, res.search.elapsed, res.search.complete)


def explore_lattice(path: str, dims: Sequence[Dimension], consts: Optional[dict[str, str]] = None,
                    base_switches: Optional[dict[str, str]] = None, workers: Optional[int] = None,
                    on_point: Optional[Callable[[Point], None]] = None,
                    properties: Optional[Sequence[str]] = None) -> list[Point]:
    """Check every point of the lattice (in parallel processes); results in `points` order.

    `properties` limits each check to those properties (None: all of the spec's)."""
    wanted = frozenset(properties) if properties is not None else None
    jobs: list[_Job] = [(path, dict(consts or {}), dict(base_switches or {}), p, wanted)
                        for p in points(dims)]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    results: list[Point] = []
    if workers <= 1:
        for job in jobs:
            results.append(_check(job))
            if on_point:
                on_point(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for point in pool.map(_check, jobs, chunksize=4):
            results.append(point)
            if on_point:
                on_point(point)
    return results


def minimal_sets(results: Sequence[Point], prop: str) -> list[frozenset[Choice]]:
    """Every set of fixes under which `prop` holds and under no proper subset of which it does."""
    holding = [p.fixes for p in results if p.holds(prop)]
    return sorted((s for s in holding if not any(t < s for t in holding)),
                  key=lambda s: (len(s), sorted(s)))


def load_bearing(results: Sequence[Point], prop: str, fixes: frozenset[Choice]) -> list[Choice]:
    """The fixes of a point where `prop` holds that cannot be undone one at a time."""
    by_fixes = {p.fixes: p for p in results}
    point = by_fixes.get(fixes)
    if point is None or not point.holds(prop):
        return []
    return sorted(c for c in fixes if not by_fixes[fixes - {c}].holds(prop))


def holds_with_all(results: Sequence[Point], prop: str, dims: Sequence[Dimension]) -> bool:
    return any(p.holds(prop) for p in results if len(p.fixes) == len(dims))
