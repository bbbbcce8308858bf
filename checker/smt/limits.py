"""The limits on Z3's work, and how one query is asked under them.

Three limits, independent of each other:

- a deadline for the whole command (`--timeout`): each query gets the time that remains (Z3's
  `timeout` parameter, in milliseconds), and once it has passed no query is asked;
- a time limit per query (`--query-timeout`; prove: 60 s by default). Whether a query finishes
  within a wall-clock limit depends on the machine and on its load;
- a work limit per query (`--rlimit`): Z3's `rlimit` parameter, a count of Z3's internal steps
  allowed to one query (`check`). Z3 counts them the same way on every run of the same query
  with the same Z3 version, so a result obtained under a work limit repeats on any machine,
  however loaded.

A query cut short by any of them comes back `unknown`; `Limit` says which limit ended it, so that
"unknown" is never confused with Z3's own incompleteness, and never with Ctrl-C (which Z3
catches during a query and reports as `unknown` too: `check` raises `KeyboardInterrupt` then).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Optional

import z3

from checker.smt.interrupt import INTERRUPTED_REASONS

# what Z3 says when the work limit is exhausted (also "canceled", as for other cancellations)
_WORK_EXHAUSTED = "max. resource limit exceeded"
_WORK_COUNT = "rlimit count"  # Z3's statistic: the steps counted so far (in the context)


class Limit(Enum):
    """Which of our limits ended a query that came back unknown (or kept it from being asked)."""

    WORK = "work limit reached"
    QUERY_TIME = "time limit per query reached"
    DEADLINE = "time limit reached"


@dataclass(frozen=True)
class Limits:
    """`seconds`: the time allowed to everything asked under these limits, from when they are
    made (None: no deadline); `query_seconds`: Z3's time limit per query (None: none); `rlimit`:
    the most units of Z3 work per query (None: none)."""

    seconds: Optional[float] = None
    query_seconds: Optional[float] = None
    rlimit: Optional[int] = None
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> Optional[float]:
        """Seconds left before the deadline (None: no deadline)."""
        if self.seconds is None:
            return None
        return self.seconds - (time.monotonic() - self.started)

    @property
    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0


@dataclass(frozen=True)
class Answer:
    result: z3.CheckSatResult
    reason: Optional[str] = None  # Z3's reason when unknown
    limit: Optional[Limit] = None  # the limit that ended the query, if one did
    work: int = 0  # the units of Z3 work the query took (how to choose a work limit)


NOT_ASKED = Answer(z3.unknown, "the deadline had passed", Limit.DEADLINE)


def check(solver: z3.Solver, limits: Limits, *assumptions: z3.BoolRef) -> Answer:
    """One query under the limits (none once the deadline has passed); Ctrl-C during it raises
    KeyboardInterrupt."""
    seconds, limit = _time_allowed(limits)
    if seconds is not None and seconds <= 0:
        return NOT_ASKED
    if seconds is not None:
        solver.set("timeout", max(1, int(seconds * 1000)))
    if limits.rlimit is not None:
        solver.set("rlimit", limits.rlimit)
    before = _work(solver)
    result = solver.check(*assumptions)
    work = _work(solver) - before
    if result != z3.unknown:
        return Answer(result, work=work)
    reason = solver.reason_unknown()
    if limits.rlimit is not None and (reason == _WORK_EXHAUSTED or work >= limits.rlimit):
        return Answer(result, reason, Limit.WORK, work)
    if reason in INTERRUPTED_REASONS:
        raise KeyboardInterrupt  # Z3 took the Ctrl-C: pass it on
    if reason == "timeout" and limit is not None:
        # the deadline, when it has passed meanwhile (else the query's own limit ended it)
        return Answer(result, reason, Limit.DEADLINE if limits.expired else limit, work)
    return Answer(result, reason, work=work)


def _time_allowed(limits: Limits) -> tuple[Optional[float], Optional[Limit]]:
    """The time this query may take, and the limit that sets it."""
    left = limits.remaining()
    if left is not None and (limits.query_seconds is None or left < limits.query_seconds):
        return left, Limit.DEADLINE
    if limits.query_seconds is not None:
        return limits.query_seconds, Limit.QUERY_TIME
    return None, None


def _work(solver: z3.Solver) -> int:
    """The units of work Z3 has counted so far."""
    stats = solver.statistics()
    return int(stats.get_key_value(_WORK_COUNT)) if _WORK_COUNT in stats.keys() else 0
