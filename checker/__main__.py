"""`python -m checker` and the `checkmodel` command.

Ctrl-C and SIGTERM are handled from the first moment: while the command's modules load they end
the run with exit 130 like they do later (when the search reports what it finished)."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Optional

INTERRUPTED = 130  # checker.commands.exits.ExitCode.INTERRUPTED, before anything is imported


def run() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from checker.cli import main
        return main()
    except KeyboardInterrupt:  # before a command started: nothing was finished
        print("interrupted (Ctrl-C or SIGTERM) before a result was complete", file=sys.stderr)
        return INTERRUPTED


def _interrupt(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt()


if __name__ == "__main__":
    raise SystemExit(run())
