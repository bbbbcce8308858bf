"""Z3 answers `unknown` when Ctrl-C arrives during a query (it installs its own SIGINT handler);
these are its reasons then, so BMC and induction pass the interrupt on instead of reporting an
incomplete result."""

INTERRUPTED_REASONS = frozenset({"canceled", "interrupted from keyboard", "interrupted"})
