"""checkmodel as a child process, for the tests of time, memory and signals
(test_bad_input.py, test_signals.py): start it as a foreground command would run, wait until it
can handle signals, and interrupt it at a chosen point of its output."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).parents[2]

# a search of 10^10 states: it runs until it is stopped
GROWING = ("var x: 0..100000 = 0;\nvar y: 0..100000 = 0;\n"
           "action a when x < 100000 { x := x + 1; }\naction b when y < 100000 { y := y + 1; }\n")


def default_sigint() -> None:
    """A test run started in the background by a non-interactive shell inherits SIGINT ignored,
    which Python (and checkmodel) rightly keeps; the child gets the default disposition back, as
    Ctrl-C's target has."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(args: list[str], cwd: Path, stdout: Optional[Path] = None) -> subprocess.Popen[str]:
    """`python -m checker ARGS` in `cwd`. With `stdout`, standard output goes to that file: a
    long trace must not fill a pipe nobody reads while the test waits for a line on stderr."""
    out = open(stdout, "w", encoding="utf-8") if stdout is not None else subprocess.PIPE
    try:
        return subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=cwd, text=True,
                                stdout=out, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                preexec_fn=default_sigint)
    finally:
        if stdout is not None:
            out.close()  # type: ignore[union-attr]


def wait_for_handlers(pid: int) -> None:
    """Until checkmodel's entry point has installed its SIGTERM handler (Linux: SigCgt in
    /proc): a signal before that reaches the bare interpreter, which checkmodel cannot handle."""
    for _ in range(3000):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        caught = next((int(line.split()[1], 16) for line in status.splitlines()
                       if line.startswith("SigCgt:")), 0)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.01)


def interrupt(proc: subprocess.Popen[str], signum: int, after: str = "", delay: float = 0.0,
              silence: float = 0.0, until: str = "",
              stdout: Optional[Path] = None) -> tuple[str, str, float]:
    """Send the signal once stderr shows `after` (and `delay` seconds more), or, with `silence`,
    once stderr has then been silent that long or shows `until`. Returns stdout (read from the
    file `stdout` if the process wrote there), stderr, and how long the process took to end after
    the signal. A process still running after 90 s is killed: a failed test never leaves a
    search behind."""
    wait_for_handlers(proc.pid)
    seen = ""
    assert proc.stderr is not None
    while after and after not in seen:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
    while silence and select.select([proc.stderr], [], [], silence)[0]:
        line = proc.stderr.readline()
        seen += line
        if not line or until in line:
            break
    time.sleep(delay)
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    took = time.monotonic() - sent
    if stdout is not None:
        out = stdout.read_text()
    return out or "", seen + (err or ""), took
