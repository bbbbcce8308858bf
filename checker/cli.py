"""The `checkmodel` command: the only place that turns exceptions into diagnostics and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Optional, Sequence, TextIO

from checker.ir.kinds import PropertyKind, Status, StopReason
from checker import errors
from checker.trace import trace
from checker.trace import io as trace_io
from checker.trace import replay as trace_replay
from checker.explicit.search import Progress, SearchOptions

# Exit codes (TLC's numbering where TLC has one).
OK = 0
DEADLOCK = 11
INVARIANT = 12
PROPERTY = 13
EVALUATION = 75
INTERRUPTED = 130
SPEC_ERROR = 150
CONFIG_ERROR = 151
INCOMPLETE = 152
INTERNAL = 255

EXIT_CODES = f"""exit codes:
  {OK:>3}  no violation; the search was exhaustive
  {DEADLOCK:>3}  deadlock          {INVARIANT:>3}  invariant violated
  {PROPERTY:>3}  transition or temporal property violated
  {EVALUATION:>3}  evaluation error during the search (a value left its domain, ...)
  {SPEC_ERROR:>3}  error in the spec  {CONFIG_ERROR:>3}  error on the command line or in a given file
  {INCOMPLETE:>3}  search cut short by a limit or timeout, nothing violated so far
  {INTERRUPTED:>3}  interrupted (Ctrl-C)   {INTERNAL:>3}  internal error (a bug in checkmodel)
    2  bad command-line syntax (argparse)"""

COMMANDS = ("check", "show", "replay", "table", "bmc", "prove", "report")


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in COMMANDS and not args[0].startswith("-"):
        args.insert(0, "check")
    parser = _parser()
    if not args:
        parser.print_help()
        return CONFIG_ERROR
    ns = parser.parse_args(args)
    run: Callable[[argparse.Namespace], int] = ns.run
    sources: dict[str, str] = {}
    ns.sources = sources
    try:
        return run(ns)
    except errors.SpecErrors as many:
        for error in many.errors:
            print(errors.render(error, _sources(error, sources)), file=sys.stderr)
        print(f"{len(many.errors)} error(s)", file=sys.stderr)
        codes = [CONFIG_ERROR if isinstance(e, errors.ConfigError) else SPEC_ERROR
                 for e in many.errors]
        return SPEC_ERROR if SPEC_ERROR in codes else CONFIG_ERROR
    except errors.ConfigError as error:
        print(errors.render(error, sources), file=sys.stderr)
        return CONFIG_ERROR
    except errors.SpecError as error:
        print(errors.render(error, _sources(error, sources)), file=sys.stderr)
        return CONFIG_ERROR if error.family is errors.ErrorFamily.INPUT else SPEC_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        return OK
    except Exception:  # a bug in checkmodel, not in the user's input: show everything
        import traceback
        traceback.print_exc()
        print("internal error: this is a bug in checkmodel; please report it with the spec",
              file=sys.stderr)
        return INTERNAL


def _sources(error: errors.SpecError, known: dict[str, str]) -> dict[str, str]:
    """Source text for the files an error points into (read on demand for parse errors)."""
    out = dict(known)
    for span in [error.span] + [n.span for n in error.notes]:
        if span is not None and span.file not in out and os.path.exists(span.file):
            with open(span.file, encoding="utf-8") as handle:
                out[span.file] = handle.read()
    return out


# ---------------------------------------------------------------- argument parsing


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checkmodel",
        description="A TLA+-style model checker. `checkmodel FILE.spec` explores every reachable "
                    "state breadth-first and checks the spec's invariants, transition properties "
                    "and deadlock, printing the shortest counterexample to each violation.",
        epilog="commands:\n"
               "  checkmodel FILE.spec [options]       check a spec (the same as `check`)\n"
               "  checkmodel show TRACE.itf.json       print a saved trace\n"
               "  checkmodel replay FILE.spec TRACE    check a saved trace against a spec\n"
               "  checkmodel table FILE.spec...        verdict table across specs\n"
               "  checkmodel bmc FILE.spec --depth K   bounded model checking with Z3\n"
               "  checkmodel prove FILE.spec           inductive proofs with Z3, for every value "
               "of the integer constants\n"
               "  checkmodel COMMAND --help            options of a command\n\n"
               "examples:\n"
               "  checkmodel specs/examples/diehard.spec\n"
               "  checkmodel specs/option1.spec --property LostNeverSuccess --trace-out t.itf.json\n"
               "  checkmodel specs/examples/twophase.spec --const 'RM={r1,r2,r3,r4}'\n\n"
               + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a spec", description="Check a spec by exhaustive "
                           "breadth-first search.", epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("spec", help="the .spec file")
    _add_model_options(check)
    limits = check.add_argument_group("search limits (a search cut short never exits 0)")
    limits.add_argument("--max-states", type=_count, metavar="N",
                        help="stop after N distinct states (1e6 is accepted)")
    limits.add_argument("--max-depth", type=_count, metavar="D",
                        help="explore only the first D BFS levels (initial states are level 1)")
    limits.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after SECONDS")
    check.add_argument("--engine", choices=("auto", "array", "tuple"), default="auto",
                       help="the explicit engine: `array` (whole BFS levels as packed arrays), "
                            "`tuple` (the reference), or `auto` (default: array where the spec "
                            "compiles to it, else tuple; the summary says which ran and why)")
    out = check.add_argument_group("output")
    out.add_argument("--continue", dest="keep_going", action="store_true", default=None,
                     help="keep searching after a violation, for a counterexample to every "
                          "property (a spec can make this its default with `continue on;`)")
    out.add_argument("--first", dest="keep_going", action="store_false",
                     help="stop at the first violation even if the spec says `continue on;`")
    out.add_argument("--trace-out", metavar="FILE",
                     help="write the counterexample as ITF JSON (with --continue, one file per "
                          "property: FILE with the property name inserted)")
    out.add_argument("--changed-only", action="store_true",
                     help="in traces, print only the variables that changed")
    out.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    out.add_argument("--msc", action="store_true",
                     help="also print each counterexample as a message sequence chart")
    out.add_argument("--coverage", action="store_true",
                     help="after the search, print how often each action fired (an action that "
                          "never fires makes verdicts about it vacuous)")
    out.add_argument("--dump-python", metavar="FILE", help="write the generated Python code")
    out.add_argument("--dump-graph", metavar="FILE",
                     help="write the explored state graph: .dot/.gv (Graphviz), .graphml, or a "
                          "figure (.svg/.png/.pdf) with the counterexample in red")
    out.add_argument("--graph-limit", type=_count, default=10_000, metavar="N",
                     help="refuse --dump-graph above N states (default 10,000)")
    check.set_defaults(run=_run_check)

    show = sub.add_parser("show", help="print a saved trace",
                          description="Print a trace saved with --trace-out (ITF JSON).")
    show.add_argument("trace", help="an .itf.json file")
    show.add_argument("--changed-only", action="store_true", help="print only changed variables")
    show.add_argument("--msc", action="store_true",
                      help="print a message sequence chart instead of the states")
    show.add_argument("--mermaid", metavar="FILE", help="write a Mermaid sequence diagram")
    show.add_argument("--svg", metavar="FILE", help="write the sequence chart as SVG")
    show.add_argument("--png", metavar="FILE", help="write the sequence chart as PNG")
    show.add_argument("--html", metavar="FILE",
                      help="write a self-contained HTML viewer (step through the states)")
    show.set_defaults(run=_run_show)

    replay = sub.add_parser("replay", help="check a saved trace against a spec",
                            description="Check that every step of a saved trace is a step of the "
                                        "spec; name the first one that is not.")
    replay.add_argument("spec")
    replay.add_argument("trace")
    _add_model_options(replay)
    replay.set_defaults(run=_run_replay)

    table = sub.add_parser("table", help="verdict table across specs",
                           description="Check several specs and print one row per spec, one "
                                       "column per property.")
    table.add_argument("specs", nargs="+")
    table.add_argument("--json", metavar="FILE", help="also write the table as JSON")
    table.set_defaults(run=_run_table)
    _add_smt_commands(sub)

    report = sub.add_parser("report", help="regenerate figures/ and PAPER.md's tables",
                            description="Run every check the design-review paper quotes and "
                                        "rewrite figures/ and the generated regions of PAPER.md "
                                        "(prose outside the markers is left alone).")
    report.add_argument("--config", default="report.toml", help="what to check and draw "
                        "(default: report.toml)")
    report.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any generated file is stale")
    report.set_defaults(run=_run_report)
    return parser


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument("--const", action="append", default=[], metavar="NAME=VALUE",
                   help="override a constant, e.g. --const N=4 --const 'Runs={r1,r2}'")
    g.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a design switch, e.g. --set fix1=true --set mode=validated")
    g.add_argument("--property", action="append", default=None, metavar="NAME",
                   help="check only this property (repeatable; `Deadlock` names the deadlock "
                        "check)")
    g.add_argument("--no-deadlock", action="store_true", help="do not report deadlocks")


def _count(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return int(value)


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    out = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise errors.ConfigError(errors.BAD_OVERRIDE,
                                     f"{flag} {item}: expected NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


# ---------------------------------------------------------------- commands


def _load(ns: argparse.Namespace):  # type: ignore[no-untyped-def]
    from checker import api
    try:
        return api.load_spec(ns.spec, _pairs(ns.const, "--const"), _pairs(ns.set, "--set"),
                             False if ns.no_deadlock else None)
    except (errors.SpecError, errors.SpecErrors):
        raise


def _run_check(ns: argparse.Namespace) -> int:
    from checker import api
    from checker.views import text as report_text
    spec = _load(ns)
    ns.sources.update(spec.sources)
    if ns.dump_python:
        from checker.explicit.compile import compile_spec
        with open(ns.dump_python, "w", encoding="utf-8") as handle:
            handle.write(compile_spec(spec).source)
    keep_going = spec.keep_going if ns.keep_going is None else ns.keep_going
    options = SearchOptions(max_states=ns.max_states, max_depth=ns.max_depth,
                            timeout=ns.timeout, keep_going=keep_going,
                            properties=frozenset(ns.property) if ns.property else None,
                            record_graph=bool(ns.dump_graph), engine=ns.engine)
    api.known_properties(spec, options.properties)
    progress = None if ns.quiet else _progress_printer(sys.stderr)
    print(report_text.header(spec), flush=True)
    result = api.check_spec(spec, options, progress)
    print(report_text.result(result, changed_only=ns.changed_only), end="")
    if ns.coverage:
        from checker.explicit import coverage
        rows = coverage.coverage(result.system, result.search.graph)
        print(coverage.format_text(rows))
    if ns.dump_graph:
        from checker.views import graph
        from checker.views import results as views
        try:
            print(views.dump_graph(result, ns.dump_graph, ns.graph_limit))
        except graph.GraphTooLarge as exc:
            print(f"checkmodel: --dump-graph {ns.dump_graph}: {exc}", file=sys.stderr)
            return CONFIG_ERROR
    if ns.msc and result.traces:
        from checker.views import msc
        from checker.views import msc_format
        for t in result.traces:
            print(msc_format.format_text(msc.build_chart(t)))
    if ns.trace_out and result.traces:
        from checker.views import explain
        for path, t in _trace_paths(ns.trace_out, explain.annotate(result)):
            trace_io.write_itf(t, path)
            print(f"Trace written to {path}")
    if result.search.error is not None:
        print(errors.render(result.search.error, spec.sources), file=sys.stderr)
        return EVALUATION
    if result.search.violations:
        first = result.search.violations[0].kind
        return {PropertyKind.DEADLOCK: DEADLOCK, PropertyKind.INVARIANT: INVARIANT}.get(first, PROPERTY)
    temporal = {t.status for t in result.temporal}
    if Status.VIOLATED in temporal:
        return PROPERTY
    if result.search.stopped == StopReason.INTERRUPTED:
        return INTERRUPTED
    if Status.UNKNOWN in temporal:
        return INCOMPLETE  # a liveness check that ran out of time
    return OK if result.search.complete else INCOMPLETE


def _trace_paths(base: str, traces: list[trace.Trace]) -> list[tuple[str, trace.Trace]]:
    if len(traces) == 1:
        return [(base, traces[0])]
    stem, dot, ext = base.partition(".")
    return [(f"{stem}.{t.property}{dot}{ext}", t) for t in traces]


def _progress_printer(stream: TextIO) -> Callable[[Progress], None]:
    def show(p: Progress) -> None:
        print(f"Progress: {p.generated:,} generated, {p.distinct:,} distinct, {p.queue:,} on "
              f"queue, depth {p.depth}, {p.rate:,.0f} distinct/s, {p.elapsed:.0f}s",
              file=stream, flush=True)
    return show


def _run_show(ns: argparse.Namespace) -> int:
    t = trace_io.read_itf(ns.trace)
    if t.property:
        print(f"Trace of {t.spec}: {t.kind or 'property'} {t.property} violated")
    from checker.views import results as views
    files = any((ns.mermaid, ns.svg, ns.png, ns.html))
    if t.explanation and not files:
        print("\n".join(t.explanation))
    if not ns.msc and not files:
        print(trace.format_text(t, changed_only=ns.changed_only), end="")
    for line in views.trace_views(t, ns.msc, ns.mermaid, ns.svg, ns.png, ns.html):
        print(line)
    return OK


def _run_replay(ns: argparse.Namespace) -> int:
    from checker.explicit.compile import compile_spec
    spec = _load(ns)
    ns.sources.update(spec.sources)
    t = trace_io.read_itf(ns.trace)
    try:
        states = trace_replay.replay(compile_spec(spec), t)
    except errors.SpecError as error:
        error.message = f"{ns.trace}: {error.message}"
        raise
    print(f"The trace ({len(states)} states) is a behaviour of {spec.path}.")
    return OK


def _run_table(ns: argparse.Namespace) -> int:
    from checker.report import table as verdict_table
    rows = verdict_table.run(ns.specs, on_spec=lambda p: print(f"checking {p} ...",
                                                                  file=sys.stderr, flush=True))
    print(verdict_table.format_text(rows))
    if ns.json:
        verdict_table.write_json(rows, ns.json)
    return OK if all(r.complete for r in rows) else INCOMPLETE


def _run_report(ns: argparse.Namespace) -> int:
    from checker.report import build as report
    from checker.report.config import load_config
    config = load_config(ns.config)
    outcome = report.run(config, check_only=ns.check,
                         log=lambda m: print(m, file=sys.stderr, flush=True))
    if not outcome.changed:
        print("report: everything is up to date")
        return OK
    verb = "stale" if ns.check else "written"
    for path in outcome.changed:
        print(f"{verb}: {path}")
    return 1 if ns.check else OK


def _add_smt_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    bmc = sub.add_parser("bmc", help="bounded model checking with Z3",
                         description="Look for the shortest violation within K steps with Z3 "
                                     "(k = 0, 1, ..., K). Every trace is replayed by the "
                                     "explicit semantics before it is shown. No violation "
                                     "within K steps is a bounded result.",
                         epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    bmc.add_argument("spec", help="the .spec file")
    bmc.add_argument("--depth", type=int, default=10, metavar="K",
                     help="the most steps a trace may take (default 10)")
    _add_model_options(bmc)
    bmc.add_argument("--continue", dest="keep_going", action="store_true", default=None,
                     help="after a violation, look for the shortest violation of every other "
                          "property (the default for a spec that says `continue on;`)")
    bmc.add_argument("--first", dest="keep_going", action="store_false",
                     help="stop at the first violation even if the spec says `continue on;`")
    bmc.add_argument("--timeout", type=float, metavar="SECONDS",
                     help="Z3's time limit per query (unknown: exit 152)")
    bmc.add_argument("--symbolic", action="store_true",
                     help="leave the integer constants symbolic, as prove does: find a "
                          "violation for any of their values")
    bmc.add_argument("--trace-out", metavar="FILE", help="write the counterexample as ITF JSON")
    bmc.add_argument("--changed-only", action="store_true",
                     help="in traces, print only the variables that changed")
    bmc.set_defaults(run=_run_bmc)

    prove = sub.add_parser("prove", help="inductive proofs with Z3",
                           description="Prove invariants and transition properties by "
                                       "induction (Init => Inv, Inv /\\ Next => Inv'), "
                                       "strengthened by the spec's `helper invariant`s, for "
                                       "every value of its integer constants (those not given "
                                       "with --const and not sizing the state). Exit 0 when "
                                       "everything is proved, 12/13 for a reachable "
                                       "counterexample, 152 when not inductive or unknown.",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    prove.add_argument("spec", help="the .spec file")
    _add_model_options(prove)
    prove.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help="Z3's time limit per proof obligation (default 60)")
    prove.add_argument("--helpers", action="append", default=[], metavar="FILE",
                       help="merge the declarations of FILE (helper invariants) into the spec, "
                            "as if it imported FILE (repeatable)")
    prove.add_argument("--trace-out", metavar="FILE",
                       help="write the counterexample to induction as ITF JSON")
    prove.add_argument("--changed-only", action="store_true",
                       help="in traces, print only the variables that changed")
    prove.set_defaults(run=_run_prove)


def _run_bmc(ns: argparse.Namespace) -> int:
    from typing import Mapping
    from checker import api
    from checker.ir import nodes as ir
    from checker.views import text as report_text
    from checker.smt import runner as smt
    consts, switches = _pairs(ns.const, "--const"), _pairs(ns.set, "--set")
    deadlock = False if ns.no_deadlock else None

    def load(extra: Mapping[str, str]) -> ir.Spec:
        return api.load_spec(ns.spec, {**consts, **extra}, switches, deadlock)

    spec = load({})
    ns.sources.update(spec.sources)
    wanted = frozenset(ns.property) if ns.property else None
    api.known_properties(spec, wanted)
    print(report_text.header(spec), flush=True)
    keep_going = spec.keep_going if ns.keep_going is None else ns.keep_going
    result = smt.bmc(spec, ns.depth, wanted, keep_going=keep_going,
                     check_deadlock=not ns.no_deadlock, timeout=ns.timeout,
                     symbolic=load if ns.symbolic else None)
    print(smt.bmc_text(result, changed_only=ns.changed_only), end="")
    if ns.trace_out and result.violations:
        traces = [v.trace for v in result.violations]
        for path, t in _trace_paths(ns.trace_out, traces):
            trace_io.write_itf(t, path)
            print(f"Trace written to {path}")
    return smt.bmc_exit_code(result)


def _run_prove(ns: argparse.Namespace) -> int:
    from typing import Mapping
    from checker import api
    from checker.ir import nodes as ir
    from checker.views import text as report_text
    from checker.smt import runner as smt
    consts, switches = _pairs(ns.const, "--const"), _pairs(ns.set, "--set")
    deadlock = False if ns.no_deadlock else None

    def load(extra: Mapping[str, str]) -> ir.Spec:
        return api.load_spec(ns.spec, {**consts, **extra}, switches, deadlock, ns.helpers)

    spec = load({})
    ns.sources.update(spec.sources)
    if ns.property:
        api.known_properties(spec, frozenset(ns.property))
    print(report_text.header(spec), flush=True)
    report = smt.prove(spec, ns.property, timeout=ns.timeout, reload=load)
    print(smt.prove_text(report, changed_only=ns.changed_only), end="")
    traces = [r.counterexample.trace for r in report.results if r.counterexample is not None]
    if ns.trace_out and traces:
        for path, t in _trace_paths(ns.trace_out, traces):
            trace_io.write_itf(t, path)
            print(f"Trace written to {path}")
    return smt.prove_exit_code(report)
