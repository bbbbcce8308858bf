"""The spec language: grammar, parser, syntax tree, imports and the type checker (text to IR)."""
