"""`checkmodel table` (designs x properties) and `checkmodel report` (regenerate figures/ and
PAPER.md's tables)."""

from __future__ import annotations

import argparse
import sys

from checker.commands import output, progress
from checker.commands.exits import ExitCode
from checker.commands.options import Shared, output_width


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    table = sub.add_parser("table", help="verdict table across specs", parents=[shared.reporting],
                           description="Check several specs and print one row per spec, one "
                                       "column per property.")
    table.add_argument("specs", nargs="+", help=".spec files")
    table.add_argument("--json", metavar="FILE", help="also write the table as JSON")

    table.set_defaults(run=run_table)

    report = sub.add_parser("report", help="regenerate figures/ and PAPER.md's tables",
                            description="Run every check the design-review paper quotes and "
                                        "rewrite figures/ and the generated regions of PAPER.md "
                                        "(prose outside the markers is left alone).")
    report.add_argument("--config", default="report.toml",
                        help="what to check and draw (default: report.toml)")
    report.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any generated file is stale")
    report.set_defaults(run=run_report)


def run_table(ns: argparse.Namespace) -> ExitCode:
    from checker.report import table
    output.prepare("--json", ns.json)
    rows = []
    for i, path in enumerate(ns.specs):
        rows.append(table.run_one(path))
        if not ns.quiet:
            progress.table_row(rows[-1], i + 1, len(ns.specs))
    print(table.format_text(rows, output_width(ns)))
    failed = table.errors_text(rows)
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if ns.json:
        with output.Writes().guard("--json", ns.json):
            table.write_json(rows, ns.json)
    if failed:
        return ExitCode.EVALUATION
    return ExitCode.OK if all(r.complete for r in rows) else ExitCode.INCOMPLETE


def run_report(ns: argparse.Namespace) -> ExitCode:
    from checker.report import build
    from checker.report.config import load_config
    outcome = build.run(load_config(ns.config), check_only=ns.check,
                        log=lambda m: print(m, file=sys.stderr, flush=True))
    if not outcome.changed:
        print("report: everything is up to date")
        return ExitCode.OK
    verb = "stale" if ns.check else "written"
    for path in outcome.changed:
        print(f"{verb}: {path}")
    return ExitCode.STALE if ns.check else ExitCode.OK
