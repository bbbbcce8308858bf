"""Counterexamples: Trace and Step, their text, ITF JSON and replay against a spec."""
