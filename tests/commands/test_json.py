"""`--json`: one document on stdout per command, valid against docs/results.schema.json."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.commands.exits import ExitCode

jsonschema = pytest.importorskip("jsonschema")
ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "docs" / "results.schema.json").read_text())


def example(name: str) -> str:
    return os.path.join(ROOT, "specs", "examples", name)


def document(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(list(args))
    out = capsys.readouterr().out
    doc = json.loads(out)  # stdout holds the document and nothing else
    jsonschema.validate(doc, SCHEMA)
    assert doc["exit_code"] == code
    return code, doc


def by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["property"]: v for v in doc["verdicts"]}


def test_the_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_check_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    trace = str(tmp_path / "t.itf.json")
    code, doc = document(capsys, example("diehard.spec"), "--json", "--trace-out", trace)
    assert code == ExitCode.INVARIANT and doc["command"] == "check"
    verdicts = by_name(doc)
    assert verdicts["NotSolved"] == {"property": "NotSolved", "kind": "invariant",
                                     "verdict": "violated", "trace_states": 7}
    assert doc["counts"]["distinct"] > 0 and doc["engine"].startswith("explicit")
    assert os.path.exists(trace)  # written, and its message went to stderr


def test_check_json_of_a_search_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = document(capsys, example("peterson.spec"), "--json", "--max-states", "5")
    assert code == ExitCode.INCOMPLETE and not doc["complete"]
    assert doc["stopped"] == "max-states"
    assert {v["verdict"] for v in doc["verdicts"]} == {"unknown"}


def test_bmc_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = document(capsys, "bmc", example("diehard.spec"), "--depth", "8", "--json")
    assert code == ExitCode.INVARIANT
    verdicts = by_name(doc)
    assert verdicts["NotSolved"]["verdict"] == "violated"
    assert verdicts["TypeOK"] == {"property": "TypeOK", "kind": "invariant",
                                  "verdict": "bounded", "trace_states": None, "bound_steps": 5}
    assert "EvaluationError" not in verdicts


def test_prove_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = document(capsys, "prove", example("peterson.spec"), "--json")
    assert code == ExitCode.OK and doc["complete"]
    assert {v["verdict"] for v in doc["verdicts"]} == {"proved"}
    assert all(set(v["obligations"].values()) == {"proved"} for v in doc["verdicts"])


def test_table_json_and_fail_on_violation(capsys: pytest.CaptureFixture[str]) -> None:
    specs = [example("diehard.spec"), example("peterson.spec")]
    code, doc = document(capsys, "table", *specs, "--json")
    assert code == ExitCode.OK
    assert [os.path.basename(r["spec"]) for r in doc["rows"]] == ["diehard.spec", "peterson.spec"]
    assert by_name(doc["rows"][0])["NotSolved"]["verdict"] == "violated"
    code, doc = document(capsys, "table", *specs, "--json", "--fail-on-violation")
    assert code == ExitCode.INVARIANT == doc["exit_code"]
    assert main(["table", specs[1], "--fail-on-violation", "--quiet"]) == ExitCode.OK
