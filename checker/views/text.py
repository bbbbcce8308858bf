"""Plain-text output of a check: the header, counterexamples, verdicts and the TLC-like summary."""

from __future__ import annotations

import textwrap

from checker.ir.kinds import ConstSource, PropertyKind, Status, StopReason
from checker.views import explain
from checker.ir import nodes as ir
from checker.trace import trace
from checker.ir import types as T
from checker.explicit.check import CheckResult
from checker.explicit.liveness import TemporalVerdict
from checker.explicit.search import SearchResult, Violation

_STOPPED = {
    StopReason.MAX_STATES: "the --max-states limit was reached",
    StopReason.MAX_DEPTH: "the --max-depth limit was reached",
    StopReason.TIMEOUT: "the --timeout was reached",
    StopReason.INTERRUPTED: "it was interrupted",
    StopReason.ERROR: "an evaluation error occurred",
    StopReason.MEMORY: "memory ran out (bound the model: --max-states, a `constraint`, smaller "
                       "constants; or raise --memory-limit)",
    StopReason.WORKER_LOST: "a worker process of --workers died",
}


def assumptions(spec: ir.Spec) -> list[str]:
    """What a check assumed: the switches (environment) and constants (bounds) declared with
    `assume`, with the values in force. Empty when the spec marks none."""
    def shown(switch: bool) -> str:
        return ", ".join(f"{c.name}={T.format_value(c.type, c.value)}"
                         for c in spec.constants if c.assumed and c.switch == switch)
    lines = []
    if shown(True):
        lines.append(f"Environment: {shown(True)}")
    if shown(False):
        lines.append(f"Bounds: {shown(False)}")
    return lines


def header(spec: ir.Spec, width: int | None = None) -> str:
    """The spec, what it assumed and every constant's value; a list longer than `width`
    continues on indented lines (None: one line each)."""
    lines = [f"checkmodel: {spec.path} ({len(spec.vars)} variables, {len(spec.actions)} actions)"]
    for line in assumptions(spec):
        key, _, items = line.partition(": ")
        lines += listing(f"  {key}: ", items.split(", "), width)
    shown = [f"{c.name}={T.format_value(c.type, c.value)}"
             + ("" if c.source == ConstSource.DEFAULT else f" ({c.source})")
             for c in spec.constants]
    if shown:
        lines += listing("  constants and switches: ", shown, width)
    return "\n".join(lines)


def listing(prefix: str, items: list[str], width: int | None) -> list[str]:
    """`prefix` and `items` joined by commas, packed into lines of at most `width` columns
    (an item is never split; continuation lines are indented by four more than `prefix`)."""
    indent = " " * (len(prefix) - len(prefix.lstrip()) + 4)
    lines = [prefix]
    for i, item in enumerate(items):
        text = item + ("," if i < len(items) - 1 else "")
        if width is not None and lines[-1].strip() and lines[-1] != prefix \
                and len(lines[-1]) + 1 + len(text) > width:
            lines.append(indent + text)
        else:
            lines[-1] += ("" if lines[-1] == prefix else " ") + text
    return lines


def fold(text: str, width: int | None) -> str:
    """`text` fitted to `width` columns (None: as it is): each `/\\ var = value` line folded
    after a comma (`trace.fold_state_lines`), any other line wider than `width` wrapped between
    words, its continuation lines indented four columns more than it (a word longer than the
    line is never split)."""
    if width is None:
        return text
    out: list[str] = []
    for line in trace.fold_state_lines(text, width).split("\n"):
        if len(line) <= width or line.startswith("/\\ "):
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip()) + 4)
        wrapped = textwrap.wrap(_glue_verdict(line), width, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False)
        out += [w.replace(_GLUE, " ") for w in wrapped]
    return "\n".join(out)


_GLUE = "\u00a0"  # not whitespace to textwrap: the words it joins stay on one line


def _glue_verdict(line: str) -> str:
    """An explanation line ends in its verdict after two spaces (`expr  is false`): the verdict
    stays in one piece when the line is wrapped."""
    head, sep, tail = line.rstrip().rpartition("  ")
    if not sep or not head.strip() or len(tail) > 24:
        return line
    return head + sep + tail.replace(" ", _GLUE)


def result(res: CheckResult, changed_only: bool = False) -> str:
    lines: list[str] = []
    if len(res.traces) > 1 and not changed_only:
        # several counterexamples in full would bury the verdicts: show what changes
        changed_only = True
        lines += ["", f"{len(res.traces)} counterexamples follow, each showing only the variables "
                  "that change (`--property NAME` prints one in full)."]
    for violation, t in zip(res.search.violations, res.traces):
        lines.append("")
        lines.append(_violation_title(violation.kind, violation.property))
        if violation.property is not None and violation.property.doc:
            lines.append(f'  "{violation.property.doc}"')
        lines += _explanation(res, violation)
        lines.append("The behavior up to this point is:")
        lines.append(trace.format_text(t, changed_only=changed_only).rstrip())
    if res.search.error is not None:
        lines.append("")
        lines.append("The search stopped at an evaluation error in the last state of:")
        path = res.search.error_states()
        lines.append(trace.format_text(trace.build(res.system, path), changed_only).rstrip())
    lines += _temporal_counterexamples(res, changed_only)
    lines += _witnesses(res, changed_only)
    return "\n".join(lines) + "\n" + verdicts(res)


def verdicts(res: CheckResult) -> str:
    """The verdict lines and the summary (all that `--quiet` prints)."""
    lines = [""] + [a for a in assumptions(res.spec)] + ([""] if assumptions(res.spec) else [])
    lines.append("Properties:")
    width = max((len(v.property) for v in res.verdicts), default=0)
    hashed = res.search.fingerprints is not None and res.search.fingerprints.hashed
    for v in res.verdicts:
        text = _lasso_text(res, v.property) or _verdict_text(v.status, v.trace_length)
        if hashed and v.status == Status.HOLDS:
            text = "holds (exhaustive up to fingerprint collisions)"
        lines.append(f"  {v.property:<{width}}  {text}")
    lines.append("")
    lines.append(summary(res))
    return "\n".join(lines) + "\n"


def _explanation(res: CheckResult, violation: Violation) -> list[str]:
    """Why the property is false at the violating state or step (explain-why)."""
    found = explain.explain_violation(res, violation)
    return found.text() if found is not None else []


def _violation_title(kind: str, prop: ir.Property | None) -> str:
    if kind == PropertyKind.DEADLOCK:
        return "Error: Deadlock reached."
    if kind == PropertyKind.INVARIANT:
        return f"Error: Invariant {prop.name if prop else '?'} is violated."
    return f"Error: Action property {prop.name if prop else '?'} is violated."


def _verdict_text(status: str, length: int | None) -> str:
    if status == Status.VIOLATED:
        return f"VIOLATED (trace of {length} states)"
    if status == Status.HOLDS:
        return "holds (exhaustive)"
    if status == Status.REACHED:
        return f"reached (trace of {length} states)"
    if status == Status.UNREACHABLE:
        return "UNREACHABLE (exhaustive)"
    if status == Status.UNKNOWN:
        return "unknown (search cut short)"
    return status


def summary(res: CheckResult) -> str:
    s = res.search
    rate = s.distinct / s.elapsed if s.elapsed > 0 else 0.0
    queue = len(s.graph.states) - s.graph.expanded
    if s.complete and s.fingerprints is not None and s.fingerprints.hashed:
        status = "Model checking completed: the search was exhaustive up to fingerprint collisions."
    elif s.complete:
        status = "Model checking completed: the search was exhaustive."
    elif s.stopped == StopReason.VIOLATION:
        status = "Model checking stopped at the first violation (--continue searches on)."
    else:
        status = f"Model checking INCOMPLETE: {_STOPPED[s.stopped] if s.stopped else 'it stopped early'}."
        if s.stop_note:
            status += f"\n{s.stop_note[:1].upper()}{s.stop_note[1:]}."
    if s.complete and any(v.interrupted for v in res.temporal):
        status += ("\nThe liveness check was INTERRUPTED: the temporal properties marked "
                   "unknown were not decided.")
    status += _collisions(s)
    return (f"{status}\n"
            f"{s.generated:,} states generated, {s.distinct:,} distinct states found, "
            f"{queue:,} states left on queue.\n"
            f"The depth of the {'complete ' if s.complete else ''}state graph search is "
            f"{s.depth}.\n"
            f"Finished in {s.elapsed:.2f}s ({rate:,.0f} distinct states/s) on the {_engine(s)}.")


def _engine(s: SearchResult) -> str:
    """`array engine` or `tuple engine`, with why `--engine auto` chose it or the mode, and
    the processes of `--workers`."""
    engine = f"{s.engine} engine" + (f" in {s.workers} processes" if s.workers > 1 else "")
    if s.fingerprints is not None:
        return f"{engine} in fingerprint mode (" + (
            "64-bit fingerprints of the states in the visited set)" if s.fingerprints.hashed
            else "each state one 64-bit word, its own fingerprint: exact)")
    return engine + (f" ({s.engine_note})" if s.engine_note else "")


def _collisions(s: SearchResult) -> str:
    """TLC's estimate of the probability that a fingerprint collision hid states."""
    if s.fingerprints is None or not s.fingerprints.hashed:
        return ""
    p = s.fingerprints.collision(s.distinct, s.generated)
    return ("\n  Estimate of the probability that the search did not check all reachable "
            "states\n  because two distinct states had the same fingerprint (TLC's):\n"
            f"  calculated (optimistic):  val = {p:.1E}")


def _temporal_counterexamples(res: CheckResult, changed_only: bool) -> list[str]:
    """Each violated temporal property with its counterexample (a lasso, or a finite trace)."""
    lines: list[str] = []
    for v in res.temporal:
        if v.trace is None:
            continue
        lines.append("")
        which = f" for {v.instance}" if v.instance else ""
        lines.append(f"Error: Temporal property {v.name} is violated{which}.")
        if v.prop.doc:
            lines.append(f'  "{v.prop.doc}"')
        if v.trace.loop is None:
            lines.append("The behavior up to this point is:")
        else:
            lines.append("The following behavior constitutes a counter-example:")
        lines.append(trace.format_text(v.trace, changed_only=changed_only).rstrip())
        if v.stutter:
            lines.append(f"(from state {len(v.trace)} on the behavior stutters: no fair action "
                         "is enabled there)")
    return lines


def _witnesses(res: CheckResult, changed_only: bool) -> list[str]:
    """The shortest trace to a state of each `reachable` property that was reached."""
    lines: list[str] = []
    for w in res.witnesses:
        if w.trace is None:
            continue
        lines += ["", f"Reachable {w.name}: reached. The behavior up to a witness state is:"]
        lines.append(trace.format_text(w.trace, changed_only=changed_only).rstrip())
    return lines


def _lasso_text(res: CheckResult, name: str) -> str | None:
    """`VIOLATED (lasso: 3 states, then a cycle of 2)` for a violated temporal property (and
    `for p = 2` after it, for the instance of a quantified property)."""
    for v in res.temporal:
        if v.name == name and v.instance:
            text = _lasso_shape(v) or _verdict_text(v.status, v.length)
            return f"{text} for {v.instance}"
    for w in res.witnesses:
        if w.name == name and w.status == Status.UNKNOWN and w.reason:
            return f"unknown ({w.reason})"
    return _lasso_shape(next((v for v in res.temporal if v.name == name), None))


def _lasso_shape(v: TemporalVerdict | None) -> str | None:
    if v is not None:
        if v.status == Status.VIOLATED and v.trace is not None and v.trace.loop is not None:
            if v.stutter:
                return f"VIOLATED ({_states(len(v.trace))}, then stuttering forever)"
            if not v.prefix:
                return f"VIOLATED (lasso: a cycle of {_states(v.cycle)})"
            return f"VIOLATED (lasso: {_states(v.prefix)}, then a cycle of {v.cycle})"
        if v.status == Status.UNKNOWN and v.reason:
            return f"unknown ({v.reason})"
    return None


def _states(n: int) -> str:
    return f"{n} state" if n == 1 else f"{n} states"
