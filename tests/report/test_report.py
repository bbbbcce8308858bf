"""PAPER.md's generated regions and figures/ must be what `checkmodel report` produces now.

This reruns every check the paper quotes (about two minutes on two cores). When it fails, run
`checkmodel report` and commit the result.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker.report import build as report
from checker.report.config import load_config

ROOT = Path(__file__).parents[2]


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
