"""Output files of the commands: every path is checked before the work starts, and a write that
fails afterwards (a full disk, say) is reported in one line without losing the verdict.

A check that ran for an hour must not end in a traceback because `--trace-out` named a directory
that does not exist: `prepare` creates it (or refuses the path with E403, exit 151) before the
search. `Writes.guard` reports an `OSError` after the search as
`checkmodel: --trace-out FILE: cannot write: REASON` and lets the command exit with its verdict.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from checker import errors
from checker.trace import io as trace_io
from checker.trace.trace import Trace

ITF_SUFFIX = ".itf.json"


def prepare(flag: str, path: Optional[str]) -> None:
    """Refuse an output path that cannot be written, before any work is done; create its
    directory if it is missing."""
    if not path:
        return
    if os.path.isdir(path):
        raise _refused(flag, path, "is a directory")
    parent = os.path.dirname(path) or "."
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise _refused(flag, path, f"cannot create the directory {parent}: "
                                   f"{exc.strerror or exc}") from None
    if not os.access(parent, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise _refused(flag, path, "permission denied")


def _refused(flag: str, path: str, why: str) -> errors.ConfigError:
    return errors.ConfigError(errors.BAD_OUTPUT, f"{flag} {path}: {why}")


@dataclass
class Writes:
    """The output files written after the work, and the ones that failed."""

    failed: list[str] = field(default_factory=list)

    @contextmanager
    def guard(self, flag: str, path: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            self.failed.append(path)
            print(f"checkmodel: {flag} {path}: cannot write: {exc.strerror or exc}",
                  file=sys.stderr, flush=True)


# ---------------------------------------------------------------- trace files


def trace_paths(base: str, traces: Sequence[Trace]) -> list[tuple[str, Trace]]:
    """One trace: exactly `base`. Several: the property name before the extension of the file
    name (`runs.v2/t.itf.json` -> `runs.v2/t.NoDirectLostToSuccess.itf.json`)."""
    if len(traces) == 1:
        return [(base, traces[0])]
    return [(_with_name(base, t.property or f"trace{i + 1}"), t) for i, t in enumerate(traces)]


def _with_name(base: str, name: str) -> str:
    directory, file = os.path.split(base)
    stem, ext = _split_extension(file)
    return os.path.join(directory, f"{stem}.{name}{ext}")


def _split_extension(file: str) -> tuple[str, str]:
    if file.endswith(ITF_SUFFIX) and len(file) > len(ITF_SUFFIX):
        return file[:-len(ITF_SUFFIX)], ITF_SUFFIX
    stem, ext = os.path.splitext(file)
    return stem, ext


def sibling_traces(path: str) -> list[str]:
    """The files `trace_paths` would have written for `path` with several traces, that exist."""
    directory, file = os.path.split(path)
    stem, ext = _split_extension(file)
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return []
    return sorted(os.path.join(directory, n) for n in names
                  if n.startswith(stem + ".") and n.endswith(ext) and n != file
                  and len(n) > len(stem) + len(ext) + 1)


def write_traces(flag: str, base: str, traces: Sequence[Trace], writes: Writes) -> None:
    for path, t in trace_paths(base, traces):
        with writes.guard(flag, path):
            trace_io.write_itf(t, path)
            print(f"Trace written to {path}")


def read_trace(path: str) -> Trace:
    """A saved trace; a missing file names the per-property files written next to it."""
    if not os.path.exists(path):
        candidates = sibling_traces(path)
        if candidates:
            raise errors.ConfigError(
                errors.BAD_TRACE_FILE, f"cannot read {path}: no such file",
                notes=[errors.Note(f"traces saved with --trace-out {path} (one per property): "
                             + ", ".join(candidates))])
    return trace_io.read_itf(path)
