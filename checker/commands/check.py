"""`checkmodel check`: exhaustive breadth-first search, with liveness, coverage and graph output."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from checker import api, errors
from checker.commands import exits, progress
from checker.commands import output
from checker.commands.common import load
from checker.commands.exits import EXIT_CODES, ExitCode
from checker.commands import resources
from checker.commands.resources import default_memory_limit
from checker.commands.options import (Shared, count, megabytes, output_width, seconds,
                                      workers)
from checker.explicit.search import SearchOptions
from checker.views import text as result_text

NAME = "check"


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    parents = [shared.model, shared.keep_going, shared.traces, shared.reporting, shared.json]
    p = sub.add_parser(NAME, help="check a spec", parents=parents,
                       description="Check a spec by exhaustive breadth-first search.",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    limits = p.add_argument_group("search limits (a search cut short never exits 0)")
    limits.add_argument("--max-states", type=count, metavar="N",
                        help="stop after N distinct states (1e6 is accepted)")
    limits.add_argument("--max-depth", type=count, metavar="D",
                        help="explore only the first D BFS levels (initial states are level 1)")
    limits.add_argument("--timeout", type=seconds, metavar="SECONDS", help="stop after SECONDS")
    limits.add_argument("--memory-limit", type=megabytes, default=default_memory_limit(),
                        metavar="SIZE", help="stop the search, reporting how far it got, when it "
                        "needs more memory than SIZE (e.g. 512M, 4G; default: 90%% of the "
                        "machine's memory)")
    p.add_argument("--engine", choices=("auto", "array", "tuple"), default="auto",
                   help="the explicit engine: `array` (whole BFS levels as packed arrays), "
                        "`tuple` (the reference), or `auto` (default: array where the spec "
                        "compiles to it, else tuple; the summary says which ran and why)")
    p.add_argument("--fingerprints", action="store_true",
                   help="keep a 64-bit fingerprint of each state instead of the state, as TLC "
                        "(the array engine; about 14 bytes a state): exact up to fingerprint "
                        "collisions, whose estimated probability the summary prints; no "
                        "temporal or reachable properties, --coverage or --dump-graph")
    p.add_argument("--workers", type=workers, default=1, metavar="N",
                   help="expand each BFS level in N processes (the array engine; default 1: "
                        "docs/engines.md says when more pay)")
    out = p.add_argument_group("output")
    out.add_argument("--msc", action="store_true",
                     help="also print each counterexample as a message sequence chart")
    out.add_argument("--coverage", action="store_true",
                     help="after the search, print how often each action fired (an action that "
                          "never fires makes verdicts about it vacuous)")
    out.add_argument("--dump-python", metavar="FILE", help="write the generated Python code")
    out.add_argument("--dump-graph", metavar="FILE",
                     help="write the explored state graph: .dot/.gv (Graphviz), .graphml, or a "
                          "figure (.svg/.png/.pdf) with the counterexample in red")
    out.add_argument("--graph-limit", type=count, default=10_000, metavar="N",
                     help="refuse --dump-graph above N states (default 10,000)")
    p.set_defaults(run=run)


def run(ns: argparse.Namespace) -> ExitCode:
    resources.limit_memory(ns.memory_limit)
    resources.start_timer(ns.timeout)
    try:
        return _run(ns)
    finally:
        resources.stop_timer()


def _run(ns: argparse.Namespace) -> ExitCode:
    api.check_workers(ns.engine, ns.workers)
    for flag, path in (("--trace-out", ns.trace_out), ("--dump-graph", ns.dump_graph),
                       ("--dump-python", ns.dump_python)):
        output.prepare(flag, path)
    spec = load(ns)
    writes = output.Writes()
    if ns.dump_python:
        from checker.explicit.compile import compile_spec
        with writes.guard("--dump-python", ns.dump_python):
            with open(ns.dump_python, "w", encoding="utf-8") as handle:
                handle.write(compile_spec(spec).source)
    options = SearchOptions(max_states=ns.max_states, max_depth=ns.max_depth,
                            timeout=ns.timeout, keep_going=ns.keep_going,
                            properties=frozenset(ns.property) if ns.property else None,
                            record_graph=bool(ns.dump_graph), engine=ns.engine,
                            fingerprints=ns.fingerprints, workers=ns.workers)
    if ns.fingerprints and ns.coverage:
        raise errors.ConfigError(errors.UNSUPPORTED, "--fingerprints keeps no states to count "
                                 "the actions of (--coverage)", None,
                                 [errors.Note("check without --fingerprints")])
    api.known_properties(spec, options.properties)
    silent = ns.quiet or ns.json
    if not silent:
        print(result_text.header(spec, output_width(ns)), flush=True)
    result = api.check_spec(spec, options, None if silent else progress.search,
                            None if silent else progress.temporal)
    code = exits.of_check(result)
    if ns.json:
        from checker.views import documents
        print(json.dumps(documents.check_document(result, code), indent=1), flush=True)
        with contextlib.redirect_stdout(sys.stderr):  # stdout holds the document alone
            _outputs(ns, result, writes)
    else:
        text = result_text.verdicts(result) if ns.quiet else result_text.result(
            result, changed_only=ns.changed_only)
        print(result_text.fold(text, output_width(ns)), end="")
        _outputs(ns, result, writes)
    if result.search.error is not None:
        print(errors.render(result.search.error, spec.sources), file=sys.stderr)
    return code


def _outputs(ns: argparse.Namespace, result: api.CheckResult, writes: output.Writes) -> None:
    """What the options ask for besides the verdicts: coverage, the graph, charts, traces."""
    width = output_width(ns)
    if ns.coverage:
        from checker.explicit import coverage
        print(coverage.format_text(coverage.coverage(result.system, result.search.graph)))
    if ns.dump_graph:
        from checker.views import graph, results
        try:
            with writes.guard("--dump-graph", ns.dump_graph):
                print(results.dump_graph(result, ns.dump_graph, ns.graph_limit))
        except graph.GraphTooLarge as exc:
            print(f"checkmodel: --dump-graph {ns.dump_graph}: {exc}", file=sys.stderr)
    if ns.msc and result.traces:
        from checker.views import msc, msc_format
        for t in result.traces:
            print(msc_format.format_text(msc.build_chart(t), width))
    if ns.trace_out and result.traces:
        from checker.views import explain
        output.write_traces("--trace-out", ns.trace_out, explain.annotate(result), writes)
