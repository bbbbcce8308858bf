"""`checkmodel show` (print or draw a saved trace) and `checkmodel replay` (check a saved trace
against a spec)."""

from __future__ import annotations

import argparse

from checker import errors
from checker.commands.common import load
from checker.commands.exits import ExitCode
from checker.commands.options import Shared
from checker.trace import io as trace_io
from checker.trace import replay as trace_replay
from checker.trace import trace


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
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
    show.set_defaults(run=run_show)

    replay = sub.add_parser("replay", help="check a saved trace against a spec",
                            parents=[shared.model],
                            description="Check that every step of a saved trace is a step of the "
                                        "spec; name the first one that is not.")
    replay.add_argument("trace", help="an .itf.json file")
    replay.set_defaults(run=run_replay)


def run_show(ns: argparse.Namespace) -> ExitCode:
    from checker.views import results
    t = trace_io.read_itf(ns.trace)
    if t.property:
        print(f"Trace of {t.spec}: {t.kind or 'property'} {t.property} violated")
    files = any((ns.mermaid, ns.svg, ns.png, ns.html))
    if t.explanation and not files:
        print("\n".join(t.explanation))
    if not ns.msc and not files:
        print(trace.format_text(t, changed_only=ns.changed_only), end="")
    for line in results.trace_views(t, ns.msc, ns.mermaid, ns.svg, ns.png, ns.html):
        print(line)
    return ExitCode.OK


def run_replay(ns: argparse.Namespace) -> ExitCode:
    from checker.explicit.compile import compile_spec
    spec = load(ns)
    t = trace_io.read_itf(ns.trace)
    try:
        states = trace_replay.replay(compile_spec(spec), t)
    except errors.SpecError as error:
        error.message = f"{ns.trace}: {error.message}"
        raise
    print(f"The trace ({len(states)} states) is a behaviour of {spec.path}.")
    return ExitCode.OK
