"""Hand-written breadth-first searches of the example models, in plain Python.

This is the yardstick for the checker's speed (bench/run.py) and an independent
reference for the state counts pinned in tests/test_examples.py.  Each model is
written the way one would write it by hand without a model checker: a state is a
tuple, a successor function builds the next tuples directly, and the search
keeps a dict of seen states (with parent links, as the checker keeps, so a
counterexample could be rebuilt) and a deque of states to expand.

Counting follows TLC (see the architecture notes): distinct counts every
reachable state, generated counts initial states plus every successor produced
(duplicates included), and depth is the number of BFS levels with the initial
states as level 1.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

State = Any  # a hashable tuple


@dataclass(frozen=True)
class SearchResult:
    """Counts from one exhaustive search."""

    distinct: int
    generated: int
    depth: int
    violations: tuple[str, ...]  # names of invariants found violated
    deadlocks: int  # states with no successor at all


def bfs(
    initial: Iterable[State],
    successors: Callable[[State], Sequence[State]],
    invariants: Sequence[tuple[str, Callable[[State], bool]]] = (),
    constraint: Callable[[State], bool] | None = None,
    transitions: Sequence[tuple[str, Callable[[State, State], bool]]] = (),
) -> SearchResult:
    """Explore every reachable state breadth first and count like TLC.

    Invariants are checked on every distinct state, transition properties on
    every generated step.  A successor that violates `constraint` (TLC's
    CONSTRAINT) is generated but neither kept nor expanded, as TLC does.
    """
    seen: dict[State, State | None] = {}
    frontier: deque[State] = deque()
    generated = 0
    violated: set[str] = set()

    def visit(state: State, parent: State | None) -> None:
        seen[state] = parent
        frontier.append(state)
        for name, holds in invariants:
            if not holds(state):
                violated.add(name)

    for state in initial:
        generated += 1
        if state not in seen:
            visit(state, None)
    depth = 1 if frontier else 0
    deadlocks = 0
    while frontier:
        next_level_starts = False
        for _ in range(len(frontier)):
            state = frontier.popleft()
            succs = successors(state)
            if not succs:
                deadlocks += 1
            generated += len(succs)
            for succ in succs:
                for name, step_ok in transitions:
                    if not step_ok(state, succ):
                        violated.add(name)
                if constraint is not None and not constraint(succ):
                    continue
                if succ not in seen:
                    visit(succ, state)
                    next_level_starts = True
        if next_level_starts:
            depth += 1
    return SearchResult(len(seen), generated, depth, tuple(sorted(violated)), deadlocks)


# --------------------------------------------------------------------------- DieHard
def diehard() -> SearchResult:
    """The jugs puzzle: state (big, small); only the type invariant is checked."""

    def successors(s: State) -> list[State]:
        big, small = s
        to_big = min(small, 5 - big)
        to_small = min(big, 3 - small)
        return [
            (big, 3),
            (5, small),
            (big, 0),
            (0, small),
            (big + to_big, small - to_big),
            (big - to_small, small + to_small),
        ]

    return bfs([(0, 0)], successors)


# --------------------------------------------------------------------------- TCommit
def tcommit(n_rms: int = 3) -> SearchResult:
    """Transaction commit: state is the tuple of RM states."""
    rms = range(n_rms)

    def successors(s: State) -> list[State]:
        rm: tuple[str, ...] = s
        can_commit = all(x in ("prepared", "committed") for x in rm)
        not_committed = all(x != "committed" for x in rm)
        out: list[State] = []
        for i in rms:
            if rm[i] == "working":
                out.append(rm[:i] + ("prepared",) + rm[i + 1 :])
            if rm[i] == "prepared" and can_commit:
                out.append(rm[:i] + ("committed",) + rm[i + 1 :])
            if rm[i] in ("working", "prepared") and not_committed:
                out.append(rm[:i] + ("aborted",) + rm[i + 1 :])
        return out

    def consistent(s: State) -> bool:
        return not ("aborted" in s and "committed" in s)

    return bfs([("working",) * n_rms], successors, [("TCConsistent", consistent)])


# --------------------------------------------------------------------------- TwoPhase
COMMIT = ("Commit",)
ABORT = ("Abort",)


Invariants = list[tuple[str, Callable[[State], bool]]]
Transitions = list[tuple[str, Callable[[State, State], bool]]]


def twophase_model(n_rms: int) -> tuple[list[State], Callable[[State], list[State]], Invariants, Transitions]:
    """Two-phase commit: state (rmState, tmState, tmPrepared, msgs).

    rmState is a tuple of strings, tmPrepared a frozenset of RM indices, msgs a
    frozenset of message tuples (("Prepared", i), ("Commit",), ("Abort",)).
    """
    rms = range(n_rms)
    everyone = frozenset(rms)
    prepared_msg = [("Prepared", i) for i in rms]

    def successors(s: State) -> list[State]:
        rm, tm, prep, msgs = s
        out: list[State] = []
        if tm == "init":
            if prep == everyone:  # TMCommit
                out.append((rm, "committed", prep, msgs | {COMMIT}))
            out.append((rm, "aborted", prep, msgs | {ABORT}))  # TMAbort
        commit_sent = COMMIT in msgs
        abort_sent = ABORT in msgs
        for i in rms:
            if tm == "init" and prepared_msg[i] in msgs:  # TMRcvPrepared
                out.append((rm, tm, prep | {i}, msgs))
            if rm[i] == "working":
                # RMPrepare, RMChooseToAbort
                out.append((rm[:i] + ("prepared",) + rm[i + 1 :], tm, prep, msgs | {prepared_msg[i]}))
                out.append((rm[:i] + ("aborted",) + rm[i + 1 :], tm, prep, msgs))
            if commit_sent:  # RMRcvCommitMsg
                out.append((rm[:i] + ("committed",) + rm[i + 1 :], tm, prep, msgs))
            if abort_sent:  # RMRcvAbortMsg
                out.append((rm[:i] + ("aborted",) + rm[i + 1 :], tm, prep, msgs))
        return out

    def type_ok(s: State) -> bool:
        rm, tm, prep, msgs = s
        return (
            all(x in ("working", "prepared", "committed", "aborted") for x in rm)
            and tm in ("init", "committed", "aborted")
            and prep <= everyone
        )

    def consistent(s: State) -> bool:
        rm = s[0]
        return not ("aborted" in rm and "committed" in rm)

    def decisions_are_final(s: State, t: State) -> bool:
        before, after = s[0], t[0]
        return all(after[i] == x for i, x in enumerate(before) if x in ("committed", "aborted"))

    init: State = (("working",) * n_rms, "init", frozenset(), frozenset())
    return ([init], successors, [("TPTypeOK", type_ok), ("TCConsistent", consistent)],
            [("DecisionsAreFinal", decisions_are_final)])


def twophase(n_rms: int = 3) -> SearchResult:
    initial, successors, invariants, transitions = twophase_model(n_rms)
    return bfs(initial, successors, invariants, transitions=transitions)


# --------------------------------------------------------------------------- Peterson
def peterson() -> SearchResult:
    """Peterson's algorithm (PlusCal labels a0..a4, cs): state (pc, c, turn)."""
    labels_holding_flag = ("a2", "a3", "cs", "a4")

    def successors(s: State) -> list[State]:
        pc, c, turn = s
        out: list[State] = []
        for p in (0, 1):  # processes 1 and 2 of the TLA+ spec
            q = 1 - p  # Other(p)

            def set_pc(label: str) -> State:
                return pc[:p] + (label,) + pc[p + 1 :]

            def set_c(flag: bool) -> State:
                return c[:p] + (flag,) + c[p + 1 :]

            at = pc[p]
            if at == "a0":
                out.append((set_pc("a1"), c, turn))
            elif at == "a1":
                out.append((set_pc("a2"), set_c(True), turn))
            elif at == "a2":
                out.append((set_pc("a3"), c, q))
            elif at == "a3":
                # TLC expands the disjunction `~c[Other(self)] \/ turn = self`
                # and yields one successor per true disjunct.
                # TLC splits this disjunction into one successor per true
                # disjunct; in reachable states the two are never true
                # together, so its 77 generated is also the semantic count.
                if not c[q] or turn == p:
                    out.append((set_pc("cs"), c, turn))
            elif at == "cs":
                out.append((set_pc("a4"), c, turn))
            elif at == "a4":
                out.append((set_pc("a0"), set_c(False), turn))
        return out

    def inv(s: State) -> bool:
        pc, c, turn = s
        for p in (0, 1):
            if c[p] != (pc[p] in labels_holding_flag):
                return False
            if pc[p] in ("cs", "a4") and not (turn == p or pc[1 - p] in ("a0", "a1", "a2")):
                return False
        return not (pc[0] in ("cs", "a4") and pc[1] in ("cs", "a4"))

    return bfs([(("a0", "a0"), (False, False), 0)], successors, [("Inv", inv)])


# --------------------------------------------------------------------------- alternating bit
def alternating_bit(data: Sequence[str] = ("d1", "d2"), qlen: int = 2) -> SearchResult:
    """The alternating bit protocol (MCAlternatingBit): state
    (msgQ, ackQ, sBit, sAck, rBit, sent, rcvd) with the queues as tuples."""

    def successors(s: State) -> list[State]:
        msg_q, ack_q, s_bit, s_ack, r_bit, sent, rcvd = s
        out: list[State] = []
        if s_ack == s_bit:  # SndNewValue(d)
            for d in data:
                out.append((msg_q + ((1 - s_bit, d),), ack_q, 1 - s_bit, s_ack, r_bit, d, rcvd))
        else:  # ReSndMsg
            out.append((msg_q + ((s_bit, sent),), ack_q, s_bit, s_ack, r_bit, sent, rcvd))
        if msg_q:  # RcvMsg
            bit, value = msg_q[0]
            out.append((msg_q[1:], ack_q, s_bit, s_ack, bit, sent, value))
        out.append((msg_q, ack_q + (r_bit,), s_bit, s_ack, r_bit, sent, rcvd))  # SndAck
        if ack_q:  # RcvAck
            out.append((msg_q, ack_q[1:], s_bit, ack_q[0], r_bit, sent, rcvd))
        for i in range(len(msg_q)):  # LoseMsg: one successor per position
            out.append((msg_q[:i] + msg_q[i + 1 :], ack_q, s_bit, s_ack, r_bit, sent, rcvd))
        for i in range(len(ack_q)):  # LoseAck
            out.append((msg_q, ack_q[:i] + ack_q[i + 1 :], s_bit, s_ack, r_bit, sent, rcvd))
        return out

    def seq_constraint(s: State) -> bool:
        return len(s[0]) <= qlen and len(s[1]) <= qlen

    initial = [((), (), b, b, b, d, r) for b in (0, 1) for d in data for r in data]
    return bfs(initial, successors, constraint=seq_constraint)


# --------------------------------------------------------------------------- HourClock
def hourclock() -> SearchResult:
    """The hour clock: any hour to start with, then tick."""
    return bfs(range(1, 13), lambda hr: [hr + 1 if hr != 12 else 1])


# --------------------------------------------------------------------------- counters
def counters_model(
    n: int = 3, top: int = 99
) -> tuple[list[State], Callable[[State], list[State]], Invariants, Transitions]:
    """n counters, each 0..top, any one of them may step up by one."""
    idx = range(n)

    def successors(s: State) -> list[State]:
        c: tuple[int, ...] = s
        return [c[:i] + (c[i] + 1,) + c[i + 1 :] for i in idx if c[i] < top]

    def in_range(s: State) -> bool:
        return all(0 <= x <= top for x in s)

    return [(0,) * n], successors, [("TypeOK", in_range)], []


def counters(n: int = 3, top: int = 99) -> SearchResult:
    initial, successors, invariants, transitions = counters_model(n, top)
    return bfs(initial, successors, invariants, transitions=transitions)


if __name__ == "__main__":
    import sys
    import time

    runs: list[tuple[str, Callable[[], SearchResult]]] = [
        ("diehard", diehard),
        ("tcommit 3", lambda: tcommit(3)),
        ("twophase 3", lambda: twophase(3)),
        ("twophase 5", lambda: twophase(5)),
        ("peterson", peterson),
        ("alternating bit", alternating_bit),
        ("hourclock", hourclock),
        ("counters 3x0..9", lambda: counters(3, 9)),
    ]
    if "--all" in sys.argv:
        runs += [("twophase 7", lambda: twophase(7)), ("counters 3x0..99", counters)]
    for name, run in runs:
        t0 = time.perf_counter()
        r = run()
        dt = time.perf_counter() - t0
        print(f"{name:18} distinct={r.distinct:>9,} generated={r.generated:>10,} depth={r.depth:>4} "
              f"deadlocks={r.deadlocks} violated={list(r.violations)} {dt:.2f}s")
