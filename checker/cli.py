"""The `checkmodel` command: the only place that turns exceptions into diagnostics and exit codes.

The commands (arguments and bodies) live in `checker.commands`; each returns an `ExitCode` from
the one table in `checker.commands.exits`. A new command is a module with `declare(sub, shared)`
added to `COMMANDS`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from importlib import metadata
from typing import Callable, Optional, Sequence

from checker import errors
from checker.commands import check, export, resources, review, symbolic, traces
from checker.commands.exits import EXIT_CODES, ExitCode
from checker.commands.options import Shared, shared
from checker.explicit.search import Deadline

# The order of `checkmodel --help`.
COMMANDS: tuple[Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", Shared], None],
                ...] = (check.declare, traces.declare, review.declare, symbolic.declare,
                        export.declare)
DEFAULT_COMMAND = check.NAME


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser, commands = build_parser()
    args = _with_command(list(sys.argv[1:] if argv is None else argv), commands)
    if not args:
        parser.print_help()
        return ExitCode.CONFIG_ERROR
    try:
        ns = parser.parse_args(args)
    except errors.ConfigError as error:  # a value an option's type refused (options.py)
        print(f"checkmodel: {errors.render(error, {})}", file=sys.stderr)
        return ExitCode.CONFIG_ERROR
    ns.sources = {}
    resources.terminate_as_interrupt()
    return int(_run(ns.run, ns))


def _with_command(args: list[str], commands: frozenset[str]) -> list[str]:
    """`checkmodel FILE.spec ...` and `checkmodel --max-states 5 FILE.spec` mean `check`."""
    if not args or args[0] in commands or args[0] in _TOP_LEVEL:
        return args
    return [DEFAULT_COMMAND, *args]


_TOP_LEVEL = ("-h", "--help", "--version")


def _run(run: Callable[[argparse.Namespace], ExitCode], ns: argparse.Namespace) -> ExitCode:
    sources: dict[str, str] = ns.sources
    try:
        return run(ns)
    except errors.SpecErrors as many:
        for error in many.errors:
            print(errors.render(error, _sources(error, sources)), file=sys.stderr)
        print(f"{len(many.errors)} error(s)", file=sys.stderr)
        codes = {_code_of(e) for e in many.errors}
        return ExitCode.SPEC_ERROR if ExitCode.SPEC_ERROR in codes else ExitCode.CONFIG_ERROR
    except errors.SpecError as error:
        print(errors.render(error, _sources(error, sources)), file=sys.stderr)
        return _code_of(error)
    except KeyboardInterrupt:
        print("interrupted (Ctrl-C or SIGTERM) before a result was complete", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except ctypes.ArgumentError as exc:  # a signal while ctypes converted a Z3 call's argument
        if "KeyboardInterrupt" not in str(exc):
            raise
        print("interrupted (Ctrl-C or SIGTERM) before a result was complete", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Deadline:  # the timer of --timeout, outside a search (initial states, liveness)
        print("Model checking INCOMPLETE: the --timeout was reached before the search finished "
              "(while computing initial states or checking liveness)", file=sys.stderr)
        return ExitCode.INCOMPLETE
    except MemoryError:
        print("error: out of memory; bound the model (--max-states, a `constraint`, smaller "
              "constants) or raise --memory-limit", file=sys.stderr)
        return ExitCode.INCOMPLETE
    except RecursionError:
        print(f"error[{errors.TOO_DEEP}]: the spec nests too deeply for checkmodel (see E103 in "
              "docs/errors.md); name parts of deep expressions with `def`s", file=sys.stderr)
        return ExitCode.SPEC_ERROR
    except Exception:  # a bug in checkmodel, not in the user's input: show everything
        import traceback
        traceback.print_exc()
        print("internal error: this is a bug in checkmodel; please report it with the spec",
              file=sys.stderr)
        return ExitCode.INTERNAL


def _code_of(error: errors.SpecError) -> ExitCode:
    """An error in the spec (150), or on the command line or in a given file (151)."""
    if isinstance(error, errors.ConfigError) or error.family is errors.ErrorFamily.INPUT:
        return ExitCode.CONFIG_ERROR
    if isinstance(error, errors.EvaluationError):  # found while computing states, not a typo
        return ExitCode.EVALUATION
    return ExitCode.SPEC_ERROR


def _sources(error: errors.SpecError, known: dict[str, str]) -> dict[str, str]:
    """Source text for the files an error points into (read on demand for parse errors)."""
    out = dict(known)
    for span in [error.span] + [n.span for n in error.notes]:
        if span is not None and span.file not in out and os.path.exists(span.file):
            with open(span.file, "rb") as handle:  # E102 points into a file that is not UTF-8
                text = handle.read().decode("utf-8-sig", errors="replace")
            if "\x00" not in text:  # UTF-16 or binary: no excerpt
                out[span.file] = text
    return out


def build_parser() -> tuple[argparse.ArgumentParser, frozenset[str]]:
    """The parser, and the names of its commands."""
    parser = argparse.ArgumentParser(
        prog="checkmodel",
        description="A TLA+-style model checker. `checkmodel FILE.spec` explores every reachable "
                    "state breadth-first and checks the spec's invariants, transition properties "
                    "and deadlock, printing the shortest counterexample to each violation.",
        epilog=_EPILOG + EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"checkmodel {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    options = shared()
    for declare in COMMANDS:
        declare(sub, options)
    return parser, frozenset(sub.choices)


def _version() -> str:
    try:
        return metadata.version("checkmodel")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "(not installed)"


_EPILOG = """commands:
  checkmodel FILE.spec [options]       check a spec (the same as `check`)
  checkmodel show TRACE.itf.json       print a saved trace
  checkmodel replay FILE.spec TRACE    check a saved trace against a spec
  checkmodel table FILE.spec...        verdict table across specs
  checkmodel bmc FILE.spec --depth K   bounded model checking with Z3
  checkmodel prove FILE.spec           inductive proofs with Z3, for every value of the integer \
constants
  checkmodel report                    regenerate figures/ and PAPER.md's tables
  checkmodel export --tla FILE.spec    write the spec as a TLA+ module and TLC config
  checkmodel COMMAND --help            options of a command

examples:
  checkmodel specs/examples/diehard.spec
  checkmodel specs/option1.spec --property NoDirectLostToSuccess --trace-out t.itf.json
  checkmodel specs/examples/twophase.spec --const 'RM={r1,r2,r3,r4}'

"""
