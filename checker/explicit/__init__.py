"""The explicit-state engines (the array engine so far; the tuple engine moves here with the layout)."""
