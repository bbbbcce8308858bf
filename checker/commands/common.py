"""What the command bodies share: loading the spec named on the command line."""

from __future__ import annotations

import argparse
from checker import api
from checker.ir import nodes as ir
from checker.commands.options import pairs


def load(ns: argparse.Namespace) -> ir.Spec:
    """The spec of `ns.spec` with the `--const`/`--set`/`--no-deadlock` overrides; its sources
    are kept for the error messages of `checker.cli`."""
    spec = api.load_spec(ns.spec, pairs(ns.const, "--const"), pairs(ns.set, "--set"),
                         False if ns.no_deadlock else None)
    ns.sources.update(spec.sources)
    return spec
