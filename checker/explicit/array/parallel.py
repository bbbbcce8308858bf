"""`--workers N`: the kernels of each chunk of a BFS level run in N processes.

This process and N - 1 worker processes, forked once per search (each holds the compiled
`ArraySystem` it inherited), split a chunk's parent rows into contiguous slices. Each computes
its slice's candidate successors, the steps that may violate the transition properties and
the constraint masks exactly as the single-process search does; this process puts the slices
back together in order (a slice's candidates are ordered by parent, then action, and the
slices are consecutive parents, so the whole is the single-process order), deduplicates them
against the visited set and checks the invariants of the new states, split the same way. What
is left in this process (the visited set, the events, the store) is as with one process, so
counts, depth and counterexamples are the same. While this process finishes a chunk, the
workers already expand the level's next one (`successors(..., following)`), but for a last part
this process keeps, sized from its measured times per row so that neither side waits long.

A slice smaller than `MIN_ROWS` rows is not worth a process: narrow levels run here alone.
Rows and results go through a shared buffer per worker (pickle protocol 5 out-of-band buffers).
Workers ignore Ctrl-C and SIGTERM (the terminal sends them to the whole process group): this
process stops them (SIGKILL) when its search ends, however it ends. A worker that dies raises
`WorkerLost`, which ends the search cut short; a worker whose parent died exits on the end of
its pipe.
"""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import os
import pickle
import signal
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Optional, Sequence

import numpy as xp

from checker.explicit.array.batch import Batch
from checker.explicit.array.kernels import ArraySystem, Candidates

Array = Any
MIN_ROWS = 4_096  # rows of a level below which a slice stays in this process (bench/README.md)
SHARED_BYTES = 64 << 20  # per worker: a job's rows, shared (larger jobs go through the pipe)
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGALRM}


def max_workers() -> int:
    """The largest `--workers` accepted: four processes per CPU."""
    return 4 * (os.cpu_count() or 1)


def can_fork() -> bool:
    """Workers inherit the compiled kernels (closures, which do not pickle) by fork."""
    return "fork" in multiprocessing.get_all_start_methods()


class WorkerLost(Exception):
    """A worker process died (killed, out of memory) or its pipe broke."""


@dataclass(frozen=True)
class Expansion:
    """A chunk's candidates, with the constraints over all of them when they were evaluated
    together with them (None: the search evaluates them itself)."""

    cand: Candidates
    within: Optional[tuple[Array, Array]] = None  # (inside, suspects) per candidate


def _expand(arrays: ArraySystem, words: Array, transitions: Sequence[int],
            constrained: bool) -> Expansion:
    """One slice's candidates; its constraint masks unless an action may have failed in it
    (then the candidates after the failing parent are garbage the search never looks at)."""
    cand = arrays.successors(Batch(arrays.layout, words), transitions)
    within = None
    if constrained and cand.suspects.shape[0] == 0:
        within = arrays.within(Batch(arrays.layout, cand.words))
    return Expansion(cand, within)


def _failing(arrays: ArraySystem, words: Array, selected: Sequence[int]) -> dict[int, Array]:
    return arrays.failing(arrays.invariants, Batch(arrays.layout, words), selected)


@dataclass(frozen=True)
class _Worker:
    proc: BaseProcess
    conn: Connection  # jobs out, results back (pickled)
    rows: mmap.mmap  # shared: this process writes a job's rows here, the worker reads them


class LevelPool:
    """The processes that expand a search's chunks: this one and `processes - 1` workers."""

    def __init__(self, arrays: ArraySystem, processes: int):
        self.arrays = arrays
        self.processes = processes
        self.workers: list[_Worker] = []
        # a chunk given to the workers ahead (the next one of the level, while this process
        # finishes the current one), collected by the next `successors`: the boundaries of the
        # workers' slices (this process expands the rows after the last one itself)
        self.ahead: Optional[list[int]] = None
        # seconds per row: this process's own expansions, and the rest of its work on a chunk
        # (measured as it goes: they decide how much of a chunk given ahead it keeps)
        self.expand_per_row = 0.0
        self.rest_per_row = 0.0
        self._returned: Optional[tuple[float, int]] = None  # last `successors`: when, rows
        if processes > 1:
            try:
                self._start(processes - 1)
            except BaseException:
                self.close()
                raise

    def _start(self, count: int) -> None:
        """Fork the workers; a signal waits until each started one is listed (for close)."""
        context = multiprocessing.get_context("fork")
        ours: list[Connection] = []
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                ours.append(mine)
                rows = mmap.mmap(-1, SHARED_BYTES)  # anonymous and shared with the child
                # the child closes this process's ends of every pipe so far: its own pipe
                # then ends (EOFError) when this process dies
                proc = context.Process(target=_serve, args=(self.arrays, theirs, rows,
                                                            list(ours)),
                                       daemon=True, name="checkmodel-worker")
                proc.start()
                self.workers.append(_Worker(proc, mine, rows))
                theirs.close()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def close(self) -> None:
        """Stop every worker (they hold nothing worth waiting for) and reap it. Ctrl-C, SIGTERM
        and the --timeout timer wait until then: none leaves a worker running or unreaped."""
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            for worker in self.workers:
                worker.conn.close()
                if worker.proc.is_alive():
                    worker.proc.kill()
            for worker in self.workers:
                worker.proc.join()
                with contextlib.suppress(BufferError):  # a result's arrays may view it
                    worker.rows.close()
            self.workers = []
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    # ------------------------------------------------------------ the work of a chunk
    def successors(self, batch: Batch, transitions: Sequence[int], constrained: bool,
                   following: Optional[Array] = None) -> Expansion:
        """The chunk's candidates, in the single-process order; then the rows of the level's
        `following` chunk, if wide enough, go to the workers while this process finishes
        this one (collected by the next call, which must be for that chunk)."""
        if self._returned is not None:
            when, rows = self._returned
            self.rest_per_row = _mean(self.rest_per_row, (time.perf_counter() - when) / rows)
        if self.ahead is not None:
            expansion = self._collect(batch, transitions, constrained)
        else:
            cuts = self._cuts(batch.size)
            if len(cuts) <= 2:
                expansion = Expansion(self.arrays.successors(batch, transitions))
            else:
                parts = self._map("expand", batch.words, cuts, (list(transitions), constrained))
                expansion = _merge(parts, cuts, self.arrays.layout.words)
        if following is not None and self.workers and following.shape[0] >= MIN_ROWS:
            self._give_ahead(following, transitions, constrained)
        self._returned = (time.perf_counter(), batch.size)
        return expansion

    def _give_ahead(self, words: Array, transitions: Sequence[int], constrained: bool) -> None:
        """The workers' share of the chunk: as much as they expand while this process finishes
        the current chunk and then expands the rest itself."""
        rows = int(words.shape[0])
        given = int(rows * self._worker_share())
        if rows - given < MIN_ROWS:
            given = rows
        slices = max(1, min(len(self.workers), given // MIN_ROWS))
        self.ahead = [given * i // slices for i in range(slices + 1)]
        for i, worker in enumerate(self.workers[:slices]):
            self._send(worker, "expand", words[self.ahead[i]:self.ahead[i + 1]],
                       (list(transitions), constrained))

    def _worker_share(self) -> float:
        """f such that the workers' f of a chunk (f / W each) takes as long as the rest of the
        current chunk and the other 1 - f here: f S / W = R + (1 - f) S, per row."""
        expand, rest, helpers = self.expand_per_row, self.rest_per_row, len(self.workers)
        if expand <= 0.0:
            return 1.0
        return min(1.0, max(0.5, (rest + expand) / (expand * (1 + 1 / helpers))))

    def _collect(self, batch: Batch, transitions: Sequence[int],
                 constrained: bool) -> Expansion:
        """The chunk given ahead: the workers' slices, then the rest expanded here; the
        transition properties cut down to those still checked (one may have been violated
        since the chunk was given)."""
        cuts, self.ahead = self.ahead, None
        assert cuts is not None and cuts[-1] <= batch.size, "not the chunk given ahead"
        parts = []
        if cuts[-1] < batch.size:
            parts.append(self._expand_here(batch.words[cuts[-1]:], (transitions, constrained)))
        parts[:0] = [self._receive(worker) for worker in self.workers[:len(cuts) - 1]]
        return _merge(parts, cuts + [batch.size], self.arrays.layout.words, transitions)

    def _expand_here(self, words: Array, args: tuple[Any, ...]) -> Expansion:
        started = time.perf_counter()
        done = _expand(self.arrays, words, *args)
        self.expand_per_row = _mean(self.expand_per_row,
                                    (time.perf_counter() - started) / max(1, words.shape[0]))
        return done

    def failing(self, batch: Batch, selected: Sequence[int]) -> dict[int, Array]:
        """The rows where each selected invariant is false (or may fail to evaluate)."""
        cuts = self._cuts(batch.size)
        if len(cuts) <= 2 or self.ahead is not None:  # (the workers are busy ahead)
            return self.arrays.failing(self.arrays.invariants, batch, selected)
        parts: list[dict[int, Array]] = self._map("failing", batch.words, cuts, (list(selected),))
        return {k: xp.concatenate([p[k] for p in parts]) for k in selected}

    def _cuts(self, rows: int) -> list[int]:
        """Slice boundaries: as many slices as processes, each of at least MIN_ROWS rows."""
        slices = max(1, min(self.processes, rows // MIN_ROWS))
        return [rows * i // slices for i in range(slices + 1)]

    def _map(self, job: str, words: Array, cuts: list[int], args: tuple[Any, ...]) -> list[Any]:
        """Run the job on each slice: the first here, the others in the workers."""
        helpers = self.workers[:len(cuts) - 2]
        for i, worker in enumerate(helpers, start=1):
            self._send(worker, job, words[cuts[i]:cuts[i + 1]], args)
        here = words[cuts[0]:cuts[1]]
        mine = self._expand_here(here, args) if job == "expand" else _failing(
            self.arrays, here, *args)
        return [mine] + [self._receive(worker) for worker in helpers]

    def _send(self, worker: _Worker, job: str, words: Array, args: tuple[Any, ...]) -> None:
        """The job, its rows in the shared buffer if they fit (a short message then: the
        pipe does not wait for the worker to read it), else in the message."""
        shared = words.nbytes <= SHARED_BYTES
        if shared:
            _view(worker.rows, words.shape)[:] = words
        try:
            _put(worker.conn, (job, words.shape, None if shared else words, *args))
        except (OSError, ValueError) as exc:
            worker.proc.join(timeout=1.0)
            raise WorkerLost(_death(worker.proc, exc)) from None

    def _receive(self, worker: _Worker) -> Any:
        try:
            status, value = _get(worker.conn, worker.rows)
        except (EOFError, OSError) as exc:
            worker.proc.join(timeout=1.0)
            raise WorkerLost(_death(worker.proc, exc)) from None
        if status == "raised":
            raise value
        return value


def _death(proc: BaseProcess, exc: BaseException) -> str:
    code = proc.exitcode
    if code is None:
        return f"a worker process's pipe broke ({exc!r})"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"a worker process was killed by {name}"
    return f"a worker process exited with status {code}"


def _mean(average: float, value: float) -> float:
    """A running average that follows the levels' changing cost per row."""
    return value if average == 0.0 else 0.7 * average + 0.3 * value


def _merge(parts: list[Expansion], cuts: list[int], words: int,
           transitions: Optional[Sequence[int]] = None) -> Expansion:
    """The slices' expansions as one: parent rows and suspects shifted to the chunk's rows;
    the steps of the `transitions` (default: all that the slices have)."""
    cands = [p.cand for p in parts]
    parent = xp.concatenate([c.parent + cut for c, cut in zip(cands, cuts)])
    packed = xp.concatenate([c.words for c in cands]).reshape(-1, words)
    suspects = xp.concatenate([c.suspects.astype(xp.int64) + cut
                               for c, cut in zip(cands, cuts)])
    steps = {k: xp.concatenate([c.steps_failing[k] for c in cands])
             for k in (cands[0].steps_failing if transitions is None else transitions)}
    within = None
    if all(p.within is not None for p in parts):
        within = tuple(xp.concatenate([p.within[i] for p in parts  # type: ignore[index]
                                       ]) for i in (0, 1))
    return Expansion(Candidates(parent, packed, suspects, steps), within)  # type: ignore[arg-type]


def _view(rows: mmap.mmap, shape: tuple[int, int]) -> Array:
    """The shared buffer's first rows, as a (rows, words) array."""
    return xp.frombuffer(rows, dtype=xp.uint64, count=shape[0] * shape[1]).reshape(shape)


def _put(conn: Connection, message: Any, rows: Optional[mmap.mmap] = None) -> None:
    """Pickle protocol 5; with `rows`, the arrays' contents go into that shared buffer when
    they fit (the pipe then carries only the rest: one copy instead of three)."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(message, protocol=5,
                        buffer_callback=None if rows is None else buffers.append)
    raws = [b.raw() for b in buffers]
    if sum(r.nbytes for r in raws) > (len(rows) if rows is not None else 0):
        data, raws = pickle.dumps(message, protocol=5), []
    at = 0
    assert rows is not None or not raws
    for raw in raws:
        rows[at:at + raw.nbytes] = raw  # type: ignore[index]
        at += raw.nbytes
    conn.send_bytes(pickle.dumps((data, [r.nbytes for r in raws] if buffers else None),
                                 protocol=5))


def _get(conn: Connection, rows: Optional[mmap.mmap] = None) -> Any:
    """What `_put` sent; arrays that came through `rows` are views of it, valid until the
    next job is given to that worker."""
    data, sizes = pickle.loads(conn.recv_bytes())
    if not sizes:
        return pickle.loads(data)
    assert rows is not None
    whole, views, at = memoryview(rows), [], 0
    for size in sizes:
        views.append(whole[at:at + size])
        at += size
    return pickle.loads(data, buffers=views)


# ------------------------------------------------------------------ in a worker
def _serve(arrays: ArraySystem, conn: Connection, rows: mmap.mmap,
           parent_ends: list[Connection]) -> None:
    """A worker's loop: a job per message, its result (or the exception it raised) back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the search stops its workers itself
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held while this one was forked
    for end in parent_ends:
        end.close()
    while True:
        try:
            message = _get(conn)
        except (EOFError, OSError):
            return
        job, shape, words, *args = message
        try:
            if words is None:
                words = _view(rows, shape).copy()
            reply: tuple[str, Any] = ("done", _expand(arrays, words, *args) if job == "expand"
                                      else _failing(arrays, words, *args))
        except BaseException as exc:  # raised again in the search, as with one process
            reply = ("raised", _portable(exc))
        try:
            _put(conn, reply, rows)
        except (OSError, ValueError):
            return


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it pickles, else a RuntimeError with its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError("in a worker process:\n" + "".join(traceback.format_exception(exc)))
