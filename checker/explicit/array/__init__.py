"""The array engine: whole BFS levels as packed uint64 rows, actions as array kernels.

packing (state layout), unsupported (why a spec does not compile), values (batch values),
expr and stmt (IR to array kernels), kernels (the compiled system), visited (the visited set),
search (the level-synchronous BFS), parallel (its chunks expanded in several processes,
`--workers`), graph (the explored states as a lazy graph).
"""
