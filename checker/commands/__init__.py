"""The commands of `checkmodel`: their arguments, their bodies, and the one exit-code table.

`checker.cli` builds the parser from `COMMANDS`, runs the chosen one and turns exceptions into
messages and exit codes. Each command module declares its own arguments (`declare`) from the
shared option groups of `options` and runs (`run`); a new command is a new module listed in
`checker.cli.COMMANDS`.
"""
