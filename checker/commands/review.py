"""`checkmodel table` (designs x properties) and `checkmodel report` (regenerate figures/ and
PAPER.md's tables)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from checker.commands import exits, progress, resources
from checker.commands.exits import EXIT_CODES, ExitCode
from checker.explicit.search import SearchOptions
from checker.commands.options import Shared, output_width


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    table = sub.add_parser("table", help="verdict table across specs",
                           parents=[shared.reporting, shared.json],
                           description="Check several specs (each with --continue) and print "
                                       "one row per spec, one column per property. Exit 0, or "
                                       "152 if a search was cut short; with "
                                       "--fail-on-violation, the exit code of the worst "
                                       "verdict (12 before 13 before 11 ...).",
                           epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    table.add_argument("specs", nargs="+", help=".spec files")
    table.add_argument("--fail-on-violation", action="store_true",
                       help="exit with the code of the worst verdict in the table (for CI)")

    table.set_defaults(run=run_table)

    report = sub.add_parser("report", help="regenerate figures/ and PAPER.md's tables",
                            description="Run every check the design-review paper quotes and "
                                        "rewrite figures/ and the generated regions of PAPER.md "
                                        "(prose outside the markers is left alone). Exit 1 "
                                        "when a claim of the paper (report.toml) is not "
                                        "confirmed by the data.")
    report.add_argument("--config", default="report.toml",
                        help="what to check and draw (default: report.toml)")
    report.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any generated file is stale")
    report.add_argument("--saved", action="store_true",
                        help="check nothing again: render the paper and figures from the data "
                             "of the last full run (figures/data/report.json)")
    report.set_defaults(run=run_report)


def run_table(ns: argparse.Namespace) -> ExitCode:
    from checker import api
    from checker.report import table
    from checker.views import documents
    rows: list[table.Row] = []
    codes, docs = [], []
    for i, path in enumerate(ns.specs):
        started = time.monotonic()
        res = api.check(path, options=SearchOptions(keep_going=True))
        if exits.interrupted(res):  # Ctrl-C: show what was finished
            if rows:
                print(table.format_text(rows, output_width(ns)))
            print(f"interrupted: {len(rows)} of {len(ns.specs)} specs checked", file=sys.stderr)
            return ExitCode.INTERRUPTED
        rows.append(table.row_of(path, None, res, time.monotonic() - started))
        codes.append(exits.of_check(res))
        docs.append(documents.check_document(res, codes[-1]))
        if not (ns.quiet or ns.json):
            progress.table_row(rows[-1], i + 1, len(ns.specs))
    failed = table.errors_text(rows)
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if ns.fail_on_violation:
        code = exits.worst(codes)
    elif failed:
        code = ExitCode.EVALUATION
    else:
        code = ExitCode.OK if all(r.complete for r in rows) else ExitCode.INCOMPLETE
    if ns.json:
        print(json.dumps({"schema": documents.SCHEMA_VERSION, "command": "table",
                          "rows": docs, "complete": all(r.complete for r in rows),
                          "exit_code": int(code)}, indent=1))
    else:
        print(table.format_text(rows, output_width(ns)))
    return code


def run_report(ns: argparse.Namespace) -> ExitCode:
    from checker.report import build
    from checker.report.config import load_config
    config = load_config(ns.config)
    try:
        with resources.workers_stop_on_interrupt():
            outcome = build.run(config, check_only=ns.check, saved=ns.saved,
                                log=lambda m: print(m, file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print(f"interrupted before the report was complete: {config.paper} and "
              f"{config.figures}/ are written only once every part is computed (the parts "
              "finished are logged above)", file=sys.stderr)
        return ExitCode.INTERRUPTED
    for claim in outcome.unconfirmed:
        print(f"report: claim {claim} is not confirmed by the data", file=sys.stderr)
    if not outcome.changed:
        print("report: everything is up to date")
    verb = "stale" if ns.check else "written"
    for path in outcome.changed:
        print(f"{verb}: {path}")
    if outcome.unconfirmed or (ns.check and outcome.changed):
        return ExitCode.STALE
    return ExitCode.OK
