"""`checkmodel bmc` and `checkmodel prove` results as text (the Z3 side: `checker.smt`).

BMC: each shortest violation with its trace, then every property's bound. Prove: the symbolic
and fixed constants, each property's obligations and counterexample (with what the explicit
checker says about it), and whether evaluation errors are excluded.
"""

from __future__ import annotations

from typing import Optional

from checker.ir.kinds import ObligationKind, ProofStatus, PropertyKind, Status
from checker.smt.bmc import BmcResult
from checker.smt.limits import Limit, Limits
from checker.smt.proof_report import (Counterexample, ErrorCheck, Obligation, ProofResult,
                                      ProveReport)
from checker.trace import trace

_TITLES = {PropertyKind.INVARIANT: "Invariant {} is violated.",
           PropertyKind.TRANSITION: "Action property {} is violated.",
           PropertyKind.DEADLOCK: "Deadlock reached.",
           PropertyKind.EVALUATION: "Evaluation error."}


# ---------------------------------------------------------------- bmc


def bmc_text(result: BmcResult, changed_only: bool = False) -> str:
    lines: list[str] = []
    docs = {p.name: p.doc for p in result.spec.properties}
    for v in result.violations:
        lines.append("")
        lines.append("Error: " + _TITLES[v.kind].format(v.name))
        if docs.get(v.name):
            lines.append(f'  "{docs[v.name]}"')
        if v.detail:
            lines.append(f"  {v.detail}")
        if v.constants:
            lines.append("  with " + ", ".join(f"{n} = {x}" for n, x in v.constants.items()))
        lines.append(f"Found by Z3 with {_plural(len(v.states) - 1, 'step')} (no shorter "
                     "violation exists); the trace was replayed by the explicit semantics.")
        lines.append("The behavior up to this point is:")
        lines.append(trace.format_text(v.trace, changed_only=changed_only).rstrip())
    return "\n".join(lines) + "\n" + bmc_verdicts(result)


def bmc_verdicts(result: BmcResult) -> str:
    """Each property's verdict and the summary (all that `--quiet` prints)."""
    lines = [""]
    lines.append(f"Properties (BMC to depth {result.depth}: behaviours of up to "
                 f"{_plural(result.depth, 'step')}, traces of up to "
                 f"{_plural(result.depth + 1, 'state')}):")
    found = {v.name: v for v in result.violations}
    width = max((len(n) for n in result.checked), default=0)
    others = others_bound(result)
    for name in result.checked:
        if name in found:
            text = f"VIOLATED (trace of {len(found[name].states)} states)"
        elif others >= 0:
            text = f"no violation within {_plural(others, 'step')}"
        else:
            text = Status.NOT_CHECKED
        lines.append(f"  {name:<{width}}  {text}")
    if result.symbolic:
        lines.append(f"  (symbolic constants: {', '.join(result.symbolic)}; every value within "
                     "their ranges was considered)")
    temporal = [p.name for p in result.spec.properties if p.kind == PropertyKind.TEMPORAL]
    if temporal:
        lines.append(f"  (temporal properties are not checked by bmc: {', '.join(temporal)})")
    witnesses = [p.name for p in result.spec.properties if p.kind == PropertyKind.REACHABLE]
    if witnesses:
        lines.append(f"  (reachable properties are not checked by bmc: {', '.join(witnesses)})")
    lines.append("")
    lines.append(_bmc_summary(result))
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _encoding(result: BmcResult) -> str:
    if result.width is None:
        return "Z3 encoding: integers (some value has no bound that fits 62 bits)"
    return f"Z3 encoding: bit-vectors of {result.width} bits (no operation can overflow)"


def _stopped_early(result: BmcResult) -> bool:
    """Whether the search ended at the depth of a violation, before looking at the other
    properties there (at the first violation without --continue, or at an evaluation error)."""
    return bool(result.violations) and (
        not result.kept_going or result.violations[-1].kind == PropertyKind.EVALUATION)


def others_bound(result: BmcResult) -> int:
    """The steps within which the properties not found violated are known to hold."""
    return result.reached - 1 if _stopped_early(result) else result.reached


def _bmc_summary(result: BmcResult) -> str:
    violated = [v for v in result.violations if v.kind != PropertyKind.EVALUATION]
    if result.interrupted:
        status = (f"BMC INTERRUPTED (Ctrl-C or SIGTERM) at depth {result.reached + 1}: every "
                  f"behaviour of up to {_plural(result.reached, 'step')} was looked at.")
    elif result.unfinished is not None:
        status = (f"BMC INCOMPLETE: depth {result.reached + 1} is unfinished "
                  f"({_limit_text(result.unfinished, result.limit, result.limits)}).")
    elif result.violations and result.violations[-1].kind == PropertyKind.EVALUATION:
        status = (f"BMC stopped at an evaluation error after "
                  f"{_plural(result.reached, 'step')} (an error ends every behaviour through "
                  "it).")
    elif result.violations and not result.kept_going:
        status = (f"BMC stopped at the first violation, after {_plural(result.reached, 'step')} "
                  "(--continue looks for the shortest violation of every other property).")
    elif result.violations:
        left = len(result.checked) - len(violated)
        status = (f"BMC looked for the shortest violation of every property: "
                  f"{len(violated)} violated"
                  + (f", {left} without a violation within {_plural(result.reached, 'step')} "
                     "(a bounded result)." if left else "."))
    else:
        status = (f"No violation within {_plural(result.reached, 'step')}. This is a bounded "
                  "result: "
                  "longer behaviours were not examined (checkmodel check explores them all).")
    return f"{status}\n{_encoding(result)}.\nFinished in {result.elapsed:.2f}s."


# ---------------------------------------------------------------- prove


def prove_verdicts(report: ProveReport) -> str:
    """Each property's status and the summary (all that `--quiet` prints)."""
    lines = [_result_head(r) for r in report.results]
    if report.errors is not None:
        lines.append(f"No evaluation errors: {report.errors.status}")
    return "\n".join(["", *lines, "", *_prove_summary(report)]) + "\n"


def prove_text(report: ProveReport, changed_only: bool = False) -> str:
    lines = [_constants_line(report)]
    helpers = [p.name for p in report.spec.properties if p.kind == PropertyKind.INVARIANT and p.helper]
    lines.append(f"  helper invariants: {', '.join(helpers) if helpers else '(none)'}")
    for r in report.results:
        lines.append("")
        lines += _result_lines(r, report, changed_only)
    if report.errors is not None:
        lines.append("")
        lines += _errors_lines(report.errors, report, changed_only)
    lines.append("")
    lines += _prove_summary(report)
    return "\n".join(lines) + "\n"


def _prove_summary(report: ProveReport) -> list[str]:
    lines = []
    counts = {s: sum(1 for r in report.results if r.status == s)
              for s in (ProofStatus.PROVED, ProofStatus.VIOLATED, ProofStatus.NOT_PROVED,
                        ProofStatus.NOT_INDUCTIVE, ProofStatus.UNKNOWN)}
    lines.append(", ".join(f"{n} {s.lower()}" for s, n in counts.items() if n)
                 + f" ({len(report.results)} properties)." if report.results
                 else "No proof was finished." if report.interrupted
                 else "No invariant or transition property to prove.")
    if report.interrupted:
        left = report.not_finished()
        parts = ["the proofs above were finished"] if report.results else []
        parts += [f"not finished: {', '.join(left)}"] if left else []
        parts += ["no evaluation errors: not checked"] if report.errors is None else []
        lines.append(f"INTERRUPTED (Ctrl-C or SIGTERM): {'; '.join(parts)}.")
    unfinished = report.unfinished()
    if unfinished:
        lines.append(f"INCOMPLETE: the time limit ({report.limits.seconds:g}s for the whole "
                     "proof) was reached; unfinished: "
                     + "; ".join(f"{name} ({', '.join(o.name for o in found)})"
                                 for name, found in unfinished) + ".")
    lines.append(f"Finished in {report.seconds:.2f}s ({_limits_text(report.limits)}).")
    return lines


def _limits_text(limits: Limits) -> str:
    parts = [] if limits.seconds is None else [f"time limit {limits.seconds:g}s in all"]
    if limits.query_seconds is not None:
        parts.append(f"time limit {limits.query_seconds:g}s per query")
    if limits.rlimit is not None:
        parts.append(f"work limit {_plural(limits.rlimit, 'unit')} per query")
    return "Z3: " + ", ".join(parts) if parts else "no limit on Z3"


def _limit_text(unfinished: str, limit: Optional[Limit], limits: Limits) -> str:
    """Why a query is unfinished, with the size of the limit that ended it."""
    if limit == Limit.WORK:
        return f"{unfinished}: {_plural(limits.rlimit or 0, 'unit')} of Z3 work per query"
    if limit == Limit.QUERY_TIME:
        return f"{unfinished}: {limits.query_seconds:g}s"
    if limit == Limit.DEADLINE:
        return f"{unfinished}: {limits.seconds:g}s in all"
    return unfinished


def _obligation_line(o: Obligation, report: ProveReport) -> str:
    extra = "" if o.unfinished is None else \
        f" ({_limit_text(o.unfinished, o.limit, report.limits)})"
    return f"  {o.name:<18} {o.status}{extra} in {o.seconds:.2f}s"


def _errors_lines(check: ErrorCheck, report: ProveReport, changed_only: bool) -> list[str]:
    lines = [f"No evaluation errors: {check.status} in {check.seconds:.2f}s"]
    if check.assumed:
        lines.append(f"  assuming: {', '.join(check.assumed)}")
    for o in check.obligations:
        lines.append(_obligation_line(o, report))
    if check.status != ProofStatus.PROVED:
        lines.append("  Until this is proved, each PROVED above holds for the behaviours that "
                     "raise no evaluation error (those the explicit checker explores).")
    if check.counterexample is not None:
        lines += _counterexample_lines(check.counterexample, changed_only)
    return lines


def _constants_line(report: ProveReport) -> str:
    parts = []
    if report.symbolic:
        parts.append("  symbolic constants (one proof covers every value):")
        parts += [f"    {c.condition}" for c in report.symbolic]
    else:
        parts.append("  symbolic constants: none (the proof is for the values shown above)")
    for c in report.fixed:
        parts.append(f"  fixed constant {c.name} = {c.value}: {c.why}")
    return "\n".join(parts)


def _result_head(r: ProofResult) -> str:
    return f"{r.target.name} ({r.target.kind}): {r.status}"


def _result_lines(r: ProofResult, report: ProveReport, changed_only: bool) -> list[str]:
    lines = [f"{_result_head(r)} in {r.seconds:.2f}s"]
    if r.target.doc:
        lines.append(f'  "{r.target.doc}"')
    if r.helpers:
        lines.append(f"  with helper invariants: {', '.join(r.helpers)}")
    for o in r.obligations:
        lines.append(_obligation_line(o, report))
    if r.counterexample is not None:
        lines += _counterexample_lines(r.counterexample, changed_only)
    return lines


_CEX_TITLES: dict[ObligationKind, str] = {
    ObligationKind.INITIATION: "An initial state violates the invariant:",
    ObligationKind.CONSECUTION: "Counterexample to induction: a state satisfying the invariant, and a step "
                   "that leaves it:",
    ObligationKind.STEP: "Counterexample to induction: a state satisfying the helper invariants, and a step "
            "that violates the property:",
    ObligationKind.NO_ERRORS: "A state satisfying the assumed invariants where expanding it or "
                              "evaluating a property raises an evaluation error:",
    ObligationKind.INITIAL_DOMAIN: "An initial state outside its variables' domains:",
    ObligationKind.NO_ERRORS_ON_STEPS: "A step from a state satisfying the assumed invariants on which "
                          "evaluating a transition property raises an error:",
}


_ERRORS = (ObligationKind.NO_ERRORS, ObligationKind.NO_ERRORS_ON_STEPS)
_INITIAL = (ObligationKind.INITIATION, ObligationKind.INITIAL_DOMAIN)


def _counterexample_lines(cex: Counterexample, changed_only: bool) -> list[str]:
    lines = [_CEX_TITLES[cex.obligation]]
    if cex.constants:
        lines.append("  with " + ", ".join(f"{n} = {v}" for n, v in cex.constants.items()))
    if cex.error is not None:
        lines.append(f"  error: {cex.error}")
    elif cex.failing and cex.obligation in _ERRORS:
        lines.append(f"  error: {cex.failing[0]}")
    elif cex.failing:
        lines.append(f"  false at the end: {', '.join(cex.failing)}")
    start = "Initial predicate" if cex.obligation in _INITIAL \
        else "a state satisfying the assumed invariants"
    lines.append(trace.format_text(cex.trace, changed_only=changed_only, start=start).rstrip())
    lines.append(f"The first state is {cex.reachable}.")
    if cex.violated is not None:
        shown = ", ".join(f"{n} = {v}" for n, v in cex.constants.items()) or "these values"
        lines.append(f"With {shown} the explicit checker finds the property VIOLATED (a trace "
                     f"of {cex.violated} states): it does not hold for every value of the "
                     "constants.")
    elif cex.reached is False:
        lines.append("So the property may still hold: a helper invariant that excludes this "
                     "state would strengthen the induction.")
    return lines


