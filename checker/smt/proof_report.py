"""What `prove` finds: per property, its obligations, the counterexample and the status; for
the spec, whether evaluation errors are excluded and which constants were symbolic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from checker.explicit.system import State
from checker.ir import nodes as ir
from checker.ir.kinds import ObligationKind, Outcome, ProofStatus
from checker.smt.limits import Limit, Limits
from checker.smt.symbolic import FixedConstant, SymbolicConstant
from checker.trace import trace


@dataclass(frozen=True)
class Obligation:
    name: ObligationKind
    status: Outcome
    seconds: float
    reason: Optional[str] = None  # Z3's reason when unknown
    limit: Optional[Limit] = None  # the limit that cut it short (checker.smt.limits)
    work: int = 0  # the units of Z3 work its query took (to choose a work limit, --rlimit)

    @property
    def unfinished(self) -> Optional[str]:
        """Why it is unknown, in words."""
        if self.status != Outcome.UNKNOWN:
            return None
        return self.limit.value if self.limit is not None else f"Z3: {self.reason}"


@dataclass(frozen=True)
class Counterexample:
    """A state (initiation) or a step (consecution, step) that breaks an obligation."""

    obligation: ObligationKind
    constants: dict[str, int]
    states: tuple[State, ...]
    trace: trace.Trace
    failing: tuple[str, ...]  # the conjuncts of Inv (or the property) that are false at the end
    reachable: str  # what a quick BFS with these constant values says about the first state
    reached: Optional[bool]  # True: reachable; False: unreachable (exhaustive); None: unknown
    violated: Optional[int] = None  # with these constant values the explicit search violates
    # the property (trace length), even if not through this counterexample
    error: Optional[str] = None  # evaluating the invariants (or the property) fails at the end

    @property
    def confirmed(self) -> bool:
        """The explicit checker reaches its first state, or violates the property anyway."""
        return bool(self.reached) or self.violated is not None


@dataclass
class ProofResult:
    target: ir.Property
    helpers: tuple[str, ...]
    obligations: list[Obligation] = field(default_factory=list)
    counterexample: Optional[Counterexample] = None
    seconds: float = 0.0

    @property
    def status(self) -> ProofStatus:
        """PROVED, VIOLATED (a reachable counterexample), NOT PROVED (evaluating the property
        fails in a reachable state: an evaluation error, not a violation), NOT INDUCTIVE, or
        UNKNOWN."""
        if all(o.status == Outcome.PROVED for o in self.obligations):
            return ProofStatus.PROVED
        cex = self.counterexample
        if cex is not None and cex.error is not None:
            return ProofStatus.NOT_PROVED if cex.reached else ProofStatus.NOT_INDUCTIVE
        if cex is not None and (cex.obligation == ObligationKind.INITIATION or cex.reached
                                or cex.violated is not None):
            return ProofStatus.VIOLATED
        if cex is not None:
            return ProofStatus.NOT_INDUCTIVE
        return ProofStatus.UNKNOWN


@dataclass
class ErrorCheck:
    """That no evaluation error (a value outside its domain, a key outside a map, ...) can
    happen: without it, a PROVED property holds on the behaviours that raise none."""

    assumed: tuple[str, ...]  # the invariants assumed (helpers and invariants proved)
    obligations: list[Obligation] = field(default_factory=list)
    counterexample: Optional[Counterexample] = None
    seconds: float = 0.0

    @property
    def status(self) -> ProofStatus:
        if all(o.status == Outcome.PROVED for o in self.obligations):
            return ProofStatus.PROVED
        if self.counterexample is not None and self.counterexample.reached:
            return ProofStatus.VIOLATED
        return ProofStatus.NOT_PROVED if self.counterexample is not None else ProofStatus.UNKNOWN


@dataclass
class ProveReport:
    spec: ir.Spec
    symbolic: list[SymbolicConstant]
    fixed: list[FixedConstant]
    results: list[ProofResult]
    limits: Limits  # what bounded Z3 (checker.smt.limits)
    seconds: float = 0.0
    errors: Optional[ErrorCheck] = None  # None: not checked (the proof was interrupted)
    targets: tuple[str, ...] = ()  # the properties asked for
    interrupted: bool = False  # Ctrl-C or SIGTERM: `results` are the proofs finished

    def not_finished(self) -> list[str]:
        """The properties asked for whose proof an interrupt left unfinished."""
        done = {r.target.name for r in self.results}
        return [name for name in self.targets if name not in done]

    def unfinished(self) -> list[tuple[str, list[Obligation]]]:
        """Per property (and for "no evaluation errors"), the obligations the deadline left
        unknown or unasked."""
        groups = [(r.target.name, r.obligations) for r in self.results]
        if self.errors is not None:
            groups.append(("no evaluation errors", self.errors.obligations))
        late = [(name, [o for o in obligations if o.limit == Limit.DEADLINE])
                for name, obligations in groups]
        return [(name, found) for name, found in late if found]
