"""The explicit-state engine: compiled transition system, breadth-first search, liveness."""
