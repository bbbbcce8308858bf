"""Progress lines on stderr, one family per engine: the BFS every few seconds, liveness per
temporal property, BMC per depth, proofs per property, the table per spec. `--quiet` (or
`--json`) turns them all off."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Callable

from checker.explicit.search import Progress
from checker.ir.kinds import Status

if TYPE_CHECKING:
    from checker.report.table import Row
    from checker.explicit.liveness import TemporalVerdict
    from checker.smt.bmc import BmcDepth
    from checker.smt.proof_report import ProofResult


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def search(p: Progress) -> None:
    _say(f"Progress: {p.generated:,} generated, {p.distinct:,} distinct, {p.queue:,} on queue, "
         f"depth {p.depth}, {p.rate:,.0f} distinct/s, {p.elapsed:.0f}s")


def temporal(verdict: TemporalVerdict, seconds: float) -> None:
    _say(f"Liveness: {verdict.name} {verdict.status} ({seconds:.1f}s)")


def bmc_depths() -> Callable[[BmcDepth], None]:
    """A line per depth: how many properties are still open, and the ones violated first at
    this depth (by name; the earlier ones were named on their own depth's line)."""
    named: set[str] = set()

    def show(d: BmcDepth) -> None:
        new = [p for p in d.violated if p not in named]
        named.update(new)
        total = len(d.open) + len(d.violated)
        found = f"; violated at this depth: {', '.join(new)}" if new else ""
        _say(f"BMC: depth {d.depth} done in {d.seconds:.1f}s ({d.elapsed:.0f}s in all); "
             f"{len(d.open)} of {total} properties open{found}")
    return show


def proofs() -> Callable[[ProofResult], None]:
    """A line per property proved (or not), with each of its obligations."""
    started = time.monotonic()

    def show(r: ProofResult) -> None:
        steps = ", ".join(f"{o.name} {o.status}" for o in r.obligations)
        _say(f"Prove: {r.target.name}: {r.status} in {r.seconds:.1f}s ({steps}); "
             f"{time.monotonic() - started:.0f}s in all")
    return show


def table_row(row: Row, done: int, total: int) -> None:
    from checker.report.table import Cell
    violated = sum(1 for v in row.verdicts.values() if Cell.decode(v).status == Status.VIOLATED)
    verdicts = f"{violated} of {len(row.verdicts)} properties violated"
    cut = "" if row.complete else ", search cut short"
    _say(f"Table: {row.name}: {verdicts}{cut}, {row.distinct:,} states in {row.seconds:.1f}s "
         f"[{done}/{total}]")
