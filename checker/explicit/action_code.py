"""One action of the IR as Python source: the body of `successors(s)` for that action.

Each instance (a binding of the parameters) runs the guard, then the statements in order on a
copy of the state; `either`, `choose` and a bag's `receive` fork the path (the rest of the block
is emitted once per branch), and every path that reaches the end appends its state (with its
label in `labeled_successors`). A `let` is TLA+'s LET: an error in its value is raised where the
name is used.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from checker.ir.kinds import PathKind
from checker.ir import codegen
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.codegen import Emitter, Frame

_UNROLL_LIMIT = 64  # actions with at most this many parameter instances are unrolled


@dataclass(frozen=True)
class _Segment:
    """Statements still to run on the current path, and the names bound where they stand."""

    stmts: tuple[ir.Stmt, ...]
    start: int
    frame: Frame


class ActionWriter:
    """The Python code of one action: one loop per instance, statements as straight-line code
    on a list `v0` (a copy per fork), each path that reaches the end appending its state."""

    def __init__(self, em: Emitter, action_index: int, labeled: bool):
        self.em = em
        self.lines: list[str] = []
        self.fresh = itertools.count()
        self.action_index = action_index
        self.labeled = labeled

    def emit(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def name(self, stem: str) -> str:
        return f"_{stem}{next(self.fresh)}"

    # ------------------------------------------------------------ one action
    def action(self, action: ir.Action) -> list[str]:
        """Code for every instance of an action; small parameter domains are unrolled, so each
        instance's parameters are literals that Python folds into the guard and body."""
        instances = list(itertools.product(*[p.domain for p in action.params]))
        self.emit(1, f"# {action.name}")
        if len(instances) <= _UNROLL_LIMIT:
            for instance in instances:
                frame = Frame(state="s")
                for p, value in zip(action.params, instance):
                    frame = frame.bind(p.name, self.em.const(value))
                self.emit(1, f"for _p in ({self.em.const(instance)},):")
                self._instance(action, frame)
            return self.lines
        frame = Frame(state="s")
        names = []
        for p in action.params:
            py = self.name("p_" + p.name)
            frame = frame.bind(p.name, py)
            names.append(py)
        self.emit(1, f"for _p in {self.em.const(tuple(instances))}:")
        self.emit(2, f"{', '.join(names)}, = _p")
        self._instance(action, frame)
        return self.lines

    def _instance(self, action: ir.Action, frame: Frame) -> None:
        if action.guard is not None:
            self.emit(2, f"if not ({codegen.expr(action.guard, frame, self.em)}): continue")
        self.emit(2, "v0 = list(s)")
        self._run((_Segment(action.body, 0, frame),), "v0", 2)

    def _run(self, segments: tuple[_Segment, ...], v: str, indent: int) -> None:
        while segments:
            seg = segments[0]
            if seg.start >= len(seg.stmts):
                segments = segments[1:]
                continue
            st = seg.stmts[seg.start]
            rest = (_Segment(seg.stmts, seg.start + 1, seg.frame),) + segments[1:]
            if _forks(st):
                self._fork(st, seg.frame, rest, v, indent)
                return
            frame = self._simple(st, seg.frame, v, indent)
            segments = (_Segment(seg.stmts, seg.start + 1, frame),) + segments[1:]
        if self.labeled:
            self.emit(indent, f"out.append((({self.action_index}, _p), tuple({v})))")
        else:
            self.emit(indent, f"out.append(tuple({v}))")

    # ------------------------------------------------------------ statements
    def _simple(self, st: ir.Stmt, frame: Frame, v: str, indent: int) -> Frame:
        f = Frame(state=v, locals=frame.locals)
        if isinstance(st, ir.Assign):
            value = codegen.expr(st.value, f, self.em)
            self._store(st.target, value, st.check, st.span, f, v, indent)
        elif isinstance(st, ir.Let):
            return self._let(st, frame, f, indent)
        elif isinstance(st, ir.Await):
            self.emit(indent, f"if not ({codegen.expr(st.cond, f, self.em)}): continue")
        elif isinstance(st, ir.Send):
            self._send(st, f, v, indent)
        elif isinstance(st, ir.Receive):  # from a fifo: deterministic
            py = self.name("l_" + st.var)
            chan = self._read(st.channel, f)
            tmp = self.name("c")
            self.emit(indent, f"{tmp} = {chan}")
            self.emit(indent, f"if not {tmp}: continue")
            self.emit(indent, f"{py} = {tmp}[0]")
            self._store(st.channel, f"{tmp}[1:]", False, st.span, f, v, indent)
            return frame.bind(st.var, py)
        elif isinstance(st, ir.If):
            first = True
            for cond, body in st.branches:
                word = "if" if first else "elif"
                first = False
                self.emit(indent, f"{word} {codegen.expr(cond, f, self.em)}:")
                self._straight(body, frame, v, indent + 1)
            if st.else_:
                self.emit(indent, "else:")
                self._straight(st.else_, frame, v, indent + 1)
        return frame

    def _let(self, st: ir.Let, frame: Frame, f: Frame, indent: int) -> Frame:
        """TLA+'s LET is a definition: an error in its value is raised where the name is used,
        so an unused `let` (or one used only on a path that blocks first) never fails."""
        py = self.name("l_" + st.var)
        value = codegen.expr(st.value, f, self.em)
        if not codegen.may_fault(value):
            self.emit(indent, f"{py} = {value}")
            return frame.bind(st.var, py)
        self.emit(indent, "try:")
        self.emit(indent + 1, f"{py} = {value}")
        self.emit(indent, "except Fault as _fault:")
        self.emit(indent + 1, f"{py} = _Deferred(_fault)")
        return frame.bind(st.var, f"_force({py})")

    def _straight(self, stmts: tuple[ir.Stmt, ...], frame: Frame, v: str, indent: int) -> None:
        self.emit(indent, "pass")
        for st in stmts:
            frame = self._simple(st, frame, v, indent)

    def _fork(self, st: ir.Stmt, frame: Frame, rest: tuple[_Segment, ...], v: str,
              indent: int) -> None:
        f = Frame(state=v, locals=frame.locals)
        inner_v = self.name("v")
        if isinstance(st, ir.If):
            first = True
            for cond, body in st.branches:
                self.emit(indent, f"{'if' if first else 'elif'} {codegen.expr(cond, f, self.em)}:")
                first = False
                self._run((_Segment(body, 0, frame),) + rest, v, indent + 1)
            self.emit(indent, "else:")
            self._run((_Segment(st.else_, 0, frame),) + rest, v, indent + 1)
        elif isinstance(st, ir.Either):
            branch = self.name("b")
            self.emit(indent, f"for {branch} in range({len(st.blocks)}):")
            self.emit(indent + 1, f"{inner_v} = {v}[:]")
            for i, block in enumerate(st.blocks):
                self.emit(indent + 1, f"{'if' if i == 0 else 'elif'} {branch} == {i}:")
                self._run((_Segment(block, 0, frame),) + rest, inner_v, indent + 2)
        elif isinstance(st, ir.Choose):
            py = self.name("l_" + st.var)
            if codegen.is_constant(st.domain):
                domain = self.em.const(tuple(T.sort_values(codegen.evaluate(st.domain, self.em))))
            else:
                domain = f"_sorted({codegen.expr(st.domain, f, self.em)})"
            self.emit(indent, f"for {py} in {domain}:")
            self.emit(indent + 1, f"{inner_v} = {v}[:]")
            self._run(_bind_rest(rest, st.var, py), inner_v, indent + 1)
        elif isinstance(st, ir.Receive):  # from a bag: one path per distinct element
            py = self.name("l_" + st.var)
            tmp = self.name("c")
            self.emit(indent, f"{tmp} = {self._read(st.channel, f)}")
            self.emit(indent, f"for {py} in _distinct({tmp}):")
            self.emit(indent + 1, f"{inner_v} = {v}[:]")
            self._store(st.channel, f"_bag_remove({tmp}, {py})", False, st.span,
                        Frame(state=inner_v, locals=frame.locals), inner_v, indent + 1)
            self._run(_bind_rest(rest, st.var, py), inner_v, indent + 1)
        else:
            raise AssertionError(st)

    def _send(self, st: ir.Send, f: Frame, v: str, indent: int) -> None:
        chan_type = st.channel.type
        assert isinstance(chan_type, T.SeqType)
        tmp = self.name("c")
        value = self.name("m")
        self.emit(indent, f"{value} = {codegen.expr(st.value, f, self.em)}")
        if st.check:
            self._check(value, chan_type.elem, st.span, indent)
        self.emit(indent, f"{tmp} = {self._read(st.channel, f)}")
        self.emit(indent, f"if len({tmp}) >= {chan_type.capacity}: continue")
        new = f"_bag_add({tmp}, {value})" if chan_type.bag else f"{tmp} + ({value},)"
        self._store(st.channel, new, False, st.span, f, v, indent)

    # ------------------------------------------------------------ places
    def _read(self, target: ir.Target, f: Frame) -> str:
        text = f"{f.state}[{target.var.slot}]"
        for step in target.path:
            text += f"[{self._key(step, f)}]"
        return text

    def _key(self, step: ir.PathStep, f: Frame) -> str:
        if step.kind == PathKind.FIELD:
            return str(step.field_index)
        assert step.key is not None
        key = codegen.expr(step.key, f, self.em)
        position = f"{key} - {step.offset}" if step.offset else key
        if not may_leave_keys(step):
            return position
        assert isinstance(step.type, T.MapType)
        site = self.em.site(step.key.span, domain=step.type.key)
        return (f"(lambda _i: _i if 0 <= _i < {T.size(step.type.key)} else "
                f"_raise({site}, _i + {step.offset}))({position})")

    def _store(self, target: ir.Target, value: str, check: bool, span: Any, f: Frame, v: str,
               indent: int) -> None:
        if check:
            tmp = self.name("x")
            self.emit(indent, f"{tmp} = {value}")
            self._check(tmp, target.type, span, indent)
            value = tmp
        slot = target.var.slot
        if not target.path:
            self.emit(indent, f"{v}[{slot}] = {value}")
            return
        containers = [f"{v}[{slot}]"]
        keys = []
        for step in target.path:
            key = self.name("key")
            self.emit(indent, f"{key} = {self._key(step, f)}")
            keys.append(key)
            containers.append(f"{containers[-1]}[{key}]")
        new = value
        for container, key in zip(reversed(containers[:-1]), reversed(keys)):
            new = f"({container}[:{key}] + ({new},) + {container}[{key} + 1:])"
        self.emit(indent, f"{v}[{slot}] = {new}")

    def _check(self, value: str, t: T.Type, span: Any, indent: int) -> None:
        site = self.em.site(span, domain=t)
        if isinstance(t, T.IntType) and t.bounded:
            self.emit(indent, f"if not ({t.lo} <= {value} <= {t.hi}): _raise({site}, {value})")
            return
        checker = self.em.const(_Contains(t))
        self.emit(indent, f"if not {checker}({value}): _raise({site}, {value})")


def may_leave_keys(step: ir.PathStep) -> bool:
    """Whether the key of `m[k] := ...` may lie outside the map's keys (an integer key whose
    type is not within them): the write is then checked, an E300 where it is not a key."""
    if step.kind != PathKind.INDEX or not isinstance(step.type, T.MapType):
        return False
    keys, key = step.type.key, step.key.type if step.key is not None else None
    if not isinstance(keys, T.IntType) or not isinstance(key, T.IntType):
        return False
    return not (key.bounded and keys.bounded and keys.lo <= key.lo  # type: ignore[operator]
                and key.hi <= keys.hi)  # type: ignore[operator]


class _Contains:
    """A domain test as a callable constant (hashable, so the emitter can share it)."""

    def __init__(self, t: T.Type):
        self.t = t

    def __call__(self, value: Any) -> bool:
        return T.contains(self.t, value)

    def __hash__(self) -> int:
        return hash(self.t)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Contains) and other.t == self.t


def _bind_rest(rest: tuple[_Segment, ...], name: str, py: str) -> tuple[_Segment, ...]:
    """The chosen name is visible for the rest of the block it was chosen in (the first segment)."""
    if not rest:
        return rest
    first = rest[0]
    return (_Segment(first.stmts, first.start, first.frame.bind(name, py)),) + rest[1:]


def _forks(st: ir.Stmt) -> bool:
    if isinstance(st, (ir.Either, ir.Choose)):
        return True
    if isinstance(st, ir.Receive):
        return isinstance(st.channel.type, T.SeqType) and st.channel.type.bag
    if isinstance(st, ir.If):
        return any(_forks(x) for _, b in st.branches for x in b) or any(
            _forks(x) for x in st.else_)
    return False
