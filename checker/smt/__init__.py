"""The Z3 side: bounded model checking and inductive proofs, from the same typed IR as the
explicit checker; the only folder that imports z3 (docs/proofs.md explains the encoding).

- `bmc(spec, depth)` (`bmc.py`): the shortest violation within a bound; every trace is replayed
  by the explicit semantics before it is reported (`confirm.py`).
- `prove(spec)` (`prove.py`): induction for every value of the integer constants left symbolic
  (`symbolic.py`); counterexamples are confirmed explicitly (`counterexample.py`).

The encoding: `values.py` (a symbolic value per type), `ops.py` and `domains.py` (operations on
them), `expr.py` with `env.py` and `uses.py` (expressions, where their evaluation fails, which
symbolic constants they read), `actions.py` and `system.py` (the transition system by symbolic
execution), `bitvec.py` (bit-vectors for BMC). Results: `bmc.BmcResult`, `proof_report`;
printed by `checker.views.smt_text`. `limits.py`: the time and work limits (`--timeout`,
`--rlimit`) a query is asked under; `interrupt.py`: Ctrl-C during a Z3 query.
"""

from checker.smt.bmc import BmcResult, BmcViolation, bmc, reachable_states
from checker.smt.confirm import EncodingMismatch
from checker.smt.proof_report import Counterexample, ErrorCheck, ProofResult, ProveReport
from checker.smt.prove import prove

__all__ = ["BmcResult", "BmcViolation", "Counterexample", "EncodingMismatch", "ErrorCheck",
           "ProofResult", "ProveReport", "bmc", "prove", "reachable_states"]
