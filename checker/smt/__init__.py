"""The Z3 side: the encoding of the IR, bounded model checking and inductive proofs."""
