"""The report's proofs run under Z3's work limit, so their cells repeat on any machine.

report.toml's [proofs] sets `rlimit` (units of Z3's own work per query) and a wall `timeout`
that is only a safety net; an UNKNOWN cell says which limit it ran into.
"""

from __future__ import annotations

from pathlib import Path

from checker.report import proofs as report_proofs
from checker.report.config import load_config

ROOT = Path(__file__).parents[2]

COUNTER = """module counter;
const Max: 1..50 = 7;
var n: 0..Max = 0;
action Up { await n < Max; n := n + 1; }
action Reset { await n == Max; n := 0; }
invariant InRange: n >= 0 and n <= Max;
transition NeverSkips: n' == n + 1 or n' == 0;
"""

HELPERS = """module counter_helpers;
helper invariant NonNegative: n >= 0;
"""


def _files(tmp_path: Path) -> tuple[str, str]:
    spec, helpers = tmp_path / "counter.spec", tmp_path / "counter_helpers.spec"
    spec.write_text(COUNTER)
    helpers.write_text(HELPERS)
    return str(spec), str(helpers)


def _cells(rows: list[dict[str, object]]) -> dict[object, object]:
    return {r["property"]: r["status"] for r in rows}


def test_the_report_proves_under_a_work_limit() -> None:
    config = load_config(str(ROOT / "report.toml"))
    assert config.proofs and config.proof_rlimit > 0
    assert config.proof_timeout >= 600  # a safety net, not the limit that decides a cell


def test_a_proof_within_the_work_limit_is_proved_and_repeats(tmp_path: Path) -> None:
    spec, helpers = _files(tmp_path)
    limits = report_proofs.ProofLimits(rlimit=10_000_000, timeout=600)
    first = report_proofs.prove_one(spec, helpers, limits)
    assert _cells(first)["InRange"] == "PROVED"
    assert _cells(first)["NeverSkips"] == "PROVED"
    assert report_proofs.prove_one(spec, helpers, limits) == first


def test_an_exhausted_work_limit_says_so(tmp_path: Path) -> None:
    spec, helpers = _files(tmp_path)
    rows = report_proofs.prove_one(spec, helpers, report_proofs.ProofLimits(rlimit=1, timeout=600))
    cells = _cells(rows)
    assert cells["InRange"] == "UNKNOWN (work limit)", cells
    assert cells["NeverSkips"] == "UNKNOWN (work limit)", cells
