"""Results as one JSON document per command (`--json`), with typed verdicts.

Every document has the same frame (docs/results.schema.json): the command, the spec, the
engine, a verdict per property (`{"property", "kind", "verdict", "trace_states"}`), counts,
seconds, and whether the result is complete. Verdicts are one vocabulary across engines:
`holds` (exhaustive), `violated`, `unknown` (cut short), `not checked`, `bounded` (BMC: no
violation within `bound_steps`), `proved`, `not inductive`, `not proved`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from checker.explicit.check import CheckResult
from checker.ir.kinds import ProofStatus, PropertyKind, Status

if TYPE_CHECKING:
    from checker.smt.bmc import BmcResult
    from checker.smt.proof_report import ProveReport

SCHEMA_VERSION = 1

_PROOF = {ProofStatus.PROVED: "proved", ProofStatus.VIOLATED: "violated",
          ProofStatus.NOT_INDUCTIVE: "not inductive", ProofStatus.NOT_PROVED: "not proved",
          ProofStatus.UNKNOWN: "unknown"}


def verdict(name: str, kind: PropertyKind, status: str,
            trace_states: Optional[int] = None, **extra: Any) -> dict[str, Any]:
    return {"property": name, "kind": kind.value, "verdict": status,
            "trace_states": trace_states, **extra}


def _frame(command: str, spec: str, engine: str, verdicts: list[dict[str, Any]],
           complete: bool, seconds: float, exit_code: int, **extra: Any) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "command": command, "spec": spec, "engine": engine,
            "verdicts": verdicts, "complete": complete, "seconds": round(seconds, 3),
            "exit_code": exit_code, **extra}


def check_document(res: CheckResult, exit_code: int) -> dict[str, Any]:
    s = res.search
    verdicts = [verdict(v.property, v.kind, Status(v.status).value,
                        v.trace_length if v.status == Status.VIOLATED else None)
                for v in res.verdicts]
    counts = {"generated": s.generated, "distinct": s.distinct, "depth": s.depth}
    error = None if s.error is None else {"code": s.error.code, "message": s.error.message}
    extra: dict[str, Any] = {}
    if s.fingerprints is not None:  # exact up to fingerprint collisions (TLC's estimate)
        extra["fingerprints"] = {"hashed": s.fingerprints.hashed, "collision_probability":
                                 s.fingerprints.collision(s.distinct, s.generated)
                                 if s.fingerprints.hashed else 0.0}
    engine = s.engine + (f", {s.workers} processes" if s.workers > 1 else "")
    return _frame("check", res.spec.path, f"explicit ({engine})", verdicts, s.complete,
                  s.elapsed, exit_code, counts=counts,
                  stopped=None if s.stopped is None else s.stopped.value, error=error, **extra)


def bmc_document(result: BmcResult, bound: int, exit_code: int) -> dict[str, Any]:
    """`bound`: the steps within which a property not found violated has no violation."""
    kinds = {p.name: p.kind for p in result.spec.properties}
    found = {v.name: v for v in result.violations}
    verdicts = []
    for name in result.checked:
        kind = kinds.get(name, PropertyKind.DEADLOCK)
        if name in found:
            verdicts.append(verdict(name, kind, "violated", len(found[name].states)))
        elif bound >= 0:
            verdicts.append(verdict(name, kind, "bounded", bound_steps=bound))
        else:
            verdicts.append(verdict(name, kind, "not checked"))
    errors = [v for v in result.violations if v.kind == PropertyKind.EVALUATION]
    error = None if not errors else {"message": errors[0].detail,
                                     "trace_states": len(errors[0].states)}
    return _frame("bmc", result.spec.path, "z3 (bmc)", verdicts, result.complete,
                  result.elapsed, exit_code, depth=result.depth, reached=result.reached,
                  error=error, unknown=result.unknown)


def prove_document(report: ProveReport, exit_code: int) -> dict[str, Any]:
    verdicts = []
    for r in report.results:
        cex = r.counterexample
        verdicts.append(verdict(r.target.name, r.target.kind, _PROOF[ProofStatus(r.status)],
                                len(cex.trace) if cex is not None else None,
                                obligations={o.name: o.status.value for o in r.obligations}))
    complete = not report.interrupted and all(r.status == ProofStatus.PROVED
                                              for r in report.results)
    errors = None if report.errors is None else _PROOF[ProofStatus(report.errors.status)]
    return _frame("prove", report.spec.path, "z3 (induction)", verdicts, complete,
                  report.seconds, exit_code, no_evaluation_errors=errors,
                  symbolic_constants=[c.name for c in report.symbolic])
