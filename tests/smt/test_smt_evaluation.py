"""`prove` never says PROVED for a property whose evaluation can fail: an invariant (or a helper,
or a transition property) is assumed only where it evaluates without an error, so a state where
its evaluation fails breaks the induction instead of being assumed away. Cross-checked with BMC
and the explicit search, which stop at the same error (exit 75)."""

from __future__ import annotations

from typing import Callable

import pytest

from checker import api
from checker.commands import exits
from checker.commands.exits import ExitCode
from checker.explicit.search import SearchOptions
from checker.ir.kinds import ProofStatus

COUNTDOWN = "var x: 0..5 = 5;\naction dec when x > 0 { x := x - 1; }\ndeadlock off;\n"
COUNTUP = "var x: 0..5 = 0;\naction inc when x < 5 { x := x + 1; }\ndeadlock off;\n"
QUEUE = ("var q: fifo[0..1, 2] = <<>>;\nvar x: 0..1 = 0;\n"
         "action put when len(q) < 2 { send x to q; }\n"
         "action take { receive v from q; x := v; }\ndeadlock off;\n")

# (spec, the property whose evaluation fails in a reachable state)
FAILING = {
    # 10 / 0 at x = 2: assumed true there, the induction used to prove it and its error check
    "divides by zero": (COUNTDOWN + "invariant I: 10 / (x - 2) > 0;\n", "I"),
    "the first state": (COUNTUP + "invariant I: 10 / x >= 0;\n", "I"),
    "modulo, counting up": (COUNTUP + "invariant I: 7 % (3 - x) < 7;\n", "I"),
    "a helper fails": (COUNTDOWN + "helper invariant H: 10 / (x - 2) > -100;\n"
                       "invariant Small: x <= 5;\n", "Small"),
    "a transition property": (QUEUE + "transition HeadKept: head(q') == head(q) or "
                                      "len(q) == 0;\n", "HeadKept"),
}

# the same properties guarded: every evaluation is defined, so they are proved
DEFINED = {
    "guarded division": COUNTDOWN + "invariant I: x == 2 or 10 / (x - 2) != 0;\n",
    "guarded modulo": COUNTUP + "invariant I: x == 3 or 7 % (3 - x) < 7;\n",
}


@pytest.mark.parametrize("text, name", FAILING.values(), ids=FAILING.keys())
def test_a_property_whose_evaluation_fails_is_not_proved(
        spec_file: Callable[[str], str], text: str, name: str) -> None:
    spec = api.load_spec(spec_file(text))
    report = api.prove(spec)
    status = {r.target.name: r.status for r in report.results}
    assert status[name] != ProofStatus.PROVED, status
    assert report.errors is not None and report.errors.status == ProofStatus.VIOLATED
    assert exits.of_prove(report) == ExitCode.EVALUATION
    # BMC and the explicit search meet the same error
    assert exits.of_bmc(api.bmc(spec, 8)) == ExitCode.EVALUATION
    found = api.check_spec(spec, SearchOptions())
    assert exits.of_check(found) == ExitCode.EVALUATION


def test_the_counterexample_shows_the_error(spec_file: Callable[[str], str]) -> None:
    report = api.prove(api.load_spec(spec_file(FAILING["divides by zero"][0])))
    result = report.results[0]
    assert result.status == ProofStatus.NOT_PROVED
    cex = result.counterexample
    assert cex is not None and cex.obligation == "consecution" and cex.reached
    assert cex.error is not None and "division by zero" in cex.error
    assert [s[0] for s in cex.states] == [3, 2]


@pytest.mark.parametrize("text", DEFINED.values(), ids=DEFINED.keys())
def test_a_guarded_property_is_proved(spec_file: Callable[[str], str], text: str) -> None:
    spec = api.load_spec(spec_file(text))
    report = api.prove(spec)
    assert [r.status for r in report.results] == [ProofStatus.PROVED]
    assert report.errors is not None and report.errors.status == ProofStatus.PROVED
    assert exits.of_prove(report) == ExitCode.OK
    assert exits.of_bmc(api.bmc(spec, 8)) == ExitCode.OK
    assert exits.of_check(api.check_spec(spec, SearchOptions())) == ExitCode.OK
