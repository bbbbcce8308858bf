"""The options several commands share, declared once as argparse parent parsers, and the value
types of the command line."""

from __future__ import annotations

import argparse
import shutil
import sys
import math
from dataclasses import dataclass
from typing import Optional

from checker import errors


@dataclass(frozen=True)
class Shared:
    """Parent parsers: a command lists the groups it takes in `parents=`."""

    model: argparse.ArgumentParser  # the spec file and how to instantiate it
    keep_going: argparse.ArgumentParser  # --continue / --first
    traces: argparse.ArgumentParser  # --trace-out, --changed-only
    reporting: argparse.ArgumentParser  # --quiet, --width
    json: argparse.ArgumentParser  # --json


def shared() -> Shared:
    return Shared(model=_model(), keep_going=_keep_going(), traces=_traces(),
                  reporting=_reporting(), json=_json())


def _model() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("spec", help="the .spec file")
    g = p.add_argument_group("model")
    g.add_argument("--const", action="append", default=[], metavar="NAME=VALUE",
                   help="override a constant, e.g. --const N=4 --const 'Runs={r1,r2}'")
    g.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a design switch, e.g. --set fix1=true --set mode=validated")
    g.add_argument("--property", action="append", default=None, metavar="NAME",
                   help="check only this property (repeatable; `Deadlock` names the deadlock "
                        "check)")
    g.add_argument("--no-deadlock", action="store_true", help="do not report deadlocks")
    return p


def _keep_going() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("violations")
    g.add_argument("--continue", dest="keep_going", action="store_true", default=None,
                   help="after a violation, look for a counterexample to every other property "
                        "(a spec can make this its default with `continue on;`)")
    g.add_argument("--first", dest="keep_going", action="store_false",
                   help="stop at the first violation even if the spec says `continue on;`")
    return p


def _traces() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("traces")
    g.add_argument("--trace-out", metavar="FILE",
                   help="write the counterexample as ITF JSON (with several, one file per "
                        "property: FILE with the property name inserted before the extension)")
    g.add_argument("--changed-only", action="store_true",
                   help="in traces, print only the variables that changed")
    return p


def _reporting() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("reporting")
    g.add_argument("--quiet", action="store_true",
                   help="no progress lines on stderr; `check` prints only the verdicts and the "
                        "summary")
    g.add_argument("--width", type=nonnegative, metavar="N",
                   help="fit sequence charts and tables in N columns and fold longer state "
                        f"lines (default: the terminal's width; {DEFAULT_WIDTH} when the output "
                        "is not a terminal; 0: never fold)")
    return p


DEFAULT_WIDTH = 100  # a CI log, a pipe, a file


def _json() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument_group("reporting").add_argument(
        "--json", action="store_true",
        help="print one JSON document instead of text (typed verdicts, counts, timings, the "
             "engine; docs/results.schema.json); no progress lines")
    return p


def output_width(ns: argparse.Namespace) -> Optional[int]:
    """The columns the output should fit: `--width`, else the terminal's; None: no limit."""
    given: Optional[int] = getattr(ns, "width", None)
    if given is not None:
        return given or None
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def count(text: str) -> int:
    """A positive whole number; `1e6` is accepted. Anything else is a command-line error (151)."""
    value = _number(text)
    if value < 1 or value != int(value):
        raise _bad_value(f"expected a positive whole number, got {text}")
    return int(value)


def workers(text: str) -> int:
    """`--workers`: a number of processes from 1 to four per CPU."""
    from checker.explicit.array.parallel import max_workers
    most = max_workers()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value) or not 1 <= value <= most:
        raise _bad_value(f"--workers: expected a whole number from 1 to {most} (four per CPU), "
                         f"got {text}")
    return int(value)


def nonnegative(text: str) -> int:
    """A whole number >= 0 (a BMC depth)."""
    value = _number(text)
    if value < 0 or value != int(value):
        raise _bad_value(f"expected a whole number >= 0, got {text}")
    return int(value)


def seconds(text: str) -> float:
    """A finite number of seconds >= 0."""
    value = _number(text)
    if value < 0:
        raise _bad_value(f"expected a number of seconds >= 0, got {text}")
    return value


def megabytes(text: str) -> int:
    """A memory size: a positive whole number of megabytes, or with a unit (`512M`, `4G`)."""
    units = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}
    scale = units.get(text.strip()[-1:].upper(), 0)
    value = _number(text.strip()[:-1] if scale else text) * (scale or 1)
    if value < 1:
        raise _bad_value(f"expected a memory size of at least 1M, got {text}")
    return int(value)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad_value(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise _bad_value(f"expected a finite number, got {text}")
    return value


def _bad_value(message: str) -> errors.ConfigError:
    """A ConfigError escapes argparse's own handling (exit 2), so `cli` reports it as 151."""
    return errors.ConfigError(errors.BAD_VALUE, message)


def pairs(items: list[str], flag: str) -> dict[str, str]:
    """`--const N=4 --const M=2` as {"N": "4", "M": "2"}."""
    out = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise errors.ConfigError(errors.BAD_OVERRIDE, f"{flag} {item}: expected NAME=VALUE")
        out[name.strip()] = value.strip()
    return out
