"""`checkmodel bmc` and `checkmodel prove`: the two Z3 commands, one runner.

Both load the spec, print the header, run the engine (which reloads the spec itself, with other
constant values, when Z3 needs a counterexample confirmed explicitly), print its text, save its
traces and exit by the exit-code table."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from checker import api
from checker.commands import exits
from checker.commands import output, progress
from checker.commands.exits import EXIT_CODES, ExitCode
from checker.commands.options import Shared, count, nonnegative, output_width, pairs, seconds
from checker.ir import nodes as ir
from checker.trace.trace import Trace
from checker.views import text as result_text

if TYPE_CHECKING:
    from checker.smt import BmcResult, ProveReport


@dataclass(frozen=True)
class Engine:
    """What differs between `bmc` and `prove`."""

    search: Callable[[argparse.Namespace, ir.Spec], Any]
    text: Callable[[Any, bool], str]
    verdicts: Callable[[Any], str]  # --quiet: the verdict lines only
    traces: Callable[[Any], Sequence[Trace]]
    exit_code: Callable[[Any], ExitCode]
    document: Callable[[Any, ExitCode], dict[str, Any]]  # --json


def _bmc(ns: argparse.Namespace, spec: ir.Spec) -> BmcResult:
    from checker import smt
    keep_going = spec.keep_going if ns.keep_going is None else ns.keep_going
    wanted = frozenset(ns.property) if ns.property else None
    return smt.bmc(spec, ns.depth, wanted, keep_going=keep_going,
                   check_deadlock=not ns.no_deadlock, timeout=ns.timeout,
                   symbolic=ns.symbolic, rlimit=ns.rlimit, query_timeout=ns.query_timeout,
                   on_depth=None if ns.quiet or ns.json else progress.bmc_depths())


def _prove(ns: argparse.Namespace, spec: ir.Spec) -> ProveReport:
    from checker import smt
    return smt.prove(spec, ns.property, timeout=ns.timeout, rlimit=ns.rlimit,
                     query_timeout=ns.query_timeout,
                     on_result=None if ns.quiet or ns.json else progress.proofs())


def _bmc_text(result: BmcResult, changed_only: bool) -> str:
    from checker.views import smt_text
    return smt_text.bmc_text(result, changed_only)


def _prove_text(report: ProveReport, changed_only: bool) -> str:
    from checker.views import smt_text
    return smt_text.prove_text(report, changed_only)


def _bmc_verdicts(result: BmcResult) -> str:
    from checker.views import smt_text
    return smt_text.bmc_verdicts(result)


def _prove_verdicts(report: ProveReport) -> str:
    from checker.views import smt_text
    return smt_text.prove_verdicts(report)


def _bmc_document(result: BmcResult, code: ExitCode) -> dict[str, Any]:
    from checker.views import documents, smt_text
    return documents.bmc_document(result, smt_text.others_bound(result), code)


def _prove_document(report: ProveReport, code: ExitCode) -> dict[str, Any]:
    from checker.views import documents
    return documents.prove_document(report, code)


BMC = Engine(search=_bmc, text=_bmc_text, verdicts=_bmc_verdicts, exit_code=exits.of_bmc,
             document=_bmc_document,
             traces=lambda result: [v.trace for v in result.violations])
PROVE = Engine(search=_prove, text=_prove_text, verdicts=_prove_verdicts,
               exit_code=exits.of_prove,
               document=_prove_document,
               traces=lambda report: [r.counterexample.trace for r in report.results
                                      if r.counterexample is not None])


def run(engine: Engine, ns: argparse.Namespace) -> ExitCode:
    output.prepare("--trace-out", ns.trace_out)
    consts, switches = pairs(ns.const, "--const"), pairs(ns.set, "--set")
    deadlock = False if ns.no_deadlock else None
    spec = api.load_spec(ns.spec, consts, switches, deadlock, getattr(ns, "helpers", []))
    ns.sources.update(spec.sources)
    api.known_properties(spec, frozenset(ns.property) if ns.property else None)
    if not (ns.json or ns.quiet):
        print(result_text.header(spec, output_width(ns)), flush=True)
    result = engine.search(ns, spec)
    code = engine.exit_code(result)
    if ns.json:
        print(json.dumps(engine.document(result, code), indent=1), flush=True)
    else:
        text = engine.verdicts(result) if ns.quiet else engine.text(result, ns.changed_only)
        print(result_text.fold(text, output_width(ns)), end="")
    traces = engine.traces(result)
    if ns.trace_out and traces:
        with contextlib.redirect_stdout(sys.stderr if ns.json else sys.stdout):
            output.write_traces("--trace-out", ns.trace_out, traces, output.Writes())
    return code


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    bmc = sub.add_parser(
        "bmc", help="bounded model checking with Z3",
        parents=[shared.model, shared.keep_going, shared.traces, shared.reporting, shared.json],
        description="Look for the shortest violation within K steps with Z3 (k = 0, 1, ..., K). "
                    "Every trace is replayed by the explicit semantics before it is shown. No "
                    "violation within K steps is a bounded result.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    bmc.add_argument("--depth", type=nonnegative, default=10, metavar="K",
                     help="the most steps a trace may take (default 10)")
    _limits(bmc, None)
    bmc.add_argument("--symbolic", action="store_true",
                     help="leave the integer constants symbolic, as prove does: find a "
                          "violation for any of their values")
    bmc.set_defaults(run=lambda ns: run(BMC, ns))

    prove = sub.add_parser(
        "prove", help="inductive proofs with Z3",
        parents=[shared.model, shared.traces, shared.reporting, shared.json],
        description="Prove invariants and transition properties by induction (Init => Inv, "
                    "Inv /\\ Next => Inv'), strengthened by the spec's `helper invariant`s, for "
                    "every value of its integer constants (those not given with --const and "
                    "not sizing the state). Exit 0 when everything is proved, 12/13 for a "
                    "reachable counterexample, 152 when not inductive or unknown.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _limits(prove, 60.0)
    prove.add_argument("--helpers", action="append", default=[], metavar="FILE",
                       help="merge the declarations of FILE (helper invariants) into the spec, "
                            "as if it imported FILE (repeatable)")
    prove.set_defaults(run=lambda ns: run(PROVE, ns))


def _limits(parser: argparse.ArgumentParser, per_query: Optional[float]) -> None:
    parser.add_argument("--timeout", type=seconds, metavar="SECONDS",
                        help="the time allowed to the whole command (default: none); each Z3 "
                             "query gets the time that remains, and what is unfinished when it "
                             "runs out is listed (exit 152)")
    default = "none" if per_query is None else f"{per_query:g}"
    parser.add_argument("--query-timeout", type=seconds, default=per_query, metavar="SECONDS",
                        help=f"Z3's time limit per query (default: {default})")
    parser.add_argument("--rlimit", type=count, metavar="N",
                        help="Z3's work limit per query, in its resource units: unlike "
                             "--timeout, the result is the same on every machine and under any "
                             "load (a query that needs more is unknown, \"work limit reached\": "
                             "exit 152)")
