"""Ctrl-C and SIGTERM during a Z3 query.

Z3 answers `unknown` when Ctrl-C arrives during a query (it installs its own SIGINT handler);
these are its reasons then, so BMC and induction pass the interrupt on instead of reporting an
incomplete result. SIGTERM reaches Python's handler only between bytecodes, so not during a
query that may take minutes: `terminable` has a watcher thread interrupt Z3 when one arrives
(Python's C-level handler writes the signal's number to a wakeup file descriptor even while the
main thread is inside Z3), and the handler then runs as soon as the query returns.
"""

from __future__ import annotations

import _thread
import contextlib
import ctypes
import os
import signal
import threading
from typing import Iterator

import z3

INTERRUPTED_REASONS = frozenset({"canceled", "interrupted from keyboard", "interrupted"})
# the KeyboardInterrupt a signal handler raises while ctypes converts an argument of a Z3 call
# reaches the caller wrapped: ctypes.ArgumentError("argument 1: KeyboardInterrupt: ")
INTERRUPTS = (KeyboardInterrupt, ctypes.ArgumentError)


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C or SIGTERM, possibly wrapped by ctypes."""
    return isinstance(exc, KeyboardInterrupt) or "KeyboardInterrupt" in str(exc)


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    """While inside, SIGTERM (and Ctrl-C) interrupts the Z3 query that is running."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(read, done), daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        done.set()
        os.write(write, b"\0")  # wake the watcher, which sees `done` and ends
        watcher.join()
        os.close(read)
        os.close(write)


def _watch(read: int, done: threading.Event) -> None:
    wanted = {signal.SIGTERM, signal.SIGINT}
    while not done.is_set():
        data = os.read(read, 64)
        if not data:
            return
        got = [b for b in data if b in wanted]
        if got and not done.is_set():
            _stop_main(done, signal.Signals(got[0]))


def _stop_main(done: threading.Event, signum: signal.Signals) -> None:
    """Interrupt Z3 and raise KeyboardInterrupt in the main thread until it has left the
    block. Once is not enough: the handler's KeyboardInterrupt is lost when it lands in a
    finaliser (z3's `AstRef.__del__`: "Exception ignored in"), and the search went on."""
    while not done.is_set():
        z3.main_ctx().interrupt()
        _thread.interrupt_main(signum)  # the handler of the signal that came: KeyboardInterrupt
        done.wait(0.5)
