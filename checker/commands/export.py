"""`checkmodel export --tla FILE.spec`: write the spec as a TLA+ module and a TLC config."""

from __future__ import annotations

import argparse
import os

from checker.commands import output
from checker.commands.common import load
from checker.commands.exits import ExitCode
from checker.commands.options import Shared
from checker.views import tla

NAME = "export"


def declare(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", shared: Shared) -> None:
    export = sub.add_parser(
        NAME, help="write the spec as a TLA+ module and TLC config", parents=[shared.model],
        description="Write MODULE.tla and MODULE.cfg (MODULE: the spec's module name) with the "
                    "same variables, initial states, actions, fairness and properties, to "
                    "cross-check the spec with TLC or Apalache (docs/tla.md).")
    export.add_argument("--tla", action="store_true", required=True,
                        help="export to TLA+ (the only format)")
    export.add_argument("--out", metavar="DIR", default=".",
                        help="the directory to write into (default: the current one)")
    export.set_defaults(run=run_export)


def run_export(ns: argparse.Namespace) -> ExitCode:
    spec = load(ns)
    module = tla.export(spec)
    paths = {ext: os.path.join(ns.out, f"{module.name}.{ext}") for ext in ("tla", "cfg")}
    for path in paths.values():
        output.prepare("--out", path)
    writes = output.Writes()
    for ext, text in (("tla", module.module), ("cfg", module.config)):
        with writes.guard("--out", paths[ext]):
            with open(paths[ext], "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"Wrote {paths[ext]}")
    return ExitCode.CONFIG_ERROR if writes.failed else ExitCode.OK
