"""The lifecycle's violations, found again by BMC: the same shortest length as BFS.

For each pair below the exhaustive BFS finds the property violated; BMC, asked for that property
only and unrolled to one step less than BFS's shortest trace, must find a violation of exactly
that length (so none shorter exists either). Every BMC trace is replayed by the explicit
semantics. These unrollings take from seconds to minutes each: `pytest -m slow`.
"""

from __future__ import annotations

import os

import pytest

from checker import api
from checker.explicit.search import SearchOptions
from checker.smt.bmc import bmc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CASES = [
    ("current.spec", "NoBlankStepComplete"),
    ("current.spec", "LostIsFinal"),
    ("current.spec", "NoEventAcceptedAfterDeadline"),
    ("current.spec", "WorkerSilentAfterDeadline"),
    ("fixed.spec", "NoEventAcceptedAfterDeadline"),
    ("fixed.spec", "ReportedSuccessNeverEndsLost"),  # 27 states: about 2 minutes
    ("retry_on_timeout.spec", "NoEventAppliedTwice"),
    ("seed_hypothesis.spec", "RejectedPayloadNeverResent"),
]


def bfs_length(path: str, name: str) -> int:
    result = api.check(path, options=SearchOptions(properties=frozenset({name})))
    (verdict,) = [v for v in result.verdicts if v.property == name]
    assert verdict.status == "violated" and verdict.trace_length is not None
    return verdict.trace_length


@pytest.mark.slow
@pytest.mark.parametrize("spec,name", CASES, ids=[f"{s}:{n}" for s, n in CASES])
def test_bmc_finds_the_shortest_lifecycle_violation(spec: str, name: str) -> None:
    path = os.path.join(ROOT, "specs", spec)
    length = bfs_length(path, name)
    result = bmc(api.load_spec(path), length - 1, frozenset({name}), check_deadlock=False)
    assert result.complete, result.unknown
    found = [v for v in result.violations if v.name == name]
    assert found and len(found[0].states) == length
