"""Message sequence charts: lanes, messages and notes derived from a `Trace`.

The chart is computed from the trace alone (ITF values), so it works on a saved `.itf.json`:
- one lane per process instance (`worker`, `worker[r1]`), one per channel variable (a `fifo`,
  `seq` or `bag`, also a map of them, as a channel per key: `worker[r1].inbox`), and a `global`
  lane for actions declared outside any process;
- a message is sent when a step adds an element to a channel and received when a step removes
  one, both found by comparing the channel's contents in consecutive states; a shared value one
  lane sets and another consumes is a message too (`checker.msc_notes`);
- a message is a reply when its sender's latest receipt came from its receiver;
- notes record changes of enum, symbolic and boolean values (`db[r1]: lost -> success`).
Lanes are ordered to keep arrows short (`checker.msc_lanes`). Formatting is in
`checker.msc_format` (text, Mermaid) and `checker.render` (figures).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from checker.ir.kinds import PropertyKind
from checker.trace import itf
from checker.views import msc_lanes
from checker.views import msc_notes
from checker.views.msc_notes import indexed, map_items, owner
from checker.trace.trace import Step, Trace, step_label

GLOBAL_LANE = "global"


@dataclass(frozen=True)
class Lane:
    name: str  # `worker[r1]`, `requests`, `global`
    kind: str  # "process" | "channel" | "global"


@dataclass(frozen=True)
class Message:
    id: int
    channel: str  # the channel lane, or the shared variable of a signal
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
    reply: bool = False


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
    """Where a channel's contents live: a variable, and the key into it for a map of channels."""

    var: str
    key: Any  # ITF key, or None for a plain channel variable
    lane: str


# ---------------------------------------------------------------- building


def build_chart(trace: Trace) -> Chart:
    """The sequence chart of a trace."""
    slots = _channel_slots(trace)
    actors = [actor_lane(trace, step) for step in trace.steps]
    messages: list[Message] = []
    arrows: list[list[Arrow]] = [[] for _ in trace.steps]
    for i in range(1, len(trace.steps)):
        arrows[i] = _channel_events(slots, trace.steps[i - 1], trace.steps[i],
                                    actors[i] or GLOBAL_LANE, i, messages)
    found = msc_notes.changes(trace, {s.var for s in slots} | set(trace.channels), actors)
    sigs, left = msc_notes.signals(found)
    for sig in sigs:
        label = f"{sig.leaf} := {itf.format_itf(sig.value)}"
        m = Message(len(messages), sig.leaf, sig.value, label, sig.sender, sig.sent_at,
                    sig.receiver, sig.received_at)
        messages.append(m)
        arrows[sig.sent_at].append(Arrow(sig.sender, sig.receiver, m.id, label))
    messages = _label(_mark_replies(messages))
    steps = [_step(trace, i, actors[i], arrows[i], messages,
                   [Note(c.lane, c.note()) for c in left if c.step == i])
             for i in range(len(trace.steps))]
    if steps and trace.property and trace.kind != PropertyKind.TEMPORAL:
        steps[-1] = replace(steps[-1], violating=True)
    lanes, hidden = _lanes(trace, slots, steps)
    return Chart(_title(trace), lanes, tuple(steps), tuple(messages), trace.property,
                 trace.kind, hidden, trace.loop)


def _step(trace: Trace, i: int, actor: Optional[str], arrows: list[Arrow],
          messages: list[Message], notes: list[Note]) -> ChartStep:
    relabelled = tuple(replace(a, label=messages[a.message].label,
                               reply=messages[a.message].reply) for a in arrows)
    return ChartStep(i, step_label(trace.steps[i], i), actor, relabelled, tuple(notes))


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


def _channel_slots(trace: Trace) -> list[_Slot]:
    """Channel variables, and maps of sequences (one channel per key: `worker[r1].inbox`)."""
    slots = [_Slot(name, None, name) for name in trace.channels]
    first = trace.steps[0].values if trace.steps else {}
    for name in trace.vars:
        items = map_items(first.get(name))
        if name in trace.channels or not items or not all(isinstance(v, list) for _, v in items):
            continue
        proc = owner(trace, name)
        for k, _ in items:
            key = itf.format_itf(k)
            lane = (f"{proc}[{key}].{name.partition('.')[2]}" if indexed(trace, proc)
                    else f"{name}[{key}]")
            slots.append(_Slot(name, k, lane))
    return slots


def _slot_value(step: Step, slot: _Slot) -> list[Any]:
    value = step.values.get(slot.var)
    if slot.key is None:
        return list(value) if isinstance(value, list) else []
    for k, v in map_items(value) or []:
        if k == slot.key:
            return list(v) if isinstance(v, list) else []
    return []


def diff_channel(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """(removed, added) between two channel contents: taken from the head and appended at the
    tail (a FIFO), unless comparing them as multisets explains the change with fewer messages
    (a bag, or an element lost from the middle)."""
    fifo: tuple[list[Any], list[Any]] = (old, new)
    for k in range(len(old) + 1):
        rest = old[k:]
        if new[:len(rest)] == rest:
            fifo = (old[:k], new[len(rest):])
            break
    removed, added = list(old), []
    for x in new:
        if x in removed:
            removed.remove(x)
        else:
            added.append(x)
    if len(removed) + len(added) < len(fifo[0]) + len(fifo[1]):
        return removed, added
    return fifo


def _channel_events(slots: list[_Slot], before: Step, after: Step, lane: str, index: int,
                    messages: list[Message]) -> list[Arrow]:
    """Receives (channel -> lane) first, then sends (lane -> channel), as a step does them."""
    receives: list[Arrow] = []
    sends: list[Arrow] = []
    for slot in slots:
        removed, added = diff_channel(_slot_value(before, slot), _slot_value(after, slot))
        for value in removed:
            m = _take(messages, slot.lane, value, lane, index)
            receives.append(Arrow(slot.lane, lane, m.id, m.label))
        for value in added:
            m = Message(len(messages), slot.lane, value, "", lane, index)
            messages.append(m)
            sends.append(Arrow(lane, slot.lane, m.id, m.label))
    return receives + sends


def _take(messages: list[Message], channel: str, value: Any, receiver: str,
          index: int) -> Message:
    """Mark the oldest in-flight message of this value in this channel as received."""
    for i, m in enumerate(messages):
        if m.channel == channel and m.receiver is None and m.value == value:
            messages[i] = replace(m, receiver=receiver, received_at=index)
            return messages[i]
    m = Message(len(messages), channel, value, "", None, None, receiver, index)
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
    done: list[Message] = []
    for m in sorted(messages, key=lambda x: (-1 if x.sent_at is None else x.sent_at, x.id)):
        targets = {m.receiver} if m.receiver else readers.get(m.channel, set())
        answered = _latest_receipt(done, m)
        done.append(replace(m, reply=answered is not None and not answered.reply
                            and answered.sender in targets))
    return sorted(done, key=lambda x: x.id)


def _latest_receipt(done: list[Message], m: Message) -> Optional[Message]:
    """The last message (among those already classified) that m's sender received before m."""
    if m.sent_at is None:
        return None
    got = [e for e in done if e.receiver == m.sender and e.received_at is not None
           and e.received_at <= m.sent_at and e.id != m.id]
    return max(got, key=lambda e: (e.received_at or 0, e.id)) if got else None


# ---------------------------------------------------------------- labels


def _label(messages: list[Message]) -> list[Message]:
    """Labels for channel messages: records as `tag(field=value, ...)` (see `brief`)."""
    records = [m.value for m in messages if msc_notes.is_record(m.value)]
    tag, constant = _record_style(records)
    return [m if m.label else replace(m, label=brief(m.value, tag, constant)) for m in messages]


def _record_style(records: list[dict[str, Any]]) -> tuple[Optional[str], frozenset[str]]:
    """The tag field (the text field with the most distinct values) and the fields that are
    the same in every message (left out when there are several messages)."""
    seen: dict[str, set[str]] = {}
    textual: dict[str, bool] = {}
    for r in records:
        for k, v in r.items():
            seen.setdefault(k, set()).add(itf.format_itf(v))
            textual[k] = textual.get(k, True) and isinstance(v, str)
    tags = sorted((k for k in seen if textual[k]), key=lambda k: (-len(seen[k]), k))
    tag = tags[0] if tags else None
    constant = frozenset(k for k, vs in seen.items() if len(vs) == 1 and len(records) > 1)
    return tag, constant - {tag} if tag else constant


def brief(value: Any, tag: Optional[str] = None, omit: frozenset[str] = frozenset()) -> str:
    """A compact message label: `run_start(id=0, step=1)` for a record whose tag field is
    `kind`; other values as in TLA+."""
    if not msc_notes.is_record(value):
        return itf.format_itf(value)
    head = itf.format_itf(value[tag]) if tag in value else ""
    rest = ", ".join(f"{k}={itf.format_itf(v)}" for k, v in value.items()
                     if k != tag and k not in omit)
    if not head:
        return rest or "[]"
    return f"{head}({rest})" if rest else head


# ---------------------------------------------------------------- lanes


def _lanes(trace: Trace, slots: list[_Slot], steps: list[ChartStep]
           ) -> tuple[tuple[Lane, ...], tuple[str, ...]]:
    """The lanes in use, ordered to keep arrows short; and the names of the idle ones."""
    used = _used_lanes(steps)
    lanes = [Lane(n, "process") for n in msc_lanes.process_lanes(trace, steps)]
    if GLOBAL_LANE in used:
        lanes.append(Lane(GLOBAL_LANE, "global"))
    lanes += [Lane(slot.lane, "channel") for slot in slots]
    shown = [lane for lane in lanes if lane.name in used]
    hidden = tuple(lane.name for lane in lanes if lane.name not in used)
    if not shown:
        return tuple(lanes), ()
    edges = [(a.source, a.target) for s in steps for a in s.arrows]
    order = msc_lanes.order([lane.name for lane in shown], edges)
    by_name = {lane.name: lane for lane in shown}
    return tuple(by_name[n] for n in order), hidden


def _used_lanes(steps: list[ChartStep]) -> set[str]:
    used: set[str] = set()
    for s in steps:
        if s.actor:
            used.add(s.actor)
        for a in s.arrows:
            used |= {a.source, a.target}
        used |= {n.lane for n in s.notes}
    return used
