"""The lifecycle model's verdict table, pinned cell by cell.

Every (spec, property) cell of specs/*.spec (not specs/examples/) is checked with the checker's
Python API (`checker.api.check`, the same search as `checkmodel SPEC --continue`): "holds" means the
exhaustive search found no violation; an integer is the length, in states, of the shortest
counterexample (for a temporal property: the states of the lasso or of the path that then
stutters). The numbers were measured by running the checker, not chosen; docs/model.md shows the
same table. When the model changes on purpose, re-measure and update both.

The incident (docs/incident.md) is pinned by its milestones, not by every state.
"""

from __future__ import annotations

import functools
import glob
import os
import re

import pytest

from checker import api
from checker.explicit.search import SearchOptions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# spec -> property -> "holds" | length of the shortest counterexample (states)
EXPECTED: dict[str, dict[str, object]] = {
    "current": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 20,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "fix1_only": {
        "SucceededRunNeverEndsLost": 29,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 17,
        "NoBlankStepComplete": "holds",
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 38,
        "LostIsFinal": 18,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 20,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "fixed": {
        "SucceededRunNeverEndsLost": 24,
        "ReportedSuccessNeverEndsLost": 27,
        "NoEventAcceptedAfterDeadline": 17,
        "NoBlankStepComplete": "holds",
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": "holds",
        "LostIsFinal": "holds",
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 20,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "fixed_fail_run": {
        "SucceededRunNeverEndsLost": 27,
        "ReportedSuccessNeverEndsLost": 27,
        "NoEventAcceptedAfterDeadline": 17,
        "NoBlankStepComplete": "holds",
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": "holds",
        "LostIsFinal": "holds",
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 20,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "fixed_long_grace": {
        "SucceededRunNeverEndsLost": 26,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": "holds",
        "NoBlankStepComplete": "holds",
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": "holds",
        "LostIsFinal": "holds",
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": "holds",
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "incident": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 20,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "IncidentSignatureUnreachable": 35,
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "janitor_bug5": {
        "SucceededRunNeverEndsLost": 34,
        "ReportedSuccessNeverEndsLost": 34,
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 33,
        "LostIsFinal": 21,
        "JanitorNeverLosesCompleted": 21,
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "option1": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 20,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "option2": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": 33,
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": "holds",
        "LostIsFinal": "holds",
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "option3": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": 33,
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": "holds",
        "LostIsFinal": "holds",
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "pr4563": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 20,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "retry_on_timeout": {
        "SucceededRunNeverEndsLost": "holds",
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 16,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": 12,
        "LostNeverSuccess": 32,
        "LostIsFinal": 17,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 15,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
    "seed_hypothesis": {
        "SucceededRunNeverEndsLost": 34,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 19,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 20,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 17,
        "RejectedPayloadNeverResent": 16,
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": 22,
    },
    "slow_install": {
        "SucceededRunNeverEndsLost": 33,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 12,
        "NoBlankStepComplete": 13,
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 32,
        "LostIsFinal": 13,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": 13,
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": 24,
        "WorkerEventuallyQuiet": "holds",
    },
    "worker_fixes_only": {
        "SucceededRunNeverEndsLost": 24,
        "ReportedSuccessNeverEndsLost": "holds",
        "NoEventAcceptedAfterDeadline": 17,
        "NoBlankStepComplete": "holds",
        "NoEventAppliedTwice": "holds",
        "LostNeverSuccess": 26,
        "LostIsFinal": 18,
        "JanitorNeverLosesCompleted": "holds",
        "WorkerSilentAfterDeadline": "holds",
        "RejectedPayloadNeverResent": "holds",
        "EveryClaimedRunFinishes": "holds",
        "WorkerEventuallyQuiet": "holds",
    },
}


def _path(name: str) -> str:
    return os.path.join(ROOT, "specs", name + ".spec")


@functools.lru_cache(maxsize=None)
def _check(name: str) -> api.CheckResult:
    return api.check(_path(name), options=SearchOptions(keep_going=True))


def _cells(result: api.CheckResult) -> dict[str, object]:
    return {v.property: "holds" if v.status == "holds" else
            (v.trace_length if v.status == "violated" else v.status)
            for v in result.verdicts}


def test_every_lifecycle_spec_is_pinned() -> None:
    shipped = {os.path.basename(p)[:-5] for p in glob.glob(os.path.join(ROOT, "specs", "*.spec"))}
    assert shipped == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdicts(name: str) -> None:
    result = _check(name)
    assert result.exhaustive, f"{name}: the search was cut short"
    assert _cells(result) == EXPECTED[name]


def _trace(name: str, prop: str):
    result = _check(name)
    (trace,) = [t for t in result.traces if t.property == prop]
    return trace


def _reply(step) -> str:
    return step.values["socket_reply"]["#map"][0][1]


def _run_state(step) -> str:
    return step.values["run_state"]["#map"][0][1]


def _now(step) -> int:
    return int(step.values["now"]["#bigint"])


def _first(steps, start: int, pred) -> int:
    for i in range(start, len(steps)):
        if pred(steps[i]):
            return i
    raise AssertionError("milestone not found")


def test_incident_is_the_shortest_lost_to_success_on_current() -> None:
    """The shortest counterexample to LostNeverSuccess on today's code is the incident of #4565:
    a blank-step_id rejection, later events answered late while the clock passes the deadline,
    the janitor marking the run lost, and the worker's run:complete turning lost into success."""
    steps = _trace("current", "LostNeverSuccess").steps
    blank = _first(steps, 0, lambda s: s.action_name == "channel.step_complete"
                   and _reply(s) == "blank_step_id")
    tick = _first(steps, blank, lambda s: s.action_name == "tick")
    sent = _first(steps, tick, lambda s: s.action_name == "worker.send_run_complete")
    janitor = _first(steps, sent, lambda s: s.action_name == "janitor.pass")
    last = steps[-1]
    assert _run_state(steps[janitor]) == "lost"
    assert _now(steps[janitor]) > 4  # claim (0) + run timeout (3) + grace (1): the deadline passed
    assert last.action_name == "channel.run_complete"
    assert _run_state(steps[-2]) == "lost" and _run_state(last) == "success"
    # finished_at is the worker's timestamp: backdated to when the workflow finished
    assert last.values["finished_at"]["#map"][0][1] == {"#bigint": "0"}


def test_incident_signature_with_must_be_associated() -> None:
    steps = _trace("incident", "IncidentSignatureUnreachable").steps
    blank = _first(steps, 0, lambda s: s.action_name == "channel.step_complete"
                   and _reply(s) == "blank_step_id")
    assoc = _first(steps, blank, lambda s: s.action_name == "channel.run_log"
                   and _reply(s) == "not_associated")
    janitor = _first(steps, assoc, lambda s: s.action_name == "janitor.pass")
    assert janitor < len(steps) - 1
    assert (_run_state(steps[-2]), _run_state(steps[-1])) == ("lost", "success")


ACTION = re.compile(r"^\s*(?:(?:strong\s+|weak\s+)?fair\s+)?action\s+(\w+)")
CITATION = re.compile(r"(\.ex\b|\.ts\b|§\d|kit#\d+|kit PR|#\d{4}|model/time\.spec)")


def test_every_action_cites_the_code_it_stands_for() -> None:
    """Each action in model/ is preceded by a comment naming code (a file or an issue) or §."""
    missing = []
    for path in sorted(glob.glob(os.path.join(ROOT, "model", "*.spec"))):
        lines = open(path, encoding="utf-8").read().splitlines()
        for i, line in enumerate(lines):
            m = ACTION.match(line)
            if not m:
                continue
            j, comment = i - 1, []
            while j >= 0 and lines[j].strip().startswith("//"):
                comment.append(lines[j])
                j -= 1
            if not CITATION.search("\n".join(comment)):
                missing.append(f"{os.path.basename(path)}:{i + 1} {m.group(1)}")
    assert not missing, missing


@pytest.mark.parametrize("name,consts", [
    ("current", {"WorkflowTicks": "3"}),
    ("option3", {"Horizon": "8"}),
    ("fixed_long_grace", {"LogsPerStep": "2"}),
])
def test_verdicts_do_not_depend_on_the_default_bounds(name: str, consts: dict[str, str]) -> None:
    """Raising a bound changes trace lengths, not which properties hold (a sample; docs/model.md
    lists the full sweep)."""
    result = api.check(_path(name), consts=consts, options=SearchOptions(keep_going=True))
    assert result.exhaustive
    got = {v.property: v.status for v in result.verdicts}
    want = {p: "holds" if c == "holds" else "violated" for p, c in EXPECTED[name].items()}
    assert got == want
