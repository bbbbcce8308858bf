"""What the command bodies share: loading the spec named on the command line, and saving traces."""

from __future__ import annotations

import argparse
from typing import Sequence

from checker import api
from checker.ir import nodes as ir
from checker.trace import io as trace_io
from checker.trace.trace import Trace
from checker.commands.options import pairs


def load(ns: argparse.Namespace) -> ir.Spec:
    """The spec of `ns.spec` with the `--const`/`--set`/`--no-deadlock` overrides; its sources
    are kept for the error messages of `checker.cli`."""
    spec = api.load_spec(ns.spec, pairs(ns.const, "--const"), pairs(ns.set, "--set"),
                         False if ns.no_deadlock else None)
    ns.sources.update(spec.sources)
    return spec


def trace_paths(base: str, traces: Sequence[Trace]) -> list[tuple[str, Trace]]:
    if len(traces) == 1:
        return [(base, traces[0])]
    stem, dot, ext = base.partition(".")
    return [(f"{stem}.{t.property}{dot}{ext}", t) for t in traces]


def write_traces(base: str, traces: Sequence[Trace]) -> None:
    for path, t in trace_paths(base, traces):
        trace_io.write_itf(t, path)
        print(f"Trace written to {path}")
