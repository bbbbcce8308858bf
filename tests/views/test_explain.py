"""Explain-why: the reasons a violated property is false, with the values they read.

The user-facing text is pinned by the golden cases in tests/golden/explain/ (a spec with its
command on the first line and an .expect file beside it), which tests/test_golden.py runs;
regenerate them with CHECKMODEL_REGEN=1 pytest tests/test_golden.py. This file checks the
explanations through the Python API and that the golden cases cover them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from checker import api
from checker.views import explain
from checker.views import text as report_text
from checker.trace import trace
from checker.trace import io as trace_io
from checker.explicit.search import SearchOptions

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parents[1] / "golden" / "explain"
DATA = Path(__file__).parents[1] / "data" / "viewing"


def explanation_of(path: str, **consts: str) -> explain.Explanation:
    res = api.check(path, consts=consts)
    found = explain.explain_violation(res, res.search.violations[0])
    assert found is not None
    return found


def test_transition_names_the_binding_premise_and_conclusion() -> None:
    e = explanation_of(str(DATA / "handoff.spec"))
    assert e.property == "LostIsFinal" and e.kind == "transition"
    assert e.where == "on the step from state 6 to state 7 (server.handle)"
    assert e.lines == (
        "forall r in Runs: db[r] == lost => db'[r] == lost  is false",
        "  for r = r1: db[r1] == lost => db'[r1] == lost  is false",
        "    premise: db[r1] == lost  holds  (db[r1] = lost)",
        "    conclusion: db'[r1] == lost  is false  (db'[r1] = success)",
    )
    assert e.summary == "db[r1] was lost and is now success"


def test_the_failing_binding_is_the_first_that_fails(spec_file: Callable[[str], str]) -> None:
    path = spec_file("""
        const Runs = {r1, r2, r3};
        var ok: map[Runs, bool] = [r in Runs |-> true];
        action breaks(r in Runs) when r != r1 { ok[r] := false; }
        deadlock off;
        invariant AllOk: forall r in Runs: ok[r];
    """)
    e = explanation_of(path)
    assert e.lines[1] == "  for r = r2: ok[r2]  is false  (ok[r2] = FALSE)"
    assert e.summary == "ok[r2] is FALSE"


def test_process_variables_print_as_in_the_spec(spec_file: Callable[[str], str]) -> None:
    path = spec_file("""
        const W = {w1, w2};
        enum Stage { idle, busy };
        process worker[w in W] {
          var stage: Stage = idle;
          action go when stage == idle { stage := busy; }
        }
        deadlock off;
        invariant Idle: worker[w2].stage == idle;
    """)
    e = explanation_of(path)
    assert e.lines == ("worker[w2].stage == idle  is false  (worker[w2].stage = busy)",)


def test_values_are_those_the_search_saw() -> None:
    """The walk's verdict at the top agrees with the search for every golden case."""
    for spec in sorted(GOLDEN.glob("*.spec")):
        res = api.check(str(spec))
        for violation in res.search.violations:
            found = explain.explain_violation(res, violation)
            assert found is not None and found.lines[0].endswith("is false"), spec.name


def test_no_explanation_for_deadlocks(spec_file: Callable[[str], str]) -> None:
    res = api.check(spec_file("var x: 0..1 = 0;\naction up when x == 0 { x := 1; }\n"))
    assert res.search.violations[0].kind == "deadlock"
    assert explain.explain_violation(res, res.search.violations[0]) is None


def test_report_prints_the_explanation_under_the_violation() -> None:
    res = api.check(str(DATA / "handoff.spec"))
    text = report_text.result(res)
    error = text.index("Error: Action property LostIsFinal is violated.")
    why = text.index("Why LostIsFinal fails on the step from state 6 to state 7")
    behaviour = text.index("The behavior up to this point is:")
    assert error < why < behaviour
    assert "  In short: db[r1] was lost and is now success." in text


def test_explanation_travels_in_the_itf_meta(tmp_path: Path) -> None:
    res = api.check(str(DATA / "handoff.spec"), options=SearchOptions())
    annotated = explain.annotate(res)
    path = str(tmp_path / "t.itf.json")
    trace_io.write_itf(annotated[0], path)
    back = trace_io.read_itf(path)
    assert back.explanation == annotated[0].explanation
    assert back.explanation[0].startswith("Why LostIsFinal fails")


def test_golden_cases_cover_explanations() -> None:
    cases = sorted(GOLDEN.glob("*.spec"))
    assert len(cases) >= 5
    for spec in cases:
        assert spec.read_text().startswith("// checkmodel check {file}")
        expect = spec.with_suffix(".expect").read_text()
        assert "\nWhy " in expect and "  In short: " in expect, spec.name


@pytest.mark.skipif(not (ROOT / "specs" / "current.spec").exists(),
                    reason="the lifecycle specs are not in this checkout")
def test_the_incident_is_explained() -> None:
    res = api.check(str(ROOT / "specs" / "current.spec"),
                    options=SearchOptions(properties=frozenset({"NoDirectLostToSuccess"})))
    found = explain.explain_violation(res, res.search.violations[0])
    assert found is not None
    assert "for r = r1: " in found.lines[1]
    assert found.summary == "run_state[r1] was lost and is now success"
