"""The lifecycle model's verdict table, pinned cell by cell, in both environments.

Every (spec, property) cell of specs/*.spec (not specs/examples/) is checked with the checker's
Python API (`checker.api.check`, the same search as `checkmodel SPEC --continue`): "holds" means the
exhaustive search found no violation; an integer is the length, in states, of the shortest
counterexample (for a temporal property: the states of the lasso or of the path that then
stutters). The numbers were measured by running the checker, not chosen; docs/model.md and
PAPER.md show the same verdicts. When the model changes on purpose, re-measure and update.

VERDICTS pins each cell as a pair, (default, optimistic), for the two environments
(docs/model.md, "Environment"); DEFAULT and OPTIMISTIC are its two halves:
  DEFAULT     every spec as written: what the code allows (run:start at any time after the claim,
              unbounded server lag within the horizon, a run:complete may fail for its payload)
  OPTIMISTIC  the same specs with OPTIMISTIC_SWITCHES: a prompt server (bounded_by_timeout),
              dispatch at once (install_phase = bounded, InstallTicks = 0), payloads accepted

The incident (docs/incident.md) is pinned by its four phases on every design that reaches it.
"""

from __future__ import annotations

import glob
import os
import re

import pytest

from checker import api
from checker.explicit.search import SearchOptions
from tests.conftest import engine_params

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

OPTIMISTIC_SWITCHES = {"server_lag": "bounded_by_timeout", "install_phase": "bounded",
                       "complete_payload": "always_accepted"}  # = conftest's LifecycleResults

# spec -> property -> (default, optimistic): "holds" | length of the shortest counterexample
# (states)
VERDICTS: dict[str, dict[str, tuple[object, object]]] = {
    "current": {
        "NoSuccessAfterLost": (32, 32),
        "LostIsFinal": (11, 20),
        "IncidentUnreachable": (35, 35),
        "SucceededRunNeverEndsLost": (33, 33),
        "ReportedSuccessNeverEndsLost": (33, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (32, 32),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "fix1_only": {
        "NoSuccessAfterLost": (38, 38),
        "LostIsFinal": (11, 18),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (29, 29),
        "ReportedSuccessNeverEndsLost": (39, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 17),
        "NoEventAppliedAfterRunTimeout": (16, 17),
        "NoBlankStepComplete": ("holds", "holds"),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (38, 38),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 20),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (20, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "fixed": {
        "NoSuccessAfterLost": (26, "holds"),
        "LostIsFinal": (11, "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (24, 24),
        "ReportedSuccessNeverEndsLost": (27, 27),
        "NoEventAcceptedAfterDeadline": (10, 17),
        "NoEventAppliedAfterRunTimeout": (16, 17),
        "NoBlankStepComplete": ("holds", "holds"),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 20),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (20, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "fixed_fail_run": {
        "NoSuccessAfterLost": (26, "holds"),
        "LostIsFinal": (11, "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (27, 27),
        "ReportedSuccessNeverEndsLost": (27, 27),
        "NoEventAcceptedAfterDeadline": (10, 17),
        "NoEventAppliedAfterRunTimeout": (16, 17),
        "NoBlankStepComplete": ("holds", "holds"),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 20),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (20, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "fixed_long_grace": {
        "NoSuccessAfterLost": (28, "holds"),
        "LostIsFinal": (13, "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (26, 26),
        "ReportedSuccessNeverEndsLost": (29, "holds"),
        "NoEventAcceptedAfterDeadline": (12, "holds"),
        "NoEventAppliedAfterRunTimeout": (18, "holds"),
        "NoBlankStepComplete": ("holds", "holds"),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (11, "holds"),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "janitor_bug5": {
        "NoSuccessAfterLost": (33, 33),
        "LostIsFinal": (12, 21),
        "IncidentUnreachable": (36, 36),
        "SucceededRunNeverEndsLost": (34, 34),
        "ReportedSuccessNeverEndsLost": (34, 34),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (33, 33),
        "JanitorNeverLosesCompleted": (21, 21),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (23, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "option1": {
        "NoSuccessAfterLost": (32, 32),
        "LostIsFinal": (11, 20),
        "IncidentUnreachable": (35, 35),
        "SucceededRunNeverEndsLost": (33, 33),
        "ReportedSuccessNeverEndsLost": (33, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (32, 32),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "option2": {
        "NoSuccessAfterLost": ("holds", "holds"),
        "LostIsFinal": ("holds", "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (33, 33),
        "ReportedSuccessNeverEndsLost": (33, 33),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": ("holds", "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "option2_stops": {
        "NoSuccessAfterLost": ("holds", "holds"),
        "LostIsFinal": ("holds", "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (18, 24),
        "ReportedSuccessNeverEndsLost": (33, 33),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": ("holds", "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "option3": {
        "NoSuccessAfterLost": (32, "holds"),
        "LostIsFinal": (11, "holds"),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (33, 33),
        "ReportedSuccessNeverEndsLost": (33, 33),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": ("holds", "holds"),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "pr4563": {
        "NoSuccessAfterLost": (32, 32),
        "LostIsFinal": (11, 20),
        "IncidentUnreachable": (35, 35),
        "SucceededRunNeverEndsLost": (33, 33),
        "ReportedSuccessNeverEndsLost": (33, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (32, 32),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "retry_on_timeout": {
        "NoSuccessAfterLost": (32, 32),
        "LostIsFinal": (11, 17),
        "IncidentUnreachable": (42, 42),
        "SucceededRunNeverEndsLost": (33, 40),
        "ReportedSuccessNeverEndsLost": (33, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 16),
        "NoEventAppliedAfterRunTimeout": (14, 16),
        "NoBlankStepComplete": (13, 13),
        "NoEventAppliedTwice": (16, 16),
        "NoDirectLostToSuccess": (32, 32),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 15),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (22, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "seed_hypothesis": {
        "NoSuccessAfterLost": (32, 32),
        "LostIsFinal": (11, 20),
        "IncidentUnreachable": (45, 45),
        "SucceededRunNeverEndsLost": (34, 34),
        "ReportedSuccessNeverEndsLost": (34, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 19),
        "NoEventAppliedAfterRunTimeout": (15, 19),
        "NoBlankStepComplete": (12, 13),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (32, 32),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, 17),
        "RejectedPayloadNeverResent": (16, 16),
        "EveryClaimedRunFinishes": (28, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
    "worker_fixes_only": {
        "NoSuccessAfterLost": (26, 26),
        "LostIsFinal": (11, 18),
        "IncidentUnreachable": ("holds", "holds"),
        "SucceededRunNeverEndsLost": (24, 24),
        "ReportedSuccessNeverEndsLost": (27, "holds"),
        "NoEventAcceptedAfterDeadline": (10, 17),
        "NoEventAppliedAfterRunTimeout": (16, 17),
        "NoBlankStepComplete": ("holds", "holds"),
        "NoEventAppliedTwice": ("holds", "holds"),
        "NoDirectLostToSuccess": (26, 26),
        "JanitorNeverLosesCompleted": ("holds", "holds"),
        "WorkerSilentAfterDeadline": (9, "holds"),
        "RejectedPayloadNeverResent": ("holds", "holds"),
        "EveryClaimedRunFinishes": (20, "holds"),
        "WorkerEventuallyQuiet": ("holds", "holds"),
    },
}

ENVIRONMENT_NAMES = ("default", "optimistic")
# env -> spec -> property -> verdict: the table above, one environment at a time
ENVIRONMENTS: dict[str, dict[str, dict[str, object]]] = {
    env: {name: {prop: cells[i] for prop, cells in props.items()}
          for name, props in VERDICTS.items()}
    for i, env in enumerate(ENVIRONMENT_NAMES)}
DEFAULT = ENVIRONMENTS["default"]
OPTIMISTIC = ENVIRONMENTS["optimistic"]


def _path(name: str) -> str:
    return os.path.join(ROOT, "specs", name + ".spec")


def _cells(result) -> dict[str, object]:
    return {v.property: "holds" if v.status == "holds" else
            (v.trace_length if v.status == "violated" else v.status)
            for v in result.verdicts}


def test_every_lifecycle_spec_is_pinned() -> None:
    shipped = {os.path.basename(p)[:-5] for p in glob.glob(os.path.join(ROOT, "specs", "*.spec"))}
    assert shipped == set(DEFAULT) == set(OPTIMISTIC)


# every design in both environments on the tuple engine; on the array engine two by default
# (the checks tests/explicit/test_liveness.py shares), all of them under -m slow
ARRAY_SAMPLE = {("current", "default"), ("option2", "default")}


@pytest.mark.parametrize("name,env,engine", engine_params(
    [(name, env) for name in sorted(DEFAULT) for env in sorted(ENVIRONMENTS)],
    lambda case, engine: engine == "tuple" or case in ARRAY_SAMPLE))
def test_verdicts(lifecycle, name: str, env: str, engine: str) -> None:
    result = lifecycle(name, env, engine)
    assert result.exhaustive, f"{name} ({env}, {engine} engine): the search was cut short"
    assert _cells(result) == ENVIRONMENTS[env][name]


def test_history_properties_come_first(lifecycle) -> None:
    """The questions of #4565 by any path head every design's output."""
    names = [v.property for v in lifecycle("current").verdicts]
    assert names[:3] == ["NoSuccessAfterLost", "LostIsFinal", "IncidentUnreachable"]


def _trace(lifecycle, name: str, prop: str, env: str = "default"):
    result = lifecycle(name, env)
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


def _assert_four_phases(steps) -> None:
    """Phase 1: step:complete rejected for a blank step_id; phase 2: after it, a run:log
    rejected as "must be associated with the run"; phase 3: after that, the janitor marks the
    run lost past the deadline; phase 4: the run ends in success (by whatever path)."""
    blank = _first(steps, 0, lambda s: s.action_name == "channel.step_complete"
                   and _reply(s) == "blank_step_id")
    assoc = _first(steps, blank, lambda s: s.action_name == "channel.run_log"
                   and _reply(s) == "not_associated")
    janitor = _first(steps, assoc, lambda s: s.action_name.startswith("janitor.")
                     and _run_state(s) == "lost")
    assert _now(steps[janitor]) > 4  # claim (0) + run timeout (3) + grace (1)
    assert janitor < len(steps) - 1
    assert _run_state(steps[-1]) == "success"


WITNESSED = [(name, env) for env, table in sorted(ENVIRONMENTS.items())
             for name, cells in sorted(table.items())
             if cells["IncidentUnreachable"] != "holds"]


def test_the_incident_is_reachable_where_the_ghost_transition_is() -> None:
    """Where a lost run can reach success and bug 1 is not fixed, the whole incident happens."""
    for env, table in ENVIRONMENTS.items():
        for name, cells in table.items():
            if cells["NoDirectLostToSuccess"] != "holds" and cells["NoBlankStepComplete"] != "holds":
                assert cells["IncidentUnreachable"] != "holds", (name, env)


@pytest.mark.parametrize("name,env", WITNESSED)
def test_four_phase_incident_witness(lifecycle, name: str, env: str) -> None:
    _assert_four_phases(_trace(lifecycle, name, "IncidentUnreachable", env).steps)


def test_shortest_direct_lost_to_success_on_current_is_not_the_whole_incident(lifecycle) -> None:
    """The shortest lost -> success on today's code has phases 1, 3 and 4 but not phase 2: its
    logs carry no step_id and are accepted. It is the shortest ghost transition, not the
    incident step for step (that is the IncidentUnreachable witness)."""
    steps = _trace(lifecycle, "current", "NoDirectLostToSuccess").steps
    blank = _first(steps, 0, lambda s: s.action_name == "channel.step_complete"
                   and _reply(s) == "blank_step_id")
    janitor = _first(steps, blank, lambda s: s.action_name == "janitor.pass")
    assert not any(s.action_name == "channel.run_log" and _reply(s) == "not_associated"
                   for s in steps)
    assert _now(steps[janitor]) > 4
    last = steps[-1]
    assert last.action_name == "channel.run_complete"
    assert _run_state(steps[-2]) == "lost" and _run_state(last) == "success"
    # finished_at is the worker's timestamp: backdated to when the workflow finished
    assert last.values["finished_at"]["#map"][0][1] == {"#bigint": "0"}


def test_fixed_design_reaches_success_after_lost_through_started(lifecycle) -> None:
    """The history property catches what the one-step one cannot: in the fixed design a
    run:start handled after the janitor's pass moves lost -> started, then run:complete makes
    it success."""
    steps = _trace(lifecycle, "fixed", "NoSuccessAfterLost").steps
    states = [_run_state(s) for s in steps]
    lost = states.index("lost")
    assert states[lost + 1] == "started" and states[-1] == "success"
    assert lifecycle("fixed").verdicts[0].property == "NoSuccessAfterLost"
    assert DEFAULT["fixed"]["NoDirectLostToSuccess"] == "holds"  # the one-step property


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


SWITCH = re.compile(r"^(?:assume\s+)?(?:switch|const)\s+(\w+)\s*:[^=;]*=\s*(\w+)\s*;", re.M)


def _documented_rows() -> dict[str, dict[str, str]]:
    """docs/model.md's tables with a `code` column: row name -> column -> cell."""
    doc = open(os.path.join(ROOT, "docs", "model.md"), encoding="utf-8").read()
    rows: dict[str, dict[str, str]] = {}
    header: list[str] = []
    for line in doc.splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if not header:
            header = cells
        elif "code" in header and not set(cells[0]) <= set("- "):
            rows[cells[0]] = dict(zip(header, cells))
    return rows


def test_every_switch_is_documented_with_its_code_and_default() -> None:
    """docs/model.md lists every switch and environment bound of model/ (`switch`, `assume switch`,
    `assume const`) with the code it stands for and its default (the first value listed), as
    model/ declares it."""
    rows = _documented_rows()
    declared = [m.groups() for p in sorted(glob.glob(os.path.join(ROOT, "model", "*.spec")))
                for m in SWITCH.finditer(open(p, encoding="utf-8").read())
                if m.group(0).startswith(("switch", "assume"))]
    assert len(declared) >= 13
    wrong = []
    for name, default in declared:
        row = rows.get(f"`{name}`")
        if row is None:
            wrong.append(f"{name}: no row")
            continue
        values = row.get("values (default first)", "")
        first = values.split(",")[0].split(" (")[0].strip().strip("`")
        if first != default:
            wrong.append(f"{name}: the doc's default {first!r}, model/ {default!r}")
        code = row.get("code", "")
        bound = "a bound of the model" in row.get("what the code does", "")
        if not (bound or CITATION.search(code) or "`" in code):
            wrong.append(f"{name}: no code cited")
    assert not wrong, wrong


STATEMENT_READS_GHOST = re.compile(r"\bghost_\w+")
WRITES_GHOST = re.compile(r"^(?:if [^{]*\{\s*)?(?:\}\s*)?ghost_\w+(?:\[[^\]]*\])?\s*:=")


def test_ghost_variables_never_steer_behaviour() -> None:
    """A ghost is read only to compute a ghost: every statement of an action in model/ that
    mentions one assigns a ghost, so no guard or real variable depends on them."""
    offending = []
    for name in ("lightning", "channel", "janitor", "worker", "lifecycle", "time"):
        text = open(os.path.join(ROOT, "model", name + ".spec"), encoding="utf-8").read()
        code = "\n".join(line.split("//")[0] for line in text.splitlines()
                         if not line.lstrip().startswith(("var ghost_", "//")))
        for statement in code.split(";"):
            flat = " ".join(statement.split()).lstrip("} ")
            if STATEMENT_READS_GHOST.search(flat) and not WRITES_GHOST.search(
                    flat.split("{")[-1].strip() if flat.startswith("if") else flat):
                offending.append(f"{name}.spec: {flat[:100]}")
    assert not offending, offending


@pytest.mark.parametrize("name,consts", [
    ("current", {"WorkflowTicks": "3"}),
    ("option3", {"Horizon": "8"}),
    ("fixed_long_grace", {"LogsPerStep": "2"}),
])
def test_optimistic_verdicts_do_not_depend_on_the_default_bounds(
        name: str, consts: dict[str, str]) -> None:
    """Raising a bound changes trace lengths, not which properties hold (a sample, in the
    optimistic environment; the report re-checks every holds cell with a larger Horizon)."""
    result = api.check(_path(name), consts=consts, switches=OPTIMISTIC_SWITCHES,
                       options=SearchOptions(keep_going=True))
    assert result.exhaustive
    got = {v.property: v.status for v in result.verdicts}
    want = {p: "holds" if c == "holds" else "violated" for p, c in OPTIMISTIC[name].items()}
    assert got == want


HEADER = re.compile(r"^// Verdicts \(default environment[^\n]*\n((?://  [^\n]*\n)+)", re.M)


def _header_verdicts(name: str) -> dict[str, str]:
    text = open(_path(name), encoding="utf-8").read()
    m = HEADER.search(text)
    assert m, f"specs/{name}.spec: no 'Verdicts (default environment ...)' block in its header"
    out: dict[str, str] = {}
    label = ""
    for line in m.group(1).splitlines():
        body = line[2:].strip()
        first, _, rest = body.partition(" ")
        if first in ("violated", "holds"):
            label, body = first, rest
        for prop in filter(None, (p.strip() for p in body.split(","))):
            if prop != "(none)":
                out[prop] = label
    return out


@pytest.mark.parametrize("name", sorted(DEFAULT))
def test_spec_header_states_the_verdicts_the_checker_gives(name: str) -> None:
    """Each spec's header comment lists the verdicts it actually gets (default environment)."""
    want = {p: "holds" if c == "holds" else "violated" for p, c in DEFAULT[name].items()}
    assert _header_verdicts(name) == want


def test_no_comment_claims_lost_stays_lost_where_it_does_not() -> None:
    """No spec or model comment says "lost stays lost" (or "lost is final") while the checker
    finds LostIsFinal violated in every design that comment could be about."""
    phrase = re.compile(r"lost (?:stays lost|is final)", re.I)
    for name, cells in DEFAULT.items():
        text = open(_path(name), encoding="utf-8").read()
        if cells["LostIsFinal"] != "holds":
            assert not phrase.search(text), name
    model = "".join(open(p, encoding="utf-8").read()
                    for p in glob.glob(os.path.join(ROOT, "model", "*.spec")))
    assert not phrase.search(model.replace("LostIsFinal", ""))
