"""The checker's shared vocabulary: kinds of property, verdicts, why a search stopped, proof
statuses, fairness.

Every engine (BFS, liveness, BMC, induction), the verdict table and the report speak these types;
nothing compares the strings. The values are the strings the checker has always printed and saved
(ITF `#meta.kind`, report data), so output and saved files read exactly as before.
"""

from __future__ import annotations

from enum import StrEnum


class PropertyKind(StrEnum):
    """What a property (or the end of a counterexample) is."""

    INVARIANT = "invariant"  # a state predicate, TLA+'s []P
    TRANSITION = "transition"  # a step predicate, TLA+'s [][P]_vars
    CONSTRAINT = "constraint"  # TLC's CONSTRAINT: states outside are neither kept nor expanded
    TEMPORAL = "temporal"  # a liveness property, checked on the explored graph
    REACHABLE = "reachable"  # a witness: some reachable state satisfies it (exhaustive to refute)
    DEADLOCK = "deadlock"  # the implicit property that some action is always enabled
    EVALUATION = "evaluation"  # not a property: a trace that ends in an evaluation error

    @property
    def is_safety(self) -> bool:
        return self in (PropertyKind.INVARIANT, PropertyKind.TRANSITION)


class Status(StrEnum):
    """A verdict on one property."""

    HOLDS = "holds"  # exhaustive: no reachable state or step violates it
    VIOLATED = "violated"  # with a counterexample
    UNKNOWN = "unknown"  # the search was cut short before finding a violation
    NOT_CHECKED = "not checked"
    REACHED = "reached"  # a `reachable` property: a witness state was found
    UNREACHABLE = "unreachable"  # a `reachable` property: exhaustive, and no state satisfies it


class StopReason(StrEnum):
    """Why a search ended before it had explored every reachable state."""

    VIOLATION = "violation"  # the first violation, without --continue
    MAX_STATES = "max-states"
    MAX_DEPTH = "max-depth"
    TIMEOUT = "timeout"
    INTERRUPTED = "interrupted"  # Ctrl-C
    ERROR = "error"  # an evaluation error in the spec
    MEMORY = "memory"  # MemoryError: the --memory-limit or the machine's memory
    WORKER_LOST = "worker-lost"  # a process of --workers died (killed, out of memory)


class Outcome(StrEnum):
    """What Z3 said of one proof obligation."""

    PROVED = "proved"
    FAILED = "failed"
    UNKNOWN = "unknown"


class ProofStatus(StrEnum):
    """The status of an inductive proof of one property (or of the absence of errors)."""

    PROVED = "PROVED"
    VIOLATED = "VIOLATED"  # a counterexample that is reachable
    NOT_INDUCTIVE = "NOT INDUCTIVE"  # a counterexample to induction, not shown reachable
    # an error obligation fails on a state not shown reachable; or a property's evaluation
    # fails in a reachable state (an evaluation error, not a violation)
    NOT_PROVED = "NOT PROVED"
    UNKNOWN = "UNKNOWN"  # Z3 gave up


class FairnessKind(StrEnum):
    WEAK = "weak"
    STRONG = "strong"


class ObligationKind(StrEnum):
    """The proof obligations of an inductive proof (docs/proofs.md)."""

    INITIATION = "initiation"  # Init => Inv
    CONSECUTION = "consecution"  # Inv /\ Next => Inv'
    STEP = "step"  # Inv /\ Next => P, for a transition property P
    NO_ERRORS = "no errors"  # no action raises an evaluation error from a state satisfying Inv
    NO_ERRORS_ON_STEPS = "no errors on steps"  # nor does a transition property on a step
    INITIAL_DOMAIN = "initial domain"  # every initial value lies in its variable's domain


class Binder(StrEnum):
    """The binders of the IR's `Bind` node."""

    FORALL = "forall"
    EXISTS = "exists"
    SETCOMP = "setcomp"  # {elem for var in domain if cond}
    MAPLIT = "maplit"  # [var in domain |-> body]
    CHOOSE = "choose"  # choose var in domain: body (TLA+'s CHOOSE: the first such value)


class PathKind(StrEnum):
    """One step into a variable on the left of an assignment."""

    INDEX = "index"  # `[key]` of a map
    FIELD = "field"  # `.field` of a record


class TemporalOp(StrEnum):
    """The shape of a temporal property."""

    EVENTUALLY = "eventually"  # <>P
    ALWAYS = "always"  # []P, checked on the explored graph
    ALWAYS_EVENTUALLY = "always_eventually"  # []<>P
    EVENTUALLY_ALWAYS = "eventually_always"  # <>[]P
    LEADS_TO = "leads_to"  # P ~> Q


class ConstSource(StrEnum):
    """Where a constant's value came from."""

    DEFAULT = "default"  # its declaration
    SPEC = "spec"  # a `set`/`const` line of the spec that imports it
    COMMAND_LINE = "command line"  # --const or --set
