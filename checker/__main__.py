"""`python -m checker`: the same as the `checkmodel` command."""

from checker.cli import main

raise SystemExit(main())
