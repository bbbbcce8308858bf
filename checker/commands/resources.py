"""Process-wide limits of a run: the memory the search may take (`--memory-limit`), a timer that
enforces `--timeout` where the engines do not look at the clock, SIGTERM handled as Ctrl-C, and
worker processes stopped with their parent.

The engines check their deadline between expansions; the timer (one second later) interrupts
what runs longer in one piece: computing many initial states, a huge quantifier domain, a
liveness check. Both end in the same report: what was finished, and exit 152.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
from types import FrameType
from typing import Iterator, Optional

from checker.explicit.search import Deadline

GRACE = 1.0  # seconds after --timeout before the timer interrupts


def default_memory_limit() -> Optional[int]:
    """Most of the machine's memory (90%), in megabytes; None where it cannot be told."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return int(total * 0.9) // (1024 * 1024)


def limit_memory(megabytes: Optional[int]) -> None:
    """Lower the data-segment limit, so the search gets MemoryError (and reports how far it got)
    before the kernel kills the process."""
    if megabytes is None:
        return
    wanted = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or wanted < soft:
        resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))


def start_timer(timeout: Optional[float]) -> None:
    """Raise `Deadline` in the main thread GRACE seconds after `timeout`."""
    if timeout is None:
        return
    signal.signal(signal.SIGALRM, _deadline)
    signal.setitimer(signal.ITIMER_REAL, timeout + GRACE)


def stop_timer() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


def terminate_as_interrupt() -> None:
    """SIGTERM ends a run as Ctrl-C does: the search stops and says what it finished (130)."""
    signal.signal(signal.SIGTERM, _interrupt)


def _deadline(signum: int, frame: Optional[FrameType]) -> None:
    raise Deadline()


def _interrupt(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt()


@contextlib.contextmanager
def workers_stop_on_interrupt() -> Iterator[None]:
    """Ctrl-C or SIGTERM sent to this process alone (by `kill`, a test, a supervisor) stops its
    worker processes too, then interrupts it: a process pool would otherwise wait for every
    job already started before the interrupt could end the run."""
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for signum in previous:
        signal.signal(signum, _stop_workers)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop_workers(signum: int, frame: Optional[FrameType]) -> None:
    for child in multiprocessing.active_children():
        child.terminate()
    raise KeyboardInterrupt()
