"""`checkmodel prove`: inductive proofs for every value of the integer constants.

Pinned outcomes on the classic models and the lifecycle's fixed design, symbolic constants
(ranged and `int ... where`), refusals of what cannot be symbolic, and the command's output.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from typing import Callable

import pytest

from checker import api, cli, errors
from checker.commands.exits import ExitCode
from checker import smt
from checker.explicit.search import SearchOptions
from checker.smt.prove import prove

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPERS = os.path.join(ROOT, "model", "proof_helpers.spec")


def example(name: str) -> str:
    return os.path.join(ROOT, "specs", "examples", name)


def statuses(path: str, **kwargs: object) -> dict[str, str]:
    report = prove(api.load_spec(path), **kwargs)  # type: ignore[arg-type]
    return {r.target.name: r.status for r in report.results}


def test_peterson_mutual_exclusion_is_inductive() -> None:
    assert statuses(example("peterson.spec")) == {"TypeOK": "PROVED", "Inv": "PROVED"}


def test_a_reachable_counterexample_is_a_violation() -> None:
    report = prove(api.load_spec(example("diehard.spec")))
    found = {r.target.name: r for r in report.results}
    assert found["TypeOK"].status == "PROVED"
    cex = found["NotSolved"].counterexample
    assert found["NotSolved"].status == "VIOLATED" and cex is not None
    assert cex.obligation == "consecution" and cex.failing == ("NotSolved",)
    assert len(cex.trace) == 2


def test_an_unreachable_counterexample_to_induction() -> None:
    found = statuses(example("twophase.spec"))
    assert found["TPTypeOK"] == "PROVED"
    assert found["TCConsistent"] == "NOT INDUCTIVE"
    report = prove(api.load_spec(example("twophase.spec")), ["TCConsistent"])
    cex = report.results[0].counterexample
    assert cex is not None and cex.reached is False and "unreachable" in cex.reachable


SYMBOLIC = """
module clock;
const Limit: int = 3 where Limit > 0;
const Step: 1..4 = 1;
var t: 0..Limit = 0;
action tick when t + Step <= Limit { t := t + Step; }
action reset when t == Limit { t := 0; }
invariant InRange: t >= 0 and t <= Limit;
invariant Small: t < 3;
transition Forward: t' >= t or t' == 0;
deadlock off;
"""


def test_symbolic_constants_cover_every_value(spec_file: Callable[[str], str]) -> None:
    report = prove(api.load_spec(spec_file(SYMBOLIC)))
    assert [c.name for c in report.symbolic] == ["Limit", "Step"]
    assert "Limit > 0" in report.symbolic[0].condition
    found = {r.target.name: r for r in report.results}
    assert found["InRange"].status == "PROVED"
    assert found["Forward"].status == "PROVED"
    small = found["Small"]
    assert small.status == "VIOLATED"  # with Limit = 3 (the default) t reaches 3
    assert small.counterexample is not None and small.counterexample.constants["Limit"] >= 3
    assert report.errors is not None and report.errors.status == "PROVED"


def test_a_constant_given_on_the_command_line_is_fixed(spec_file: Callable[[str], str]) -> None:
    report = prove(api.load_spec(spec_file(SYMBOLIC), consts={"Limit": "2"}))
    assert [c.name for c in report.symbolic] == ["Step"]
    assert [c.name for c in report.fixed] == ["Limit"]
    assert {r.target.name: r.status for r in report.results}["Small"] == "PROVED"


SHAPED = """
module shaped;
const N: 1..4 = 2;
const Cap: 1..3 = 1 + N;
const T: 1..9 = 4;
var m: map[1..N, 0..T] = [k in 1..N |-> 0];
var q: fifo[0..T, Cap] = <<>>;
action bump(k in 1..N) when m[k] < T { m[k] := m[k] + 1; }
action push when len(q) < Cap { send T to q; }
invariant Bounded: forall k in 1..N: m[k] <= T;
deadlock off;
"""


def test_constants_that_shape_the_state_stay_fixed(spec_file: Callable[[str], str]) -> None:
    report = prove(api.load_spec(spec_file(SHAPED)))
    assert [c.name for c in report.symbolic] == ["T"]
    fixed = {c.name: c.why for c in report.fixed}
    assert "key range" in fixed["N"] and "capacity" in fixed["Cap"]
    assert report.results[0].status == "PROVED"


def test_an_evaluation_error_is_found(spec_file: Callable[[str], str]) -> None:
    path = spec_file("var x: 0..3 = 0;\naction up { x := x + 1; }\n"
                     "invariant Fine: x >= 0;\ndeadlock off;\n")
    report = prove(api.load_spec(path))
    assert report.results[0].status == "PROVED"
    assert report.errors is not None and report.errors.status == "VIOLATED"
    cex = report.errors.counterexample
    assert cex is not None and "outside the domain" in cex.failing[0]


def test_unsupported_construct_is_a_located_error(spec_file: Callable[[str], str]) -> None:
    path = spec_file("var b: bag[0..2, 2] = <<>>;\nvar x: 0..2 = 0;\n"
                     "action a when len(b) > 0 { x := head(b); }\n"
                     "action put { send 1 to b; }\ninvariant I: x < 3;\ndeadlock off;\n")
    with pytest.raises(errors.SpecError) as caught:
        prove(api.load_spec(path))
    assert caught.value.code == errors.UNSUPPORTED and caught.value.span is not None
    assert "bag" in caught.value.message


@pytest.mark.slow  # a minute of Z3; the report's proofs (-m slow tests/report) cover fixed.spec too
def test_the_fixed_design_is_proved_for_every_timing() -> None:
    """The lifecycle's fixed design: the one-step and worker properties BFS finds to hold are
    proved for every value of the timing constants (in the domain's order, the `where`
    conditions of model/time.spec); the history properties NoSuccessAfterLost and LostIsFinal
    are violated (a run:start handled after the janitor's pass, lost -> started -> success).

    Run in a fresh interpreter: Z3's shared context keeps state between queries, so which
    counterexample to induction it returns (and whether that one is shown reachable) can depend
    on what the same process asked Z3 before."""
    done = subprocess.run([sys.executable, "-m", "checker", "prove",
                           os.path.join(ROOT, "specs", "proofs", "fixed_proof.spec")],
                          capture_output=True, text=True, cwd=ROOT)
    code, out = done.returncode, done.stdout
    for name in ("NoDirectLostToSuccess", "JanitorNeverLosesCompleted", "NoBlankStepComplete",
                 "RejectedPayloadNeverResent", "NoEventAppliedTwice"):
        assert f"{name} (" in out and f"{name} ({_kind(name)}): PROVED" in out
    assert "NoSuccessAfterLost (invariant): VIOLATED" in out
    assert "LostIsFinal (invariant): VIOLATED" in out
    assert "No evaluation errors: PROVED" in out
    assert "symbolic constants (one proof covers every value)" in out and "RunTimeout" in out
    assert "MsgTimeout < RunTimeout" in out  # the domain's order of the deadlines is kept
    assert code == ExitCode.INVARIANT  # some invariants fail (with the default timings, too)


def _kind(name: str) -> str:
    return "transition" if name in ("NoDirectLostToSuccess", "JanitorNeverLosesCompleted",
                                    "RejectedPayloadNeverResent") else "invariant"


def test_prove_helpers_option_merges_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["prove", os.path.join(ROOT, "specs", "fixed.spec"), "--helpers", HELPERS,
                     "--property", "NoEventAppliedTwice"])
    out = capsys.readouterr().out
    assert "NoEventAppliedTwice (invariant): PROVED" in out and code == ExitCode.OK


def test_bmc_command_reports_the_shortest_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["bmc", example("diehard.spec"), "--depth", "8"])
    out = capsys.readouterr().out
    assert code == ExitCode.INVARIANT
    assert "VIOLATED (trace of 7 states)" in out and "replayed by the explicit" in out


def test_bmc_command_says_the_result_is_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["bmc", example("peterson.spec"), "--depth", "5"])
    out = capsys.readouterr().out
    assert code == ExitCode.OK and "bounded result" in out


def test_a_parameter_domain_keeps_its_constants_fixed(spec_file: Callable[[str], str]) -> None:
    report = prove(api.load_spec(spec_file(
        "const T: 2..6 = 3;\nvar x: 0..10 = 0;\n"
        "action jump(t in {1, T}) when x + t <= 10 { x := x + t; }\n"
        "invariant Bounded: x <= 10;\ndeadlock off;\n")))
    assert report.symbolic == [] and "parameter 't'" in report.fixed[0].why
    assert report.results[0].status == "PROVED"


def test_symbolic_bmc_finds_the_shortest_violation_for_any_value(
        spec_file: Callable[[str], str]) -> None:
    path = spec_file(SYMBOLIC)
    result = smt.bmc(api.load_spec(path), 4, frozenset({"Small"}),
                     symbolic=True)
    assert result.symbolic == ["Limit", "Step"]
    (found,) = result.violations
    assert len(found.states) == 2  # one step of size 3: Step = 3, Limit >= 3
    assert found.constants["Step"] == 3 and found.constants["Limit"] >= 3


def test_a_transition_property_whose_evaluation_fails(spec_file: Callable[[str], str]) -> None:
    report = prove(api.load_spec(spec_file(
        "var q: fifo[0..1, 2] = <<>>;\nvar x: 0..1 = 0;\n"
        "action put when len(q) < 2 { send x to q; }\n"
        "action take { receive v from q; x := v; }\n"
        "transition HeadKept: head(q') == head(q) or len(q) == 0;\ndeadlock off;\n")))
    assert report.errors is not None and report.errors.status == "VIOLATED"
    cex = report.errors.counterexample
    assert cex is not None and cex.obligation == "no errors on steps"
    assert "head of an empty sequence" in cex.failing[0]


LIFECYCLE = sorted(glob.glob(os.path.join(ROOT, "specs", "*.spec")))


@pytest.mark.parametrize("path", LIFECYCLE, ids=[os.path.basename(p) for p in LIFECYCLE])
def test_the_proof_helpers_hold_in_every_design(path: str) -> None:
    """model/proof_helpers.spec is true in every lifecycle design (explicit search), so any
    spec may import it."""
    spec = api.load_spec(path, helpers=[HELPERS])
    names = frozenset(p.name for p in spec.properties if p.helper)
    result = api.check_spec(spec, SearchOptions(keep_going=True, properties=names,
                                                check_deadlock=False))
    assert result.search.complete
    assert [v.property for v in result.verdicts if v.status != "holds"] == []
