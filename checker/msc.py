"""Message sequence charts: lanes, messages and notes derived from a `Trace`.

The chart is computed from the trace alone (ITF values), so it works on a saved `.itf.json`:
- one lane per process instance (`worker`, `worker[r1]`), one per channel variable (a `fifo`,
  `seq` or `bag`, also when it belongs to an indexed process: `worker[r1].inbox`), and a `global`
  lane for actions declared outside any process;
- a message is sent when a step adds an element to a channel, and received when a step removes
  one: both are found by comparing the channel's contents in consecutive states;
- a message is a reply when its receiver earlier sent a message that its sender received;
- notes record changes of enum, symbolic and boolean values outside channels (`db[r1]: lost ->
  success`), on the lane of the process that owns the variable, or else on the acting lane.
Formatting (text, Mermaid) lives in `checker.msc_format`, figures in `checker.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Optional

from checker import itf
from checker.trace import Step, Trace

GLOBAL_LANE = "global"


@dataclass(frozen=True)
class Lane:
    name: str  # `worker[r1]`, `requests`, `global`
    kind: str  # "process" | "channel" | "global"


@dataclass(frozen=True)
class Message:
    id: int
    channel: str  # the channel lane
    value: Any  # ITF value
    label: str
    sender: Optional[str]  # None: already in the channel in the initial state
    sent_at: Optional[int]  # state index (0-based) of the step that sent it
    receiver: Optional[str] = None  # None: still in the channel at the end
    received_at: Optional[int] = None
    reply: bool = False


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    message: int  # Message.id
    label: str
    reply: bool
    receive: bool  # channel -> process (True) or process -> channel (False)


@dataclass(frozen=True)
class Note:
    lane: str
    text: str


@dataclass(frozen=True)
class ChartStep:
    index: int  # state index, 0-based (the trace's state `index + 1`)
    action: Optional[str]  # None for the initial state
    actor: Optional[str]  # lane of the acting process
    arrows: tuple[Arrow, ...] = ()
    notes: tuple[Note, ...] = ()
    violating: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    lanes: tuple[Lane, ...]
    steps: tuple[ChartStep, ...]
    messages: tuple[Message, ...]
    property: Optional[str] = None
    kind: Optional[str] = None
    hidden: tuple[str, ...] = ()  # lanes left out because nothing happens on them
    loop: Optional[int] = None


@dataclass(frozen=True)
class _Slot:
    """Where a channel's contents live: a variable, and the key into it for an indexed process."""

    var: str
    key: Any  # ITF key, or None for a plain channel variable
    lane: str


# ---------------------------------------------------------------- building


def build_chart(trace: Trace) -> Chart:
    """The sequence chart of a trace."""
    slots = _channel_slots(trace)
    channel_vars = {s.var for s in slots}
    messages: list[Message] = []
    steps = [ChartStep(0, None, None)]
    for i in range(1, len(trace.steps)):
        before, after = trace.steps[i - 1], trace.steps[i]
        actor = actor_lane(trace, after)
        arrows = _channel_events(slots, before, after, actor, i, messages)
        notes = _notes(trace, before, after, actor, channel_vars)
        steps.append(ChartStep(i, after.action, actor, tuple(arrows), tuple(notes)))
    messages = _mark_replies(messages)
    replies = {m.id for m in messages if m.reply}
    steps = [replace(s, arrows=tuple(replace(a, reply=a.message in replies) for a in s.arrows))
             for s in steps]
    if trace.property and trace.kind != "temporal":
        steps[-1] = replace(steps[-1], violating=True)
    lanes, hidden = _lanes(trace, slots, steps)
    return Chart(_title(trace), lanes, tuple(steps), tuple(messages), trace.property,
                 trace.kind, hidden, trace.loop)


def _title(trace: Trace) -> str:
    if trace.property:
        return f"{trace.spec}: {trace.kind or 'property'} {trace.property} violated"
    return f"{trace.spec}: trace of {len(trace.steps)} states"


def actor_lane(trace: Trace, step: Step) -> Optional[str]:
    """The lane of the process instance that took a step (`global` outside processes)."""
    if step.action is None:
        return None
    if step.process is None:
        return GLOBAL_LANE
    if "self" in step.params:
        return f"{step.process}[{itf.format_itf(step.params['self'])}]"
    return step.process


def _owner(trace: Trace, var: str) -> Optional[str]:
    """The process a variable belongs to (`worker.stage` -> `worker`), if any."""
    head, dot, _ = var.partition(".")
    return head if dot and head in trace.processes else None


def _map_items(value: Any) -> Optional[list[tuple[Any, Any]]]:
    if isinstance(value, dict) and set(value) == {"#map"}:
        return [(k, v) for k, v in value["#map"]]
    return None


def _indexed(trace: Trace, proc: Optional[str]) -> bool:
    """Whether a process has one instance per index value (its steps carry `self`)."""
    return proc is not None and any(step.process == proc and "self" in step.params
                                    for step in trace.steps)


def _channel_slots(trace: Trace) -> list[_Slot]:
    """Channel variables, and maps of sequences (one channel per key: `worker[r1].inbox`)."""
    slots = [_Slot(name, None, name) for name in trace.channels]
    first = trace.steps[0].values if trace.steps else {}
    for name in trace.vars:
        items = _map_items(first.get(name))
        if name in trace.channels or not items or not all(isinstance(v, list) for _, v in items):
            continue
        owner = _owner(trace, name)
        for k, _ in items:
            key = itf.format_itf(k)
            if _indexed(trace, owner):
                lane = f"{owner}[{key}].{name.partition('.')[2]}"
            else:
                lane = f"{name}[{key}]"
            slots.append(_Slot(name, k, lane))
    return slots


def _slot_value(step: Step, slot: _Slot) -> list[Any]:
    value = step.values.get(slot.var)
    if slot.key is None:
        return list(value) if isinstance(value, list) else []
    for k, v in _map_items(value) or []:
        if k == slot.key:
            return list(v) if isinstance(v, list) else []
    return []


def diff_channel(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """(removed, added) between two channel contents: FIFO-shaped when possible, else multiset."""
    for k in range(len(old) + 1):
        rest = old[k:]
        if new[:len(rest)] == rest:
            return old[:k], new[len(rest):]
    removed, added = list(old), []
    for x in new:
        if x in removed:
            removed.remove(x)
        else:
            added.append(x)
    return removed, added


def _channel_events(slots: list[_Slot], before: Step, after: Step, actor: Optional[str],
                    index: int, messages: list[Message]) -> list[Arrow]:
    receives: list[Arrow] = []
    sends: list[Arrow] = []
    lane = actor or GLOBAL_LANE
    for slot in slots:
        removed, added = diff_channel(_slot_value(before, slot), _slot_value(after, slot))
        for value in removed:
            m = _take(messages, slot.lane, value, lane, index)
            receives.append(Arrow(slot.lane, lane, m.id, m.label, False, True))
        for value in added:
            m = Message(len(messages), slot.lane, value, brief(value), lane, index)
            messages.append(m)
            sends.append(Arrow(lane, slot.lane, m.id, m.label, False, False))
    return receives + sends


def _take(messages: list[Message], channel: str, value: Any, receiver: str,
          index: int) -> Message:
    """Mark the oldest in-flight message of this value in this channel as received."""
    for i, m in enumerate(messages):
        if m.channel == channel and m.receiver is None and m.value == value:
            messages[i] = replace(m, receiver=receiver, received_at=index)
            return messages[i]
    m = Message(len(messages), channel, value, brief(value), None, None, receiver, index)
    messages.append(m)
    return m


def _mark_replies(messages: list[Message]) -> list[Message]:
    """A reply answers a request: its sender's latest receipt came from its receiver.

    A message still in flight at the end counts as going to the lanes that read its channel.
    Replies are not answered in turn, so a request, its reply and the next request alternate.
    """
    readers: dict[str, set[str]] = {}
    for m in messages:
        if m.receiver is not None:
            readers.setdefault(m.channel, set()).add(m.receiver)
    out: list[Message] = []
    for m in sorted(messages, key=lambda x: (x.sent_at if x.sent_at is not None else -1, x.id)):
        targets = {m.receiver} if m.receiver else readers.get(m.channel, set())
        answered = _latest_receipt(out, m)
        out.append(replace(m, reply=answered is not None and not answered.reply
                           and answered.sender in targets))
    return sorted(out, key=lambda x: x.id)


def _latest_receipt(done: list[Message], m: Message) -> Optional[Message]:
    """The last message (among those already classified) that m's sender received before m."""
    if m.sent_at is None:
        return None
    got = [e for e in done if e.receiver == m.sender and e.received_at is not None
           and e.received_at <= m.sent_at and e.id != m.id]
    return max(got, key=lambda e: (e.received_at, e.id)) if got else None


# ---------------------------------------------------------------- notes


def _notes(trace: Trace, before: Step, after: Step, actor: Optional[str],
           channel_vars: set[str]) -> list[Note]:
    notes = []
    for name in trace.vars:
        if name in channel_vars or name in trace.channels:
            continue
        old, new = before.values.get(name), after.values.get(name)
        if old == new:
            continue
        lane_of_key = _indexed(trace, _owner(trace, name))
        for path, keys, a, b in _changed_leaves(old, new, (), ()):
            lane, text = _note_place(trace, name, path, keys, lane_of_key, actor)
            notes.append(Note(lane, f"{text}: {itf.format_itf(a)} -> {itf.format_itf(b)}"))
    return notes


def _note_place(trace: Trace, name: str, path: tuple[str, ...], keys: tuple[Any, ...],
                lane_of_key: bool, actor: Optional[str]) -> tuple[str, str]:
    owner = _owner(trace, name)
    if owner is None:
        return actor or GLOBAL_LANE, name + "".join(path)
    local = name.partition(".")[2]
    if lane_of_key and keys:
        return f"{owner}[{itf.format_itf(keys[0])}]", local + "".join(path[1:])
    return owner, local + "".join(path)


def _changed_leaves(old: Any, new: Any, path: tuple[str, ...], keys: tuple[Any, ...]
                    ) -> Iterator[tuple[tuple[str, ...], tuple[Any, ...], Any, Any]]:
    """Paths to enum, symbolic and boolean values that differ (maps and records are entered)."""
    if old == new:
        return
    old_items, new_items = _map_items(old), _map_items(new)
    if old_items is not None and new_items is not None:
        for (k, a), (_, b) in zip(old_items, new_items):
            yield from _changed_leaves(a, b, path + (f"[{itf.format_itf(k)}]",), keys + (k,))
        return
    if _is_record(old) and _is_record(new):
        for name in old:
            yield from _changed_leaves(old[name], new.get(name), path + (f".{name}",), keys)
        return
    if isinstance(old, (str, bool)) and isinstance(new, (str, bool)):
        yield path, keys, old, new


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and not any(k.startswith("#") for k in value)


# ---------------------------------------------------------------- lanes


def _lanes(trace: Trace, slots: list[_Slot], steps: list[ChartStep]
           ) -> tuple[tuple[Lane, ...], tuple[str, ...]]:
    used = _used_lanes(steps)
    order = _process_lanes(trace, steps)
    if any(s.actor == GLOBAL_LANE for s in steps) or GLOBAL_LANE in used:
        order.append(Lane(GLOBAL_LANE, "global"))
    for slot in slots:
        anchor = _first_sender(slot.lane, steps)
        lane = Lane(slot.lane, "channel")
        names = [x.name for x in order]
        order.insert(names.index(anchor) + 1 if anchor in names else len(order), lane)
    shown = tuple(x for x in order if x.name in used)
    hidden = tuple(x.name for x in order if x.name not in used)
    return (shown or tuple(order)), (hidden if shown else ())


def _used_lanes(steps: list[ChartStep]) -> set[str]:
    used: set[str] = set()
    for s in steps:
        if s.actor:
            used.add(s.actor)
        for a in s.arrows:
            used |= {a.source, a.target}
        used |= {n.lane for n in s.notes}
    return used


def _process_lanes(trace: Trace, steps: list[ChartStep]) -> list[Lane]:
    lanes: list[Lane] = []
    first = trace.steps[0].values if trace.steps else {}
    for proc in trace.processes:
        names = [s.actor for s in steps if s.actor and s.actor.startswith(proc + "[")]
        if _indexed(trace, proc):
            for var in trace.vars:
                if _owner(trace, var) == proc:
                    names += [f"{proc}[{itf.format_itf(k)}]"
                              for k, _ in _map_items(first.get(var)) or []]
        names = list(dict.fromkeys(sorted(names, key=_instance_rank(trace, proc)))) or [proc]
        lanes += [Lane(n, "process") for n in names]
    return lanes


def _instance_rank(trace: Trace, proc: str) -> Any:
    """Instances in the order of the index's domain, as the state's maps list them."""
    first = trace.steps[0].values if trace.steps else {}
    order: list[str] = []
    for var in trace.vars:
        if _owner(trace, var) == proc:
            order += [f"{proc}[{itf.format_itf(k)}]"
                      for k, _ in _map_items(first.get(var)) or []]
    return lambda n: order.index(n) if n in order else len(order)


def _first_sender(channel: str, steps: list[ChartStep]) -> Optional[str]:
    for s in steps:
        for a in s.arrows:
            if a.target == channel:
                return a.source
    for s in steps:
        for a in s.arrows:
            if a.source == channel:
                return a.target
    return None


# ---------------------------------------------------------------- labels


def brief(value: Any) -> str:
    """A compact label for a message: records as `kind=claim run=r1`, other values as in TLA+."""
    if _is_record(value):
        return " ".join(f"{k}={brief(v)}" for k, v in value.items())
    return itf.format_itf(value)


def lane_names(chart: Chart) -> list[str]:
    return [lane.name for lane in chart.lanes]


@dataclass(frozen=True)
class ChartSummary:
    """Counts that tests and the HTML viewer use."""

    lanes: int
    messages: int
    replies: int
    in_flight: int = field(default=0)


def summary(chart: Chart) -> ChartSummary:
    return ChartSummary(len(chart.lanes), len(chart.messages),
                        sum(m.reply for m in chart.messages),
                        sum(m.receiver is None for m in chart.messages))
