"""`checkmodel show` (print or draw a saved trace) and `checkmodel replay` (check a saved trace
against a spec)."""

from __future__ import annotations

import argparse
from typing import Callable

from checker import errors
from checker.commands import output
from checker.commands.common import load
from checker.commands.exits import ExitCode
from checker.commands.options import Shared, output_width
from checker.trace import replay as trace_replay
from checker.trace import trace
from checker.trace.trace import Trace
from checker.views import msc, msc_format, results
from checker.views.msc import Chart


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    show = sub.add_parser("show", help="print a saved trace", parents=[shared.reporting],
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
    files = {"--mermaid": ns.mermaid, "--svg": ns.svg, "--png": ns.png, "--html": ns.html}
    for flag, path in files.items():
        output.prepare(flag, path)
    t = output.read_trace(ns.trace)
    if not t.steps:
        raise errors.ConfigError(errors.BAD_TRACE_FILE, f"{ns.trace}: the trace has no states")
    if t.property:
        print(f"Trace of {t.spec}: {t.kind or 'property'} {t.property} violated")
    writing = any(files.values())
    if t.explanation and not writing:
        print("\n".join(t.explanation))
    if not ns.msc and not writing:
        print(trace.fold_state_lines(trace.format_text(t, changed_only=ns.changed_only),
                                     output_width(ns)), end="")
    chart = msc.build_chart(t)
    if ns.msc:
        print(msc_format.format_text(chart, output_width(ns)).rstrip("\n"))
    writes = output.Writes()
    for flag, path in files.items():
        if path:
            with writes.guard(flag, path):
                print(_WRITERS[flag](t, chart, path))
    return ExitCode.CONFIG_ERROR if writes.failed else ExitCode.OK


_WRITERS: dict[str, Callable[[Trace, Chart, str], str]] = {
    "--mermaid": lambda t, chart, path: results.write_mermaid(chart, path),
    "--svg": lambda t, chart, path: results.write_chart_figure(chart, path),
    "--png": lambda t, chart, path: results.write_chart_figure(chart, path),
    "--html": lambda t, chart, path: results.write_viewer(t, path),
}


def run_replay(ns: argparse.Namespace) -> ExitCode:
    from checker.explicit.compile import compile_spec
    spec = load(ns)
    t = output.read_trace(ns.trace)
    system = compile_spec(spec)
    try:
        states = trace_replay.replay(system, t)
    except errors.SpecError as error:
        error.message = f"{ns.trace}: {error.message}"
        raise
    print(f"The trace ({len(states)} states) is a behaviour of {spec.path}.")
    if any(s.action is None and s.action_name is None for s in t.steps[1:]):  # Apalache writes none
        print("Its steps are these actions of the spec:")
        for k, (a, b) in enumerate(zip(states, states[1:]), start=2):
            print(f"  State {k}: <{system.label_text(system.label_between(a, b))}>")
    return ExitCode.OK
