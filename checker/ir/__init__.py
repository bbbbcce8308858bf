"""The typed intermediate representation, finite types and values, and the shared vocabulary."""
