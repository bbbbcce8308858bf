"""The exit codes of `checkmodel` (TLC's numbering where TLC has one), and the one table from
verdicts to exit codes used by every command."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Iterable

from checker.ir.kinds import ProofStatus, PropertyKind, Status, StopReason

if TYPE_CHECKING:  # the result types only; importing the engines (and Z3) waits until they run
    from checker.explicit.check import CheckResult
    from checker.smt.bmc import BmcResult
    from checker.smt.proof_report import ProveReport


class ExitCode(IntEnum):
    OK = 0
    STALE = 1  # `report`: a claim of the paper the data does not confirm; --check: a stale file
    USAGE = 2  # argparse: bad command-line syntax
    DEADLOCK = 11
    INVARIANT = 12
    PROPERTY = 13  # a transition or temporal property
    EVALUATION = 75  # an evaluation error during the search
    INTERRUPTED = 130
    SPEC_ERROR = 150
    CONFIG_ERROR = 151  # the command line or a given file (a trace, a config, an output path)
    INCOMPLETE = 152  # a search or proof cut short, nothing violated so far
    INTERNAL = 255


EXIT_CODES = f"""exit codes:
  {ExitCode.OK:>3}  no violation; the search was exhaustive
  {ExitCode.DEADLOCK:>3}  deadlock          {ExitCode.INVARIANT:>3}  invariant violated
  {ExitCode.PROPERTY:>3}  transition or temporal property violated, or a `reachable` state unreachable
  {ExitCode.EVALUATION:>3}  evaluation error during the search (a value left its domain, ...)
  {ExitCode.SPEC_ERROR:>3}  error in the spec  {ExitCode.CONFIG_ERROR:>3}  error on the command \
line or in a given file
  {ExitCode.INCOMPLETE:>3}  search cut short by a limit or timeout, nothing violated so far
  {ExitCode.INTERRUPTED:>3}  interrupted (Ctrl-C)   {ExitCode.INTERNAL:>3}  internal error (a bug \
in checkmodel)
    {ExitCode.USAGE}  bad command-line syntax (argparse)"""


def worst(codes: Iterable[ExitCode]) -> ExitCode:
    """The code of the most serious outcome among several (a table of specs, say): a violation
    before an evaluation error, before an interrupted or incomplete search, before success."""
    order = (ExitCode.INVARIANT, ExitCode.PROPERTY, ExitCode.DEADLOCK, ExitCode.EVALUATION,
             ExitCode.INTERRUPTED, ExitCode.INCOMPLETE, ExitCode.OK)
    present = set(codes)
    return next((code for code in order if code in present), ExitCode.OK)


# ---------------------------------------------------------------- verdicts to exit codes

_VIOLATION = {PropertyKind.DEADLOCK: ExitCode.DEADLOCK, PropertyKind.INVARIANT: ExitCode.INVARIANT,
              PropertyKind.TRANSITION: ExitCode.PROPERTY, PropertyKind.TEMPORAL: ExitCode.PROPERTY,
              PropertyKind.EVALUATION: ExitCode.EVALUATION}


def of_violation(kind: PropertyKind) -> ExitCode:
    """The exit code of a violated property of this kind."""
    return _VIOLATION.get(kind, ExitCode.PROPERTY)


def of_check(result: CheckResult) -> ExitCode:
    """`checkmodel check`: the first violation found, else how the search ended."""
    if result.search.error is not None:
        return ExitCode.EVALUATION
    if result.search.violations:
        return of_violation(result.search.violations[0].kind)
    temporal = {t.status for t in result.temporal}
    if Status.VIOLATED in temporal or any(w.status == Status.UNREACHABLE
                                          for w in result.witnesses):
        return ExitCode.PROPERTY  # a temporal property violated, or no witness exists
    if interrupted(result):
        return ExitCode.INTERRUPTED
    if Status.UNKNOWN in temporal:
        return ExitCode.INCOMPLETE  # a liveness check that ran out of time
    return ExitCode.OK if result.search.complete else ExitCode.INCOMPLETE


def interrupted(result: CheckResult) -> bool:
    """Ctrl-C (or SIGTERM) stopped the search or the liveness check."""
    return result.search.stopped == StopReason.INTERRUPTED or any(t.interrupted
                                                                  for t in result.temporal)


def of_bmc(result: BmcResult) -> ExitCode:
    """`checkmodel bmc`: the first violation found, else OK only if every depth was decided."""
    if result.violations:
        return of_violation(result.violations[0].kind)
    if result.interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.OK if result.complete else ExitCode.INCOMPLETE


def of_prove(report: ProveReport) -> ExitCode:
    """`checkmodel prove`: a reachable counterexample, else OK only if everything is proved."""
    violated = [r.target.kind for r in report.results if r.status == ProofStatus.VIOLATED]
    if violated:
        return worst(of_violation(kind) for kind in violated)
    if report.errors is not None and report.errors.status == ProofStatus.VIOLATED:
        return ExitCode.EVALUATION
    if report.interrupted:
        return ExitCode.INTERRUPTED
    everything = all(r.status == ProofStatus.PROVED for r in report.results) and (
        report.errors is None or report.errors.status == ProofStatus.PROVED)
    return ExitCode.OK if everything else ExitCode.INCOMPLETE
