"""State changes for sequence charts: notes, and signals through shared variables.

A note records a change of an enum, symbolic or boolean value outside the channels
(`db[r1]: lost -> success`), on the lane of the process that owns the variable or else on the
lane that acted. A signal is a shared value one lane sets and another lane later puts back to
its initial value (a one-place mailbox, as a reply slot often is): it is drawn as a message from
the first lane to the second instead of two notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from checker.trace import itf
from checker.trace.trace import Trace


@dataclass(frozen=True)
class Change:
    step: int  # state index (0-based) of the state after the change
    lane: str  # where the note goes
    leaf: str  # variable and path, unique: `socket_reply[r1]`, `worker.stage[r1]`
    text: str  # what the note calls it: `socket_reply[r1]`, `stage`
    old: Any  # ITF values
    new: Any
    owned: bool  # the variable belongs to the lane's process (no other lane writes it)

    def note(self) -> str:
        return f"{self.text}: {itf.format_itf(self.old)} -> {itf.format_itf(self.new)}"


@dataclass(frozen=True)
class Signal:
    """A value set by one lane and consumed (put back to its initial value) by another."""

    leaf: str
    value: Any
    sender: str
    sent_at: int
    receiver: str
    received_at: int


def owner(trace: Trace, var: str) -> Optional[str]:
    """The process a variable belongs to (`worker.stage` -> `worker`), if any."""
    head, dot, _ = var.partition(".")
    return head if dot and head in trace.processes else None


def indexed(trace: Trace, proc: Optional[str]) -> bool:
    """Whether a process has one instance per index value (its steps carry `self`)."""
    return proc is not None and any(step.process == proc and "self" in step.params
                                    for step in trace.steps)


def map_items(value: Any) -> Optional[list[tuple[Any, Any]]]:
    if isinstance(value, dict) and set(value) == {"#map"}:
        return [(k, v) for k, v in value["#map"]]
    return None


def is_record(value: Any) -> bool:
    return isinstance(value, dict) and not any(k.startswith("#") for k in value)


def changes(trace: Trace, skip: set[str], actors: list[Optional[str]]) -> list[Change]:
    """Every change of an enum, symbolic or boolean leaf outside the `skip` variables."""
    out: list[Change] = []
    for i in range(1, len(trace.steps)):
        before, after = trace.steps[i - 1].values, trace.steps[i].values
        for name in trace.vars:
            if name in skip or before.get(name) == after.get(name):
                continue
            for path, keys, a, b in _changed_leaves(before.get(name), after.get(name), (), ()):
                out.append(_change(trace, i, name, path, keys, a, b, actors[i]))
    return out


def _change(trace: Trace, i: int, name: str, path: tuple[str, ...], keys: tuple[Any, ...],
            old: Any, new: Any, actor: Optional[str]) -> Change:
    proc = owner(trace, name)
    leaf = name + "".join(path)
    if proc is None:
        return Change(i, actor or "global", leaf, leaf, old, new, False)
    local = name.partition(".")[2]
    if indexed(trace, proc) and keys:
        lane = f"{proc}[{itf.format_itf(keys[0])}]"
        return Change(i, lane, leaf, local + "".join(path[1:]), old, new, True)
    return Change(i, proc, leaf, local + "".join(path), old, new, True)


def _changed_leaves(old: Any, new: Any, path: tuple[str, ...], keys: tuple[Any, ...]
                    ) -> Iterator[tuple[tuple[str, ...], tuple[Any, ...], Any, Any]]:
    """Paths to enum, symbolic and boolean values that differ (maps and records are entered)."""
    if old == new:
        return
    old_items, new_items = map_items(old), map_items(new)
    if old_items is not None and new_items is not None:
        for (k, a), (_, b) in zip(old_items, new_items):
            yield from _changed_leaves(a, b, path + (f"[{itf.format_itf(k)}]",), keys + (k,))
        return
    if is_record(old) and is_record(new):
        for name in old:
            yield from _changed_leaves(old[name], new.get(name), path + (f".{name}",), keys)
        return
    if isinstance(old, (str, bool)) and isinstance(new, (str, bool)):
        yield path, keys, old, new


def signals(found: list[Change]) -> tuple[list[Signal], list[Change]]:
    """Pair the changes that form signals; return them and the changes left as notes."""
    by_leaf: dict[str, list[Change]] = {}
    for c in found:
        by_leaf.setdefault(c.leaf, []).append(c)
    paired: set[int] = set()
    out: list[Signal] = []
    for history in by_leaf.values():
        rest = history[0].old  # the leaf's initial value
        for a, b in zip(history, history[1:]):
            if (not a.owned and a.old == rest and b.new == rest and b.old == a.new
                    and a.lane != b.lane and id(a) not in paired):
                out.append(Signal(a.leaf, a.new, a.lane, a.step, b.lane, b.step))
                paired |= {id(a), id(b)}
    left = [c for c in found if id(c) not in paired]
    return sorted(out, key=lambda s: (s.sent_at, s.leaf)), left
