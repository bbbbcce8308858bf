"""PAPER.md's generated regions and figures/ must be what `checkmodel report` produces now.

The full re-run of every check the paper quotes takes about half an hour on two cores (both
environments, the Horizon re-checks, two fix lattices of 192 designs, the proofs), so it is
`-m slow`. The default suite checks that PAPER.md and figures/ are exactly what the saved data
(figures/data/report.json) renders, and re-checks a sample of that data from scratch. When a test
fails, run `checkmodel report` (or `checkmodel report --saved` after editing only claims or
prose) and commit the result.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker.report import build as report
from checker.report.config import load_config

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
@pytest.mark.paper
def test_paper_and_figures_are_current() -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config("report.toml")
        outcome = report.run(config, check_only=True)
    finally:
        os.chdir(cwd)
    assert outcome.changed == [], (
        f"stale generated files: {outcome.changed}; run `checkmodel report` and commit")


def test_figures_exist_for_the_saved_data() -> None:
    config = load_config(str(ROOT / "report.toml"))
    data = json.loads((ROOT / config.figures / "data" / "report.json").read_text())
    from checker.report import figures as report_figures
    for path in report_figures.paths(data, config):
        assert (ROOT / path).stat().st_size > 1000, path


def test_every_claim_of_the_paper_is_confirmed_by_the_saved_data() -> None:
    from checker.report import claims as report_claims
    config = load_config(str(ROOT / "report.toml"))
    data = json.loads((ROOT / config.figures / "data" / "report.json").read_text())
    failing = [c.id for c in config.claims if not report_claims.evaluate(c, data)]
    assert failing == []


def test_paper_and_figures_render_the_saved_data() -> None:
    """PAPER.md's generated regions, figures/ and the claims are what the saved data gives."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        outcome = report.run(load_config("report.toml"), check_only=True, saved=True)
    finally:
        os.chdir(cwd)
    assert outcome.changed == [], (
        f"stale generated files: {outcome.changed}; run `checkmodel report --saved` and commit")


SAMPLE = [("specs/current.spec", "default"), ("specs/option2.spec", "default"),
          ("specs/fixed.spec", "optimistic")]


@pytest.mark.parametrize("spec,env", SAMPLE)
def test_the_saved_data_matches_a_fresh_check(spec: str, env: str) -> None:
    """A sample of the saved matrix, checked again now: the same verdicts and state counts, so
    the saved data is the current model's."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config("report.toml")
        data = json.loads((ROOT / config.figures / "data" / "report.json").read_text())
        (design,) = [d for d in config.designs if d.spec == spec]
        (environment,) = [e for e in config.environments if e.name == env]
        fresh = report.design_row((design, environment, 0))
    finally:
        os.chdir(cwd)
    (saved,) = [r for r in data["designs"] if r["spec"] == spec and r["env"] == env]
    assert (fresh["verdicts"], fresh["distinct"], fresh["assumed"]) == (
        saved["verdicts"], saved["distinct"], saved["assumed"])


def test_a_claim_the_data_does_not_confirm_fails_the_report() -> None:
    """`checkmodel report` exits 1 and names the claim when the data contradicts the prose (here
    a claim that today's code keeps lost runs from success, which the saved data refutes)."""
    import dataclasses
    from checker.report.config import Claim
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config = load_config("report.toml")
        wrong = Claim("X1", "Today's code keeps a lost run from success.", "verdict",
                      {"design": "current", "property": "NoSuccessAfterLost",
                       "expected": "holds"})
        outcome = report.run(dataclasses.replace(config, claims=config.claims + (wrong,)),
                             check_only=True, saved=True)
    finally:
        os.chdir(cwd)
    assert outcome.unconfirmed == ["X1 (Today's code keeps a lost run from success.)"]


def test_the_paper_does_not_depend_on_the_order_of_the_data() -> None:
    """Fresh data has its dicts in the specs' order, saved data (sorted JSON) alphabetically:
    the paper's regions must come out the same from both."""
    from checker.report import tables as report_tables
    config = load_config(str(ROOT / "report.toml"))
    data = json.loads((ROOT / config.figures / "data" / "report.json").read_text())

    def reverse(value: object) -> object:
        if isinstance(value, dict):
            return {k: reverse(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value
    assert report_tables.regions(reverse(data), config) == report_tables.regions(data, config)
